import type { Result } from '../money';
import { err, ok } from '../money';
import type { AccountKey } from './accounts';
import { accountId, mayGoNegative } from './accounts';
import type { JournalEntry } from './journal';
import { validateEntry } from './journal';

/** Balances by `accountId`, in minor units. Absent means zero. */
export type Balances = ReadonlyMap<string, bigint>;

/** The balance of one account (zero when absent). */
export function balanceOf(balances: Balances, key: AccountKey): bigint {
  return balances.get(accountId(key)) ?? 0n;
}

/** Net change per account in an entry (several postings may touch one account). */
function deltasOf(entry: JournalEntry): Map<string, { key: AccountKey; delta: bigint }> {
  const deltas = new Map<string, { key: AccountKey; delta: bigint }>();
  for (const p of entry.postings) {
    const id = accountId(p.account);
    const current = deltas.get(id);
    deltas.set(id, { key: p.account, delta: (current?.delta ?? 0n) + p.amount });
  }
  return deltas;
}

/**
 * Applies a validated entry and returns the new balances (the input is not changed). Refused
 * as a whole — nothing applied — with the entry's validation error, or `insufficient_funds`
 * when an account that may not go negative (users, fees) would. Amounts in `details` are
 * minor units as decimal strings, so the error stays JSON-safe.
 */
export function applyEntry(balances: Balances, entry: JournalEntry): Result<Map<string, bigint>> {
  const valid = validateEntry(entry);
  if (!valid.ok) return valid;
  const next = new Map(balances);
  for (const [id, { key, delta }] of deltasOf(entry)) {
    const before = balances.get(id) ?? 0n;
    const after = before + delta;
    if (after < 0n && delta < 0n && !mayGoNegative(key)) {
      return err('insufficient_funds', `${key.owner} has too little ${key.asset} ${key.purpose}`, {
        account: id,
        owner: key.owner,
        asset: key.asset,
        purpose: key.purpose,
        needed: (-delta).toString(),
        available: before.toString(),
      });
    }
    next.set(id, after);
  }
  return ok(next);
}

/** Applies entries in order from empty balances: the reference for reconciliation and replay. */
export function replayEntries(entries: Iterable<JournalEntry>): Result<Map<string, bigint>> {
  let balances = new Map<string, bigint>();
  for (const entry of entries) {
    const next = applyEntry(balances, entry);
    if (!next.ok) return next;
    balances = next.value;
  }
  return ok(balances);
}
