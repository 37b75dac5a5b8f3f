import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ORDER_SIDES, ORDER_TYPES, TIME_IN_FORCES } from '../../../src-shared/contract/exchange';

/**
 * The exchange core. Money columns are SQLite INTEGER (int64) in minor units and are read
 * with better-sqlite3's `safeIntegers` as bigint: a USDT balance in micro-units passes 2^53
 * at 9 billion USDT, so JavaScript numbers would silently round. Fee accruals (notional ×
 * ppm) can pass int64 and are stored as decimal TEXT.
 */

/** Assets balances are kept in; `scale` is the decimals of the minor unit. */
export const assets = sqliteTable('assets', {
  code: text('code').primaryKey(),
  scale: integer('scale').notNull(),
  name: text('name').notNull(),
});

/** Spot markets as configured (decimal strings) plus the engine counters recovery needs. */
export const markets = sqliteTable('markets', {
  symbol: text('symbol').primaryKey(),
  base: text('base').notNull(),
  quote: text('quote').notNull(),
  tickSize: text('tick_size').notNull(),
  lotSize: text('lot_size').notNull(),
  minQty: text('min_qty').notNull(),
  minNotional: text('min_notional').notNull(),
  makerFeePpm: integer('maker_fee_ppm').notNull(),
  takerFeePpm: integer('taker_fee_ppm').notNull(),
  status: text('status', { enum: ['trading', 'halted', 'cancel_only'] }).notNull(),
  priceBandBps: integer('price_band_bps').notNull(),
  /** Last trade price in ticks (0: none), last event seq and last trade id of the engine. */
  lastPrice: integer('last_price').notNull().default(0),
  lastSeq: integer('last_seq').notNull().default(0),
  lastTradeId: integer('last_trade_id').notNull().default(0),
});

/** Named counters (the global order id, the resting-priority sequence). */
export const exchangeSequences = sqliteTable('exchange_sequences', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});

/**
 * The statuses of an open order, and the SQL condition that selects them. SQLite uses a
 * partial index only for a query whose WHERE clause contains the index's condition as the same
 * expression (the same list in the same order), so every query for open orders uses this
 * string (a test pins the query plans).
 */
export const OPEN_ORDER_STATUSES = ['new', 'partially_filled'] as const;
export const OPEN_ORDER_SQL = `status IN (${OPEN_ORDER_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * Every accepted order with its current state and, while open, its reservation. `priority`
 * orders resting orders within a price level (and stops within a stop price): recovery
 * rests them in (price, priority) order to reproduce time priority exactly.
 */
export const orders = sqliteTable(
  'orders',
  {
    id: integer('id').primaryKey(),
    userId: text('user_id').notNull(),
    symbol: text('symbol').notNull(),
    clientOrderId: text('client_order_id'),
    side: text('side', { enum: ORDER_SIDES }).notNull(),
    kind: text('kind', { enum: ORDER_TYPES }).notNull(),
    tif: text('tif', { enum: TIME_IN_FORCES }).notNull(),
    postOnly: integer('post_only', { mode: 'boolean' }).notNull(),
    stp: text('stp').notNull(),
    /** Ticks; 0 when absent. */
    price: integer('price').notNull(),
    /** A trailing stop's moves as it tracks (the engine's `trailed` events). */
    stopPrice: integer('stop_price').notNull(),
    /**
     * Trailing stops (0 for the others): basis points behind the anchor — or, for a trail by
     * an amount, `trail_amount` ticks behind it (then trail_bps is 0) —, the best trade price
     * since it started tracking (0 while it waits for its activation), and that activation
     * price (0 when it tracked from placement); when it started tracking (ms, 0 not yet).
     */
    trailBps: integer('trail_bps').notNull().default(0),
    trailAmount: integer('trail_amount').notNull().default(0),
    trailAnchor: integer('trail_anchor').notNull().default(0),
    trailFrom: integer('trail_from').notNull().default(0),
    trailSince: integer('trail_since').notNull().default(0),
    /** Lots as placed (0 for a quote-amount buy) and quote budget in notional units. */
    qty: integer('qty').notNull(),
    quoteQty: integer('quote_qty').notNull(),
    /** Open lots (resting remainder) and filled lots. */
    openQty: integer('open_qty').notNull(),
    filledQty: integer('filled_qty').notNull(),
    /** Quote minor units traded (before fees). */
    filledQuote: integer('filled_quote').notNull(),
    status: text('status').notNull(),
    cancelReason: text('cancel_reason'),
    /** 1 while a stop waits for its trigger. */
    waiting: integer('waiting').notNull(),
    priority: integer('priority').notNull(),
    resAsset: text('res_asset').notNull(),
    resRemaining: integer('res_remaining').notNull(),
    resFeeAccrual: text('res_fee_accrual').notNull(),
    resFeesPaid: integer('res_fees_paid').notNull(),
    resMaxFeePpm: integer('res_max_fee_ppm').notNull(),
    tsCreated: integer('ts_created').notNull(),
    tsUpdated: integer('ts_updated').notNull(),
  },
  (t) => [
    // (user, ts_created): a user's orders in time order, so listing them by time window and
    // paging walks one index range (each entry also carries the id, the tie-break).
    index('orders_user_idx').on(t.userId, t.tsCreated),
    // Partial indexes: most orders have no client id and are closed soon after they are
    // placed, so indexing only what the queries look for keeps both indexes small and spares
    // every placement and fill the index writes (the open-order index is read on start to
    // rebuild the books, and for a user's open orders, in the same order as orders_user_idx).
    index('orders_client_idx')
      .on(t.userId, t.clientOrderId)
      .where(sql`client_order_id IS NOT NULL`),
    index('orders_open_idx').on(t.userId, t.tsCreated).where(sql.raw(OPEN_ORDER_SQL)),
  ],
);

/** Fills; (symbol, tradeId) is unique so a fill can never be recorded twice. */
export const trades = sqliteTable(
  'trades',
  {
    symbol: text('symbol').notNull(),
    tradeId: integer('trade_id').notNull(),
    price: integer('price').notNull(),
    qty: integer('qty').notNull(),
    quoteUnits: integer('quote_units').notNull(),
    takerSide: text('taker_side').notNull(),
    buyOrderId: integer('buy_order_id').notNull(),
    sellOrderId: integer('sell_order_id').notNull(),
    buyerId: text('buyer_id').notNull(),
    sellerId: text('seller_id').notNull(),
    buyerFee: integer('buyer_fee').notNull(),
    sellerFee: integer('seller_fee').notNull(),
    ts: integer('ts').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.tradeId] }),
    // (party, ts): a user's fills in time order, so listing them by time window and
    // paging walks one index range (each entry also carries the rowid, the tie-break).
    index('trades_buyer_idx').on(t.buyerId, t.ts),
    index('trades_seller_idx').on(t.sellerId, t.ts),
  ],
);

/** One balance per (owner, asset, purpose), mirrored in memory by the exchange service. */
export const ledgerAccounts = sqliteTable(
  'ledger_accounts',
  {
    owner: text('owner').notNull(),
    asset: text('asset').notNull(),
    purpose: text('purpose', { enum: ['available', 'held'] }).notNull(),
    balance: integer('balance').notNull(),
  },
  (t) => [primaryKey({ columns: [t.owner, t.asset, t.purpose] })],
);

/** Balanced journal entries; their postings are in `ledger_postings`. */
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: integer('id').primaryKey(),
    kind: text('kind').notNull(),
    refType: text('ref_type').notNull(),
    refId: text('ref_id').notNull(),
    reason: text('reason'),
    ts: integer('ts').notNull(),
  },
  (t) => [index('ledger_entries_ref_idx').on(t.refType, t.refId)],
);

export const ledgerPostings = sqliteTable(
  'ledger_postings',
  {
    id: integer('id').primaryKey(),
    entryId: integer('entry_id').notNull(),
    owner: text('owner').notNull(),
    asset: text('asset').notNull(),
    purpose: text('purpose').notNull(),
    amount: integer('amount').notNull(),
  },
  (t) => [
    index('ledger_postings_entry_idx').on(t.entryId),
    index('ledger_postings_owner_idx').on(t.owner, t.entryId),
  ],
);

/**
 * Armed cancel-all-after countdowns ("dead man's switch"), one per user: when `trigger_at`
 * passes without the owner re-arming, every open order of theirs is cancelled. Kept here so
 * a countdown that ran out while the app was closed still fires on the next start.
 */
export const orderCancelTimers = sqliteTable('order_cancel_timers', {
  userId: text('user_id').primaryKey(),
  triggerAt: integer('trigger_at').notNull(),
});
