import { AppError } from '../../../src-shared/contract';
import {
  accountId,
  mayGoNegative,
  validateEntry,
  type AccountKey,
  type JournalEntry,
} from '../../domain/ledger';
import { formatDecimal } from '../../domain/money';

/** SQLite INTEGER is int64: a balance beyond it cannot be stored, so it is refused up front. */
export const INT64_MAX = 2n ** 63n - 1n;

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

  constructor(private readonly scaleOf: (asset: string) => number) {}

  get(key: AccountKey): bigint {
    return this.balances.get(accountId(key)) ?? 0n;
  }

  load(key: AccountKey, balance: bigint): void {
    const id = accountId(key);
    this.balances.set(id, balance);
    this.keys.set(id, key);
  }

  clear(): void {
    this.balances.clear();
    this.keys.clear();
    this.dirty.clear();
  }

  /** Throws `insufficient_funds` (with the numbers) unless `entry` could be applied now. */
  check(entry: JournalEntry): void {
    this.checkDeltas(entry, deltas(entry));
  }

  private checkDeltas(entry: JournalEntry, changes: Map<string, AccountDelta>): void {
    const valid = validateEntry(entry);
    if (!valid.ok) throw new AppError(valid.error.code, valid.error.message, valid.error.details);
    for (const [id, { key, delta }] of changes) {
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
      if (after > INT64_MAX || after < -INT64_MAX) {
        throw new AppError('amount_too_large', `The ${key.asset} balance would exceed int64`);
      }
    }
  }

  /** Checks then applies; the caller records the entry for the commit. */
  apply(entry: JournalEntry): void {
    const changes = deltas(entry);
    this.checkDeltas(entry, changes);
    for (const [id, { key, delta }] of changes) {
      this.balances.set(id, (this.balances.get(id) ?? 0n) + delta);
      if (!this.keys.has(id)) this.keys.set(id, key);
      this.dirty.add(id);
    }
  }
}

interface AccountDelta {
  key: AccountKey;
  delta: bigint;
}

/** The net change per account of one entry. */
function deltas(entry: JournalEntry): Map<string, AccountDelta> {
  const out = new Map<string, AccountDelta>();
  for (const p of entry.postings) {
    const id = accountId(p.account);
    const cur = out.get(id);
    if (cur) cur.delta += p.amount;
    else out.set(id, { key: p.account, delta: p.amount });
  }
  return out;
}
