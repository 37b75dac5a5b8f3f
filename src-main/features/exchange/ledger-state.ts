import { AppError } from '../../../src-shared/contract';
import {
  accountId,
  mayGoNegative,
  validateEntry,
  type AccountKey,
  type JournalEntry,
  type Posting,
} from '../../domain/ledger';
import { formatDecimal } from '../../domain/money';

/** SQLite INTEGER is int64: a balance beyond it cannot be stored, so it is refused up front. */
export const INT64_MAX = 2n ** 63n - 1n;
/** Its negation, kept as a constant: `-INT64_MAX` in the check would allocate per posting. */
const INT64_MIN_STORED = -INT64_MAX;

/** A journal entry with the id and time it is stored under. */
export interface StoredEntry {
  id: number;
  ts: number;
  entry: JournalEntry;
}

/**
 * The in-memory mirror of `ledger_accounts`. Entries are applied in place (the domain's
 * `applyEntry` copies the whole map, which is too slow per order) with the same rules:
 * the entry must validate, and no account that may not go negative does.
 */
export class LedgerState {
  readonly balances = new Map<string, bigint>();
  readonly keys = new Map<string, AccountKey>();
  /** Accounts changed since the last commit. */
  readonly dirty = new Set<string>();
  /**
   * Each account's id, built once (owner → asset → purpose). `accountId` builds a new string
   * per call, which every Map lookup must then flatten and hash and every comparison read to
   * the end; the same string object each time has its hash cached and compares by identity.
   * Several postings per order go through here. Only ids of entries that validated are kept.
   */
  private readonly ids = new Map<string, Map<string, { available?: string; held?: string }>>();

  constructor(private readonly scaleOf: (asset: string) => number) {}

  /** The account's id (`accountId`), the same string object for the same account. */
  idOf(key: AccountKey): string {
    let byAsset = this.ids.get(key.owner);
    if (!byAsset) this.ids.set(key.owner, (byAsset = new Map()));
    let byPurpose = byAsset.get(key.asset);
    if (!byPurpose) byAsset.set(key.asset, (byPurpose = {}));
    return (byPurpose[key.purpose] ??= accountId(key));
  }

  /**
   * The account's balance, 0 for one never seen. A lookup only: balance queries name accounts
   * from their input, and remembering an id for each would let requests grow the map.
   */
  get(key: AccountKey): bigint {
    const id = this.ids.get(key.owner)?.get(key.asset)?.[key.purpose];
    return id === undefined ? 0n : (this.balances.get(id) ?? 0n);
  }

  load(key: AccountKey, balance: bigint): void {
    const id = this.idOf(key);
    this.balances.set(id, balance);
    this.keys.set(id, key);
  }

  clear(): void {
    this.balances.clear();
    this.keys.clear();
    this.dirty.clear();
    this.ids.clear();
  }

  /** Throws `insufficient_funds` (with the numbers) unless `entry` could be applied now. */
  check(entry: JournalEntry): void {
    this.checkDeltas(entry);
  }

  /**
   * Checks each account's net change: an account may appear in several postings of an entry,
   * and it is the net that must not overdraw it. Works on the posting indexes of each account's
   * first posting instead of a Map per entry: this runs for every entry of every order.
   */
  private checkDeltas(entry: JournalEntry): string[] {
    const valid = validateEntry(entry);
    if (!valid.ok) throw new AppError(valid.error.code, valid.error.message, valid.error.details);
    const ids = this.accountIds(entry);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string;
      if (ids.indexOf(id) < i) continue; // netted at its first posting
      const delta = netFrom(entry.postings, ids, i);
      const key = (entry.postings[i] as Posting).account;
      const before = this.balances.get(id) ?? 0n;
      const after = before + delta;
      if (after < 0n && delta < 0n && !mayGoNegative(key)) {
        const scale = this.scaleOf(key.asset);
        const needed = formatDecimal(-delta, scale);
        const has = formatDecimal(before, scale);
        throw new AppError(
          'insufficient_funds',
          `Needs ${needed} ${key.asset} ${key.purpose}, has ${has}`,
          { asset: key.asset, purpose: key.purpose, needed, available: has },
        );
      }
      if (after > INT64_MAX || after < INT64_MIN_STORED) {
        throw new AppError('amount_too_large', `The ${key.asset} balance would exceed int64`);
      }
    }
    return ids;
  }

  /** Checks then applies; the caller records the entry for the commit. */
  apply(entry: JournalEntry): void {
    const ids = this.checkDeltas(entry);
    const postings = entry.postings;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string;
      const p = postings[i] as Posting;
      this.balances.set(id, (this.balances.get(id) ?? 0n) + p.amount);
      if (!this.keys.has(id)) this.keys.set(id, p.account);
      this.dirty.add(id);
    }
  }

  /** The account id of each posting, built once per entry. */
  private accountIds(entry: JournalEntry): string[] {
    const postings = entry.postings;
    const ids = new Array<string>(postings.length);
    for (let i = 0; i < postings.length; i++) ids[i] = this.idOf((postings[i] as Posting).account);
    return ids;
  }
}

/** The net amount of the account of posting `from` over it and the postings after it. */
function netFrom(postings: readonly Posting[], ids: readonly string[], from: number): bigint {
  const id = ids[from];
  let net = 0n;
  for (let k = from; k < ids.length; k++) {
    if (ids[k] === id) net += (postings[k] as Posting).amount;
  }
  return net;
}
