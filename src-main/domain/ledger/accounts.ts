/**
 * Ledger accounts. A balance lives at (owner, asset, purpose): `available` is spendable,
 * `held` is reserved by open orders. Owners are user ids or one of the system owners below;
 * market makers are ordinary users.
 */
export type AccountPurpose = 'available' | 'held';

/** Identifies one balance. */
export interface AccountKey {
  /** User id, or a `system:*` owner. */
  owner: string;
  /** Asset code (e.g. `BTC`). */
  asset: string;
  /** `available` or `held`. */
  purpose: AccountPurpose;
}

/** Collects trading fees; only ever credited, so it never goes negative. */
export const SYSTEM_FEES = 'system:fees';
/** Mirrors the outside world (deposits, withdrawals, admin funding): may go negative. */
export const SYSTEM_EXTERNAL = 'system:external';
/** Counterparty of manual corrections: may go negative, its balance is the net correction. */
export const SYSTEM_CORRECTIONS = 'system:corrections';

/**
 * Counterparty of every paper-broker account: pays simulated profits, receives simulated
 * losses and commissions, funds demo balances. May go negative (it stands for a make-believe
 * broker); its balance per asset is the paper accounts' net result against it.
 */
export const SYSTEM_PAPER_BROKER = 'system:paper-broker';

/**
 * Holds the amounts of credited deposits whose block later left the chain (a reorg deeper than
 * the confirmations), until an administrator reviews them. Never negative.
 */
export const SYSTEM_FROZEN = 'system:frozen';

const SYSTEM_OWNERS = new Set([
  SYSTEM_FEES,
  SYSTEM_FROZEN,
  SYSTEM_EXTERNAL,
  SYSTEM_CORRECTIONS,
  SYSTEM_PAPER_BROKER,
]);
const SEPARATOR = '|';

/**
 * Prefix of the market simulator's trading accounts (`system:sim:mm:BTC/USDT`, …): system
 * owners that place orders through the same engine and ledger as users and, like users,
 * may never go negative.
 */
export const SYSTEM_SIMULATOR_PREFIX = 'system:sim:';

/** True for a simulator trading account. */
export function isSimulatorOwner(owner: string): boolean {
  return (
    owner.startsWith(SYSTEM_SIMULATOR_PREFIX) &&
    owner.length > SYSTEM_SIMULATOR_PREFIX.length &&
    !owner.includes(SEPARATOR)
  );
}

/** True for the `system:*` owners (which are never users). */
export function isSystemOwner(owner: string): boolean {
  return SYSTEM_OWNERS.has(owner) || isSimulatorOwner(owner);
}

/** True for an owner that may hold orders: a user or a simulator account. */
export function mayTrade(owner: string): boolean {
  return isValidUserId(owner) || isSimulatorOwner(owner);
}

/** True for a well-formed user id: non-empty, no `|`, not in the reserved `system:` space. */
export function isValidUserId(owner: string): boolean {
  return owner.length > 0 && !owner.includes(SEPARATOR) && !owner.startsWith('system:');
}

/** True for an owner that may appear in a posting (a user or a known system owner). */
export function isValidOwner(owner: string): boolean {
  return isSystemOwner(owner) || isValidUserId(owner);
}

/**
 * Whether this account may hold a negative balance: only the mirrors of the outside world
 * (`system:external`, `system:corrections`) and the make-believe paper broker. Users and the
 * fee account may not.
 */
export function mayGoNegative(key: AccountKey): boolean {
  return (
    key.owner === SYSTEM_EXTERNAL ||
    key.owner === SYSTEM_CORRECTIONS ||
    key.owner === SYSTEM_PAPER_BROKER
  );
}

/** Stable string id of an account (`owner|asset|purpose`), the key of a balances map. */
export function accountId(key: AccountKey): string {
  return `${key.owner}${SEPARATOR}${key.asset}${SEPARATOR}${key.purpose}`;
}

/** Inverse of `accountId`. */
export function parseAccountId(id: string): AccountKey {
  const [owner = '', asset = '', purpose = ''] = id.split(SEPARATOR);
  if (purpose !== 'available' && purpose !== 'held') throw new RangeError(`bad account id ${id}`);
  return { owner, asset, purpose };
}

/** Shorthand for an `available` account. */
export function available(owner: string, asset: string): AccountKey {
  return { owner, asset, purpose: 'available' };
}

/** Shorthand for a `held` account. */
export function held(owner: string, asset: string): AccountKey {
  return { owner, asset, purpose: 'held' };
}
