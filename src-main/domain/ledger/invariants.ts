import { accountId, held, mayGoNegative, parseAccountId } from './accounts';
import type { Balances } from './balances';
import { replayEntries } from './balances';
import type { JournalEntry } from './journal';
import type { OrderReservation } from './reservation';

/** A broken ledger invariant, for tests and the reconciliation job. Amounts as strings. */
export interface LedgerViolation {
  code: 'asset_not_balanced' | 'negative_balance' | 'journal_invalid' | 'balance_mismatch';
  message: string;
  details: Record<string, string>;
}

/**
 * Checks balances: per asset the sum over all accounts is zero, and no account that may not
 * go negative is negative. With `entries`, also that the journal replays cleanly from zero
 * to exactly these balances. Returns every violation (empty when the ledger is sound).
 */
export function checkLedgerInvariants(
  balances: Balances,
  entries?: Iterable<JournalEntry>,
): LedgerViolation[] {
  const violations: LedgerViolation[] = [];
  const sums = new Map<string, bigint>();
  for (const [id, amount] of balances) {
    const key = parseAccountId(id);
    sums.set(key.asset, (sums.get(key.asset) ?? 0n) + amount);
    if (amount < 0n && !mayGoNegative(key)) {
      violations.push({
        code: 'negative_balance',
        message: `${id} is negative`,
        details: { account: id, amount: `${amount}` },
      });
    }
  }
  for (const [asset, sum] of sums) {
    if (sum !== 0n) {
      violations.push({
        code: 'asset_not_balanced',
        message: `${asset} sums to ${sum}`,
        details: { asset, sum: `${sum}` },
      });
    }
  }
  if (entries) violations.push(...compareWithJournal(balances, entries));
  return violations;
}

function compareWithJournal(
  balances: Balances,
  entries: Iterable<JournalEntry>,
): LedgerViolation[] {
  const replayed = replayEntries(entries);
  if (!replayed.ok) {
    return [
      {
        code: 'journal_invalid',
        message: replayed.error.message,
        details: { error: replayed.error.code },
      },
    ];
  }
  const violations: LedgerViolation[] = [];
  for (const id of new Set([...balances.keys(), ...replayed.value.keys()])) {
    const stored = balances.get(id) ?? 0n;
    const expected = replayed.value.get(id) ?? 0n;
    if (stored !== expected) {
      violations.push({
        code: 'balance_mismatch',
        message: `${id} is ${stored}, the journal says ${expected}`,
        details: { account: id, stored: `${stored}`, expected: `${expected}` },
      });
    }
  }
  return violations;
}

/** A user's held balance that differs from what their open orders reserve. */
export interface HeldMismatch {
  owner: string;
  asset: string;
  held: string;
  reserved: string;
}

/**
 * Each user's held balance per asset must equal the sum of `remaining` over their open
 * orders' reservations. Returns the differences (empty when consistent).
 */
export function heldMatchesReservations(
  balances: Balances,
  reservations: Iterable<Pick<OrderReservation, 'owner' | 'asset' | 'remaining'>>,
): HeldMismatch[] {
  const reserved = new Map<string, bigint>();
  for (const r of reservations) {
    const id = accountId(held(r.owner, r.asset));
    reserved.set(id, (reserved.get(id) ?? 0n) + r.remaining);
  }
  const heldIds = [...balances.keys()].filter((id) => parseAccountId(id).purpose === 'held');
  const mismatches: HeldMismatch[] = [];
  for (const id of new Set([...heldIds, ...reserved.keys()])) {
    const heldAmount = balances.get(id) ?? 0n;
    const reservedAmount = reserved.get(id) ?? 0n;
    if (heldAmount !== reservedAmount) {
      const { owner, asset } = parseAccountId(id);
      mismatches.push({ owner, asset, held: `${heldAmount}`, reserved: `${reservedAmount}` });
    }
  }
  return mismatches;
}
