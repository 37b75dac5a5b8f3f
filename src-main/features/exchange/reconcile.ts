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

export interface ReconcileOptions {
  /**
   * Where the postings are summed: a read-only connection to the same database (see
   * `DatabaseHandle.reader`). Its read transaction keeps one snapshot while the writer goes
   * on committing, so the sum can be taken in chunks with the event loop free in between.
   * Without it (or when it is the writer itself) the sum runs in one go on `sqlite`.
   */
  reader?: Database.Database;
  /** Postings per chunk: ~10 ms of work each on the development VM. */
  chunkRows?: number;
  /** Stops between chunks (a scheduled run cancelled at shutdown). */
  signal?: AbortSignal;
  /** Holds kept outside open orders (withdrawals), counted with the orders' reservations. */
  otherHolds?: Iterable<{ owner: string; asset: string; remaining: bigint }>;
}

const DEFAULT_CHUNK_ROWS = 5_000;

/**
 * Checks the stored ledger: per asset the postings sum to zero; no user or fee balance is
 * negative; each user's held balance equals what their open orders reserve; each stored
 * balance equals the sum of its postings; and the in-memory mirror equals the database.
 *
 * The checks against memory and open orders read a few rows and run at once. Summing the
 * postings reads the whole journal (millions of rows after months of trading: seconds of
 * work that would stall every order and stream if done in one statement on the writer), so
 * it runs on the reader, chunk by chunk, and compares with the balances of its own snapshot.
 */
export async function reconcile(
  sqlite: Database.Database,
  memory?: ReadonlyMap<string, bigint>,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const problems: ReconcileProblem[] = [];
  const stored = storedBalances(sqlite);
  for (const [id, balance] of stored) {
    if (balance < 0n && !mayGoNegative(parseAccountId(id))) {
      problems.push({
        code: 'negative_balance',
        message: `${id} is negative (${balance})`,
        details: { account: id, amount: `${balance}` },
      });
    }
  }
  if (memory) {
    for (const id of new Set([...stored.keys(), ...memory.keys()])) {
      const balance = stored.get(id) ?? 0n;
      if ((memory.get(id) ?? 0n) !== balance) {
        problems.push({
          code: 'memory_mismatch',
          message: `${id} is ${memory.get(id) ?? 0n} in memory, ${balance} stored`,
          details: { account: id, memory: `${memory.get(id) ?? 0n}`, stored: `${balance}` },
        });
      }
    }
  }
  const reservations: Array<{ owner: string; asset: string; remaining: bigint }> =
    new ExchangePersistence(sqlite).openOrders().map((o) => o.res);
  for (const h of options.otherHolds ?? []) reservations.push(h);
  for (const m of heldMatchesReservations(stored, reservations)) {
    problems.push({
      code: 'held_mismatch',
      message: `${m.owner} holds ${m.held} ${m.asset}, open orders reserve ${m.reserved}`,
      details: { owner: m.owner, asset: m.asset, held: m.held, reserved: m.reserved },
    });
  }
  problems.push(...(await postingProblems(sqlite, options)));
  return { ok: problems.length === 0, checkedAccounts: stored.size, problems };
}

/** Stored balances by account id (a plain read: `db` may be the read-only connection). */
function storedBalances(db: Database.Database): Map<string, bigint> {
  const rows = db
    .prepare('SELECT owner, asset, purpose, balance FROM ledger_accounts')
    .safeIntegers(true)
    .all() as Array<{ owner: string; asset: string; purpose: AccountPurpose; balance: bigint }>;
  return new Map(rows.map((a) => [accountId(a), a.balance]));
}

/** Per-asset zero sums, and each stored balance against its postings, in one snapshot. */
async function postingProblems(
  sqlite: Database.Database,
  options: ReconcileOptions,
): Promise<ReconcileProblem[]> {
  const db = options.reader ?? sqlite;
  const concurrent = db !== sqlite;
  const chunk = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const sumRange = db
    .prepare(
      `SELECT owner, asset, purpose, SUM(amount) AS total FROM ledger_postings
       WHERE id > ? AND id <= ? GROUP BY owner, asset, purpose`,
    )
    .safeIntegers(true);
  const posted = new Map<string, bigint>();
  let stored: Map<string, bigint>;
  // A plain BEGIN takes its snapshot at the first read and holds it to the COMMIT.
  if (concurrent) db.exec('BEGIN');
  try {
    stored = storedBalances(db);
    const last = Number(
      (db.prepare('SELECT max(id) AS id FROM ledger_postings').get() as { id: number | null }).id ??
        0,
    );
    for (let lo = 0; lo < last; lo += chunk) {
      const rows = sumRange.all(lo, lo + chunk) as Array<{
        owner: string;
        asset: string;
        purpose: AccountPurpose;
        total: bigint;
      }>;
      for (const r of rows) {
        const id = accountId(r);
        posted.set(id, (posted.get(id) ?? 0n) + r.total);
      }
      if (concurrent) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        options.signal?.throwIfAborted();
        if (!db.open) throw new Error('reconciliation interrupted: the database was closed');
      }
    }
  } finally {
    if (concurrent && db.open && db.inTransaction) db.exec('COMMIT');
  }
  const problems: ReconcileProblem[] = [];
  const perAsset = new Map<string, bigint>();
  for (const [id, total] of posted) {
    const asset = parseAccountId(id).asset;
    perAsset.set(asset, (perAsset.get(asset) ?? 0n) + total);
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
  }
  return problems;
}
