import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
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

export const OPEN_STATUSES: readonly OrderStatus[] = ['new', 'partially_filled'];

const ORDER_COLUMNS = [
  'id',
  'user_id',
  'symbol',
  'client_order_id',
  'side',
  'kind',
  'tif',
  'post_only',
  'stp',
  'price',
  'stop_price',
  'qty',
  'quote_qty',
  'open_qty',
  'filled_qty',
  'filled_quote',
  'status',
  'cancel_reason',
  'waiting',
  'priority',
  'res_asset',
  'res_remaining',
  'res_fee_accrual',
  'res_fees_paid',
  'res_max_fee_ppm',
  'ts_created',
  'ts_updated',
];

/** Raw row of `orders` read with safe integers (every INTEGER is a bigint). */
export type OrderRow = Record<string, bigint | string | null>;

/**
 * Prepared statements for the hot path: drizzle's query builder per row costs ~10× more
 * than a prepared statement, and a batch writes several rows per order.
 */
export class ExchangePersistence {
  private readonly insertEntry: Statement;
  private readonly insertPosting: Statement;
  private readonly upsertAccount: Statement;
  private readonly upsertOrder: Statement;
  private readonly insertTrade: Statement;
  private readonly upsertMarket: Statement;
  private readonly upsertAsset: Statement;
  private readonly upsertSequence: Statement;
  private readonly findClientOrder: Statement;

  constructor(private readonly sqlite: Database.Database) {
    const s = sqlite;
    this.insertEntry = s.prepare(
      'INSERT INTO ledger_entries (id, kind, ref_type, ref_id, reason, ts) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertPosting = s.prepare(
      'INSERT INTO ledger_postings (entry_id, owner, asset, purpose, amount) VALUES (?, ?, ?, ?, ?)',
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
    this.insertTrade = s.prepare(
      `INSERT INTO trades (symbol, trade_id, price, qty, quote_units, taker_side, buy_order_id,
       sell_order_id, buyer_id, seller_id, buyer_fee, seller_fee, ts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    this.findClientOrder = s.prepare(
      `SELECT id FROM orders WHERE user_id = ? AND client_order_id = ? AND ts_created >= ?
       ORDER BY id DESC LIMIT 1`,
    );
  }

  /** Writes a batch; call inside `store.write`. */
  write(w: BatchWrites): void {
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
      this.insertEntry.run(id, entry.kind, entry.refType, entry.refId, entry.reason ?? null, ts);
      for (const p of entry.postings) {
        this.insertPosting.run(id, p.account.owner, p.asset, p.account.purpose, p.amount);
      }
    }
    for (const a of w.accounts) {
      this.upsertAccount.run(a.key.owner, a.key.asset, a.key.purpose, a.balance);
    }
    for (const o of w.orders) this.upsertOrder.run(...orderParams(o));
    for (const t of w.trades) {
      this.insertTrade.run(
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
      .prepare(`SELECT * FROM orders WHERE status IN ('new', 'partially_filled') ORDER BY id`)
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
  return [
    o.id,
    o.userId,
    o.symbol,
    o.clientOrderId,
    o.side,
    o.kind,
    o.tif,
    o.postOnly ? 1 : 0,
    o.stp,
    o.price,
    o.stopPrice,
    o.qty,
    o.quoteQty,
    o.openQty,
    o.filledQty,
    o.filledQuote,
    o.status,
    o.cancelReason,
    o.waiting ? 1 : 0,
    o.priority,
    o.res.asset,
    o.res.remaining,
    o.res.feeAccrual.toString(),
    o.res.feesPaid,
    o.res.maxFeePpm,
    o.tsCreated,
    o.tsUpdated,
  ];
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
  };
}
