import type Database from 'better-sqlite3';
import {
  accountId,
  heldMatchesReservations,
  mayGoNegative,
  parseAccountId,
  type AccountPurpose,
} from '../../domain/ledger';
import { ExchangePersistence } from './persistence';

export interface ReconcileProblem {
  code: string;
  message: string;
  details: Record<string, string>;
}

export interface ReconcileReport {
  ok: boolean;
  checkedAccounts: number;
  problems: ReconcileProblem[];
}

/**
 * Checks the stored ledger: per asset the postings sum to zero; no user or fee balance is
 * negative; each user's held balance equals what their open orders reserve; each stored
 * balance equals the sum of its postings; and the in-memory mirror equals the database.
 */
export function reconcile(
  sqlite: Database.Database,
  memory?: ReadonlyMap<string, bigint>,
): ReconcileReport {
  const problems: ReconcileProblem[] = [];
  const db = new ExchangePersistence(sqlite);
  const stored = new Map<string, bigint>();
  for (const a of db.accounts()) {
    stored.set(accountId({ owner: a.owner, asset: a.asset, purpose: a.purpose }), a.balance);
  }
  const posted = new Map<string, bigint>();
  const rows = sqlite
    .prepare(
      'SELECT owner, asset, purpose, SUM(amount) AS total FROM ledger_postings GROUP BY owner, asset, purpose',
    )
    .safeIntegers(true)
    .all() as Array<{ owner: string; asset: string; purpose: AccountPurpose; total: bigint }>;
  const perAsset = new Map<string, bigint>();
  for (const r of rows) {
    posted.set(accountId(r), r.total);
    perAsset.set(r.asset, (perAsset.get(r.asset) ?? 0n) + r.total);
  }
  for (const [asset, sum] of perAsset) {
    if (sum !== 0n) {
      problems.push({
        code: 'asset_not_balanced',
        message: `${asset} postings sum to ${sum}, not 0`,
        details: { asset, sum: `${sum}` },
      });
    }
  }
  for (const id of new Set([...stored.keys(), ...posted.keys()])) {
    const balance = stored.get(id) ?? 0n;
    const expected = posted.get(id) ?? 0n;
    if (balance !== expected) {
      problems.push({
        code: 'balance_mismatch',
        message: `${id} is ${balance}, its postings sum to ${expected}`,
        details: { account: id, stored: `${balance}`, postings: `${expected}` },
      });
    }
    if (balance < 0n && !mayGoNegative(parseAccountId(id))) {
      problems.push({
        code: 'negative_balance',
        message: `${id} is negative (${balance})`,
        details: { account: id, amount: `${balance}` },
      });
    }
    if (memory && (memory.get(id) ?? 0n) !== balance) {
      problems.push({
        code: 'memory_mismatch',
        message: `${id} is ${memory.get(id) ?? 0n} in memory, ${balance} stored`,
        details: { account: id, memory: `${memory.get(id) ?? 0n}`, stored: `${balance}` },
      });
    }
  }
  const reservations = db.openOrders().map((o) => o.res);
  for (const m of heldMatchesReservations(stored, reservations)) {
    problems.push({
      code: 'held_mismatch',
      message: `${m.owner} holds ${m.held} ${m.asset}, open orders reserve ${m.reserved}`,
      details: { owner: m.owner, asset: m.asset, held: m.held, reserved: m.reserved },
    });
  }
  return { ok: problems.length === 0, checkedAccounts: stored.size, problems };
}
