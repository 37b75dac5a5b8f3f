import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { accountId, parseAccountId, validateEntry, type AccountKey } from '../../domain/ledger';
import type { ExchangeService } from './service';
import { OPEN_STATUSES } from './persistence';

/** What one compaction pass removed. */
export interface CompactionReport {
  orders: number;
  trades: number;
  entries: number;
  postings: number;
  /** Ids of the summary entries written in place of the removed ones. */
  summaryEntries: number[];
}

export interface CompactionOptions {
  /**
   * Owner prefix of the accounts whose history may go, e.g. `system:sim:`. Must start with
   * `system:`: the history of a person is never compacted.
   */
  ownerPrefix: string;
  /** Only rows last touched before this time (ms) go. */
  before: number;
  /** Rows per transaction, so one pass never blocks the exchange for long. */
  chunk?: number;
}

/**
 * `npm run bench:compaction` (15 simulated minutes of four markets): chunks of 5,000 stall the
 * event loop for ~150 ms, chunks of 1,000 for ~35 ms — inside the webhook's 60 ms p99 budget.
 */
const DEFAULT_CHUNK = 1_000;

/**
 * Compacts the old history of system accounts (the simulator's market makers and takers),
 * which otherwise grows by about half a gigabyte a day while the app is open:
 *
 * - terminal orders owned by those accounts,
 * - trades where both sides are such accounts,
 * - ledger entries whose postings all belong to system accounts and touch at least one of
 *   them. Their postings are replaced by ONE summary entry holding the net per account, so
 *   every balance still equals the sum of its postings and every asset still sums to zero
 *   (the reconciliation checks both). Entries that touch a user are never removed.
 *
 * Each chunk runs through the exchange's command queue (the summary entry takes the next
 * entry id) and commits in one transaction with the batch: a crash leaves either the old rows
 * or their summary, never neither. Balances in memory do not change.
 */
export async function compactSystemHistory(
  exchange: ExchangeService,
  sqlite: Database.Database,
  opts: CompactionOptions,
): Promise<CompactionReport> {
  if (!opts.ownerPrefix.startsWith('system:') || opts.ownerPrefix.length <= 'system:'.length) {
    throw new Error(`refusing to compact the history of ${JSON.stringify(opts.ownerPrefix)}`);
  }
  const q = new HistoryQueries(sqlite, opts.ownerPrefix);
  const chunk = opts.chunk ?? DEFAULT_CHUNK;
  const report: CompactionReport = {
    orders: 0,
    trades: 0,
    entries: 0,
    postings: 0,
    summaryEntries: [],
  };
  for (;;) {
    const n = q.deleteOrders(opts.before, chunk);
    report.orders += n;
    if (n < chunk) break;
    await pause();
  }
  for (;;) {
    const n = q.deleteTrades(opts.before, chunk);
    report.trades += n;
    if (n < chunk) break;
    await pause();
  }
  let afterId = 0;
  for (;;) {
    const done = await exchange.submit((state) => {
      const scan = q.scanEntries(afterId, opts.before, chunk);
      afterId = scan.lastId;
      if (scan.ids.length === 0) return scan.exhausted;
      const net = q.netPostings(scan.ids);
      const postings = [...net]
        .filter(([, amount]) => amount !== 0n)
        .map(([id, amount]) => {
          const account: AccountKey = parseAccountId(id);
          return { account, asset: account.asset, amount };
        });
      const first = scan.ids[0] as number;
      const last = scan.ids[scan.ids.length - 1] as number;
      if (postings.length > 0) {
        // Each removed entry balanced per asset, so their net does too; checked anyway,
        // since an unbalanced summary would break the ledger for good.
        const entry = validateEntry({
          kind: 'history_summary',
          refType: 'history',
          refId: `${first}-${last}`,
          reason: `net of ${scan.ids.length} ${opts.ownerPrefix}* entries ${first}…${last}`,
          postings,
        });
        if (!entry.ok) throw new Error(`history summary refused: ${entry.error.message}`);
        // Not `state.record`: the balances already include these amounts.
        const id = state.nextEntryId++;
        state.batch.entries.push({ id, ts: state.batch.ts, entry: entry.value });
        report.summaryEntries.push(id);
      }
      const ids = scan.ids;
      state.batch.sideWrites.push(() => {
        report.postings += q.deleteEntries(ids);
        report.entries += ids.length;
      });
      return scan.exhausted;
    });
    if (done) break;
    await pause();
  }
  return report;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The statements of a compaction, for one owner prefix. */
class HistoryQueries {
  private readonly ordersStmt: Statement;
  private readonly tradesStmt: Statement;
  private readonly scanStmt: Statement;
  private readonly eligibleStmt: Statement;
  private readonly postingsStmt: Statement;
  private readonly deletePostingsStmt: Statement;
  private readonly deleteEntryStmt: Statement;
  /** [prefix, prefix-successor): a range the owner indexes can serve, unlike LIKE. */
  private readonly lo: string;
  private readonly hi: string;

  constructor(
    private readonly sqlite: Database.Database,
    prefix: string,
  ) {
    this.lo = prefix;
    this.hi = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    const open = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
    this.ordersStmt = sqlite.prepare(
      `DELETE FROM orders WHERE id IN (SELECT id FROM orders
       WHERE user_id >= ? AND user_id < ? AND status NOT IN (${open}) AND ts_updated < ? LIMIT ?)`,
    );
    this.tradesStmt = sqlite.prepare(
      `DELETE FROM trades WHERE rowid IN (SELECT rowid FROM trades
       WHERE buyer_id >= ? AND buyer_id < ? AND seller_id >= ? AND seller_id < ? AND ts < ? LIMIT ?)`,
    );
    this.scanStmt = sqlite.prepare(
      'SELECT id, ts FROM ledger_entries WHERE id > ? ORDER BY id LIMIT ?',
    );
    this.eligibleStmt = sqlite.prepare(
      `SELECT
         SUM(CASE WHEN owner >= ? AND owner < ? THEN 1 ELSE 0 END) AS ours,
         SUM(CASE WHEN owner LIKE 'system:%' THEN 0 ELSE 1 END) AS people
       FROM ledger_postings WHERE entry_id = ?`,
    );
    this.postingsStmt = sqlite
      .prepare('SELECT owner, asset, purpose, amount FROM ledger_postings WHERE entry_id = ?')
      .safeIntegers(true);
    this.deletePostingsStmt = sqlite.prepare('DELETE FROM ledger_postings WHERE entry_id = ?');
    this.deleteEntryStmt = sqlite.prepare('DELETE FROM ledger_entries WHERE id = ?');
  }

  deleteOrders(before: number, limit: number): number {
    return this.sqlite.transaction(
      () => this.ordersStmt.run(this.lo, this.hi, before, limit).changes,
    )();
  }

  deleteTrades(before: number, limit: number): number {
    return this.sqlite.transaction(
      () => this.tradesStmt.run(this.lo, this.hi, this.lo, this.hi, before, limit).changes,
    )();
  }

  /**
   * The next `limit` entries after `afterId`, kept when eligible. Stops at the first entry
   * not older than `before` (ids grow with time), which ends the pass.
   */
  scanEntries(
    afterId: number,
    before: number,
    limit: number,
  ): { ids: number[]; lastId: number; exhausted: boolean } {
    const rows = this.scanStmt.all(afterId, limit) as Array<{ id: number; ts: number }>;
    const ids: number[] = [];
    let lastId = afterId;
    for (const r of rows) {
      if (r.ts >= before) return { ids, lastId, exhausted: true };
      lastId = r.id;
      const c = this.eligibleStmt.get(this.lo, this.hi, r.id) as {
        ours: number | null;
        people: number | null;
      };
      if ((c.ours ?? 0) > 0 && (c.people ?? 0) === 0) ids.push(r.id);
    }
    return { ids, lastId, exhausted: rows.length < limit };
  }

  /** Net amount per account over these entries' postings. */
  netPostings(ids: readonly number[]): Map<string, bigint> {
    const net = new Map<string, bigint>();
    for (const id of ids) {
      const rows = this.postingsStmt.all(id) as Array<{
        owner: string;
        asset: string;
        purpose: 'available' | 'held';
        amount: bigint;
      }>;
      for (const p of rows) {
        const key = accountId({ owner: p.owner, asset: p.asset, purpose: p.purpose });
        net.set(key, (net.get(key) ?? 0n) + p.amount);
      }
    }
    return net;
  }

  /** Deletes the entries and their postings; answers the number of postings removed. */
  deleteEntries(ids: readonly number[]): number {
    let postings = 0;
    for (const id of ids) {
      postings += this.deletePostingsStmt.run(id).changes;
      this.deleteEntryStmt.run(id);
    }
    return postings;
  }
}
