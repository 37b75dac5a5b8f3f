import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { OPEN_ORDER_SQL, OPEN_ORDER_STATUSES } from '../../db/schema/exchange';
import type { OrderStatus } from '../../domain/exchange';
import type { AccountKey } from '../../domain/ledger';
import type { Asset, MarketConfig } from '../../domain/markets';
import type { StoredEntry } from './ledger-state';
import type { OrderState, TradeRow } from './types';

/** Everything one batch changed, written in one transaction. */
export interface BatchWrites {
  entries: StoredEntry[];
  accounts: Array<{ key: AccountKey; balance: bigint }>;
  orders: OrderState[];
  /** Ids among `orders` placed in this batch (inserted; the others already have a row). */
  created?: ReadonlySet<number>;
  trades: TradeRow[];
  markets: Array<{
    config: MarketConfig;
    lastPrice: number;
    lastSeq: number;
    lastTradeId: number;
  }>;
  assets: Asset[];
  sequences: Array<[string, number]>;
}

export const OPEN_STATUSES: readonly OrderStatus[] = OPEN_ORDER_STATUSES;

/**
 * The `orders` columns in table order, each with how it is read from an order and whether it
 * can change after placement (fills, cancels, amends, triggers). One list, so the INSERT, the
 * UPDATE and their parameters cannot drift apart.
 */
const ORDER_FIELDS: ReadonlyArray<{
  column: string;
  value: (o: OrderState) => unknown;
  mutable?: true;
}> = [
  { column: 'id', value: (o) => o.id },
  { column: 'user_id', value: (o) => o.userId },
  { column: 'symbol', value: (o) => o.symbol },
  { column: 'client_order_id', value: (o) => o.clientOrderId },
  { column: 'side', value: (o) => o.side },
  { column: 'kind', value: (o) => o.kind },
  { column: 'tif', value: (o) => o.tif },
  { column: 'post_only', value: (o) => (o.postOnly ? 1 : 0) },
  { column: 'stp', value: (o) => o.stp },
  { column: 'price', value: (o) => o.price, mutable: true },
  { column: 'stop_price', value: (o) => o.stopPrice, mutable: true },
  { column: 'qty', value: (o) => o.qty, mutable: true }, // an amend changes the size
  { column: 'quote_qty', value: (o) => o.quoteQty },
  { column: 'open_qty', value: (o) => o.openQty, mutable: true },
  { column: 'filled_qty', value: (o) => o.filledQty, mutable: true },
  { column: 'filled_quote', value: (o) => o.filledQuote, mutable: true },
  { column: 'status', value: (o) => o.status, mutable: true },
  { column: 'cancel_reason', value: (o) => o.cancelReason, mutable: true },
  { column: 'waiting', value: (o) => (o.waiting ? 1 : 0), mutable: true },
  { column: 'priority', value: (o) => o.priority, mutable: true },
  { column: 'res_asset', value: (o) => o.res.asset },
  { column: 'res_remaining', value: (o) => o.res.remaining, mutable: true },
  { column: 'res_fee_accrual', value: (o) => o.res.feeAccrual.toString(), mutable: true },
  { column: 'res_fees_paid', value: (o) => o.res.feesPaid, mutable: true },
  { column: 'res_max_fee_ppm', value: (o) => o.res.maxFeePpm },
  { column: 'ts_created', value: (o) => o.tsCreated },
  { column: 'ts_updated', value: (o) => o.tsUpdated, mutable: true },
  { column: 'trail_bps', value: (o) => o.trail?.bps ?? 0 },
  { column: 'trail_amount', value: (o) => o.trail?.amount ?? 0 },
  { column: 'trail_anchor', value: (o) => o.trail?.anchor ?? 0, mutable: true },
  { column: 'trail_from', value: (o) => o.trail?.from ?? 0 },
  { column: 'trail_since', value: (o) => o.trail?.since ?? 0, mutable: true },
];
const ORDER_COLUMNS = ORDER_FIELDS.map((f) => f.column);
const ORDER_MUTABLE = ORDER_FIELDS.filter((f) => f.mutable);

/** Raw row of `orders` read with safe integers (every INTEGER is a bigint). */
export type OrderRow = Record<string, bigint | string | null>;

/** Rows per multi-row INSERT: each `run` crosses into native code, which costs ~1–2 µs. */
const ROWS_PER_INSERT = 32;

/**
 * Buffers rows of one INSERT and writes them `ROWS_PER_INSERT` at a time with one
 * multi-row statement (the tail with a statement of its size, prepared once and kept).
 */
class RowInserter {
  private readonly statements = new Map<number, Statement>();
  /**
   * The parameters of one full statement, refilled in place and never truncated: emptying an
   * array with `length = 0` frees its storage, and regrowing it cost ~2 KB of garbage per order.
   */
  private readonly params: unknown[];
  private filled = 0;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly head: string,
    private readonly width: number,
    private readonly tail = '',
  ) {
    this.params = new Array<unknown>(width * ROWS_PER_INSERT).fill(null);
  }

  add(...values: unknown[]): void {
    this.addRow(values);
  }

  addRow(values: readonly unknown[]): void {
    for (let i = 0; i < values.length; i++) this.params[this.filled++] = values[i];
    if (this.filled === this.params.length) this.flush();
  }

  flush(): void {
    if (this.filled === 0) return;
    const full = this.filled === this.params.length;
    this.statement(this.filled / this.width).run(
      full ? this.params : this.params.slice(0, this.filled),
    );
    this.filled = 0;
  }

  /** Drops buffered rows (a batch whose transaction failed). */
  discard(): void {
    this.filled = 0;
  }

  private statement(rows: number): Statement {
    let st = this.statements.get(rows);
    if (!st) {
      const row = `(${Array.from({ length: this.width }, () => '?').join(', ')})`;
      const values = Array.from({ length: rows }, () => row).join(', ');
      st = this.sqlite.prepare(`${this.head} VALUES ${values} ${this.tail}`);
      this.statements.set(rows, st);
    }
    return st;
  }
}

/**
 * Prepared statements for the hot path: drizzle's query builder per row costs ~10× more
 * than a prepared statement, and a batch writes several rows per order. New rows go in
 * multi-row INSERTs; an order already stored is updated in its changing columns only, so
 * its user and client-id index entries are left alone.
 */
export class ExchangePersistence {
  private readonly insertEntry: RowInserter;
  private readonly insertPosting: RowInserter;
  private readonly upsertAccount: Statement;
  private readonly upsertOrder: Statement;
  private readonly insertOrder: RowInserter;
  private readonly updateOrder: Statement;
  private readonly insertTrade: RowInserter;
  private readonly upsertMarket: Statement;
  private readonly upsertAsset: Statement;
  private readonly upsertSequence: Statement;
  private readonly findClientOrder: Statement;

  constructor(private readonly sqlite: Database.Database) {
    const s = sqlite;
    this.insertEntry = new RowInserter(
      s,
      'INSERT INTO ledger_entries (id, kind, ref_type, ref_id, reason, ts)',
      6,
    );
    this.insertPosting = new RowInserter(
      s,
      'INSERT INTO ledger_postings (entry_id, owner, asset, purpose, amount)',
      5,
    );
    this.upsertAccount = s.prepare(
      `INSERT INTO ledger_accounts (owner, asset, purpose, balance) VALUES (?, ?, ?, ?)
       ON CONFLICT (owner, asset, purpose) DO UPDATE SET balance = excluded.balance`,
    );
    const cols = ORDER_COLUMNS.join(', ');
    const marks = ORDER_COLUMNS.map(() => '?').join(', ');
    const updates = ORDER_COLUMNS.slice(1)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    this.upsertOrder = s.prepare(
      `INSERT INTO orders (${cols}) VALUES (${marks}) ON CONFLICT (id) DO UPDATE SET ${updates}`,
    );
    this.insertOrder = new RowInserter(s, `INSERT INTO orders (${cols})`, ORDER_COLUMNS.length);
    this.updateOrder = s.prepare(
      `UPDATE orders SET ${ORDER_MUTABLE.map((f) => `${f.column} = ?`).join(', ')} WHERE id = ?`,
    );
    this.insertTrade = new RowInserter(
      s,
      `INSERT INTO trades (symbol, trade_id, price, qty, quote_units, taker_side, buy_order_id,
       sell_order_id, buyer_id, seller_id, buyer_fee, seller_fee, ts)`,
      13,
    );
    this.upsertMarket = s.prepare(
      `INSERT INTO markets (symbol, base, quote, tick_size, lot_size, min_qty, min_notional,
       maker_fee_ppm, taker_fee_ppm, status, price_band_bps, last_price, last_seq, last_trade_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (symbol) DO UPDATE SET min_qty = excluded.min_qty,
       min_notional = excluded.min_notional, maker_fee_ppm = excluded.maker_fee_ppm,
       taker_fee_ppm = excluded.taker_fee_ppm, status = excluded.status,
       price_band_bps = excluded.price_band_bps, last_price = excluded.last_price,
       last_seq = excluded.last_seq, last_trade_id = excluded.last_trade_id`,
    );
    this.upsertAsset = s.prepare(
      'INSERT INTO assets (code, scale, name) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING',
    );
    this.upsertSequence = s.prepare(
      `INSERT INTO exchange_sequences (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    );
    // INDEXED BY: without statistics the planner would rather range-scan the user's orders
    // by time (orders_user_idx) than look the client id up; the lookup is one probe.
    this.findClientOrder = s.prepare(
      `SELECT id FROM orders INDEXED BY orders_client_idx
       WHERE user_id = ? AND client_order_id = ? AND ts_created >= ? ORDER BY id DESC LIMIT 1`,
    );
  }

  /** Writes a batch; call inside `store.write` (a throw rolls it back). */
  write(w: BatchWrites): void {
    try {
      this.writeRows(w);
    } finally {
      for (const r of [this.insertEntry, this.insertPosting, this.insertOrder, this.insertTrade]) {
        r.discard();
      }
    }
  }

  private writeRows(w: BatchWrites): void {
    for (const a of w.assets) this.upsertAsset.run(a.code, a.scale, a.name);
    for (const m of w.markets) {
      const c = m.config;
      this.upsertMarket.run(
        c.symbol,
        c.base,
        c.quote,
        c.tickSize,
        c.lotSize,
        c.minQty,
        c.minNotional,
        c.makerFeePpm,
        c.takerFeePpm,
        c.status,
        c.priceBandBps,
        m.lastPrice,
        m.lastSeq,
        m.lastTradeId,
      );
    }
    for (const { id, ts, entry } of w.entries) {
      this.insertEntry.add(id, entry.kind, entry.refType, entry.refId, entry.reason ?? null, ts);
      for (const p of entry.postings) {
        this.insertPosting.add(id, p.account.owner, p.asset, p.account.purpose, p.amount);
      }
    }
    this.insertEntry.flush();
    this.insertPosting.flush();
    for (const a of w.accounts) {
      this.upsertAccount.run(a.key.owner, a.key.asset, a.key.purpose, a.balance);
    }
    for (const o of w.orders) {
      if (w.created?.has(o.id)) this.insertOrder.addRow(orderParams(o));
      else if (this.updateOrder.run(...mutableParams(o), o.id).changes === 0) {
        // Not stored yet although not placed in this batch: insert it whole.
        this.upsertOrder.run(...orderParams(o));
      }
    }
    this.insertOrder.flush();
    for (const t of w.trades) {
      this.insertTrade.add(
        t.symbol,
        t.tradeId,
        t.price,
        t.qty,
        t.quoteUnits,
        t.takerSide,
        t.buyOrderId,
        t.sellOrderId,
        t.buyerId,
        t.sellerId,
        t.buyerFee,
        t.sellerFee,
        t.ts,
      );
    }
    this.insertTrade.flush();
    for (const [name, value] of w.sequences) this.upsertSequence.run(name, value);
  }

  /** The newest order of this user with this client id created at or after `since`. */
  clientOrder(userId: string, clientOrderId: string, since: number): number | undefined {
    const row = this.findClientOrder.get(userId, clientOrderId, since) as
      { id: number } | undefined;
    return row?.id;
  }

  assets(): Asset[] {
    return this.sqlite
      .prepare('SELECT code, scale, name FROM assets ORDER BY code')
      .all() as Asset[];
  }

  markets(): Array<MarketConfig & { lastPrice: number; lastSeq: number; lastTradeId: number }> {
    return this.sqlite
      .prepare(
        `SELECT symbol, base, quote, tick_size AS tickSize, lot_size AS lotSize, min_qty AS minQty,
         min_notional AS minNotional, maker_fee_ppm AS makerFeePpm, taker_fee_ppm AS takerFeePpm,
         status, price_band_bps AS priceBandBps, last_price AS lastPrice, last_seq AS lastSeq,
         last_trade_id AS lastTradeId FROM markets ORDER BY symbol`,
      )
      .all() as Array<MarketConfig & { lastPrice: number; lastSeq: number; lastTradeId: number }>;
  }

  accounts(): Array<{
    owner: string;
    asset: string;
    purpose: 'available' | 'held';
    balance: bigint;
  }> {
    return this.sqlite
      .prepare('SELECT owner, asset, purpose, balance FROM ledger_accounts')
      .safeIntegers(true)
      .all() as Array<{
      owner: string;
      asset: string;
      purpose: 'available' | 'held';
      balance: bigint;
    }>;
  }

  openOrders(): OrderState[] {
    const rows = this.sqlite
      // INDEXED BY: without statistics the planner prefers scanning the whole table (it is
      // already in id order), which grows with history; the open orders are few. It also makes
      // this statement fail to prepare if the index's condition and OPEN_ORDER_SQL drift.
      .prepare(
        `SELECT * FROM orders INDEXED BY orders_open_idx WHERE ${OPEN_ORDER_SQL} ORDER BY id`,
      )
      .safeIntegers(true)
      .all() as OrderRow[];
    return rows.map(orderFromRow);
  }

  sequences(): Map<string, number> {
    const rows = this.sqlite.prepare('SELECT name, value FROM exchange_sequences').all() as Array<{
      name: string;
      value: number;
    }>;
    return new Map(rows.map((r) => [r.name, r.value]));
  }

  maxEntryId(): number {
    const row = this.sqlite.prepare('SELECT max(id) AS id FROM ledger_entries').get() as {
      id: number | null;
    };
    return row.id ?? 0;
  }
}

function orderParams(o: OrderState): unknown[] {
  return ORDER_FIELDS.map((f) => f.value(o));
}

function mutableParams(o: OrderState): unknown[] {
  return ORDER_MUTABLE.map((f) => f.value(o));
}

const num = (v: bigint | string | number | null): number => Number(v);
const big = (v: bigint | string | number | null): bigint =>
  typeof v === 'bigint' ? v : BigInt(v ?? 0);

/** Reads an `orders` row (selected with safe integers) back into an order state. */
export function orderFromRow(r: OrderRow): OrderState {
  const id = num(r.id ?? null);
  return {
    id,
    userId: r.user_id as string,
    symbol: r.symbol as string,
    clientOrderId: (r.client_order_id as string | null) ?? null,
    side: r.side as OrderState['side'],
    kind: r.kind as OrderState['kind'],
    tif: r.tif as OrderState['tif'],
    postOnly: num(r.post_only ?? 0) === 1,
    stp: r.stp as OrderState['stp'],
    price: num(r.price ?? 0),
    stopPrice: num(r.stop_price ?? 0),
    qty: num(r.qty ?? 0),
    quoteQty: num(r.quote_qty ?? 0),
    openQty: num(r.open_qty ?? 0),
    filledQty: num(r.filled_qty ?? 0),
    filledQuote: big(r.filled_quote ?? 0n),
    status: r.status as OrderStatus,
    cancelReason: (r.cancel_reason as OrderState['cancelReason']) ?? null,
    waiting: num(r.waiting ?? 0) === 1,
    priority: num(r.priority ?? 0),
    res: {
      orderId: String(id),
      owner: r.user_id as string,
      symbol: r.symbol as string,
      side: r.side as OrderState['side'],
      asset: r.res_asset as string,
      remaining: big(r.res_remaining ?? 0n),
      feeAccrual: BigInt(r.res_fee_accrual as string),
      feesPaid: big(r.res_fees_paid ?? 0n),
      maxFeePpm: num(r.res_max_fee_ppm ?? 0),
    },
    tsCreated: num(r.ts_created ?? 0),
    tsUpdated: num(r.ts_updated ?? 0),
    ...(num(r.trail_bps ?? 0) > 0 || num(r.trail_amount ?? 0) > 0
      ? {
          trail: {
            bps: num(r.trail_bps ?? 0),
            amount: num(r.trail_amount ?? 0),
            anchor: num(r.trail_anchor ?? 0),
            from: num(r.trail_from ?? 0),
            since: num(r.trail_since ?? 0),
          },
        }
      : {}),
  };
}
