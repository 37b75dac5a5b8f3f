import { Type } from '@sinclair/typebox';
import { Decimal, Obj, Page, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';

/**
 * The exchange core: markets and assets, orders, fills, balances and the ledger. Amounts
 * travel as decimal strings; order ids are integers from one global sequence.
 */

const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));

export const MARKET_STATUSES = ['trading', 'halted', 'cancel_only'] as const;
/** Largest trailing-stop distance, basis points (50 %): a wider "trail" is not one. */
export const MAX_TRAIL_BPS = 5000;

/**
 * What an order does. `stop_*` and `take_profit_*` wait for the last trade price to reach
 * `stopPrice` and then run as a market or limit order: a stop when the price moves against
 * the side (a buy's rises to it, a sell's falls to it), a take-profit when it moves for it (a
 * sell's rises to it, a buy's falls to it) — Binance's STOP_LOSS and TAKE_PROFIT.
 */
export const ORDER_TYPES = [
  'limit',
  'market',
  'stop_market',
  'stop_limit',
  'take_profit_market',
  'take_profit_limit',
] as const;
/** Side of an order: a buy (bid) or a sell (ask). */
export const ORDER_SIDES = ['buy', 'sell'] as const;
/** Time in force: rest the remainder (GTC), cancel it (IOC), or all-or-nothing now (FOK). */
export const TIME_IN_FORCES = ['GTC', 'IOC', 'FOK'] as const;
/**
 * Self-trade prevention, decided by the incoming (taker) order when it meets a resting order
 * of the same user: cancel the taker's remainder, cancel the resting order, or both.
 */
export const STP_MODES = ['cancel_newest', 'cancel_oldest', 'cancel_both'] as const;
export const ORDER_STATUSES = [
  'new',
  'partially_filled',
  'filled',
  'cancelled',
  'expired',
  'rejected',
] as const;

/** The one definition of each order vocabulary; the engine, the edge and the schema derive from it. */
export type MarketStatus = (typeof MARKET_STATUSES)[number];
export type OrderType = (typeof ORDER_TYPES)[number];
export type OrderSide = (typeof ORDER_SIDES)[number];
export type TimeInForce = (typeof TIME_IN_FORCES)[number];
export type StpMode = (typeof STP_MODES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Waits for the last price to reach its stopPrice: a stop or a take-profit. */
export const isTriggerType = (t: OrderType): boolean => t !== 'limit' && t !== 'market';
/** A stop (`stop_market`, `stop_limit`): the only kinds that may trail. */
export const isStopType = (t: OrderType): boolean => t === 'stop_market' || t === 'stop_limit';
/** Has a limit price: `limit`, `stop_limit`, `take_profit_limit`. */
export const isLimitType = (t: OrderType): boolean =>
  t === 'limit' || t === 'stop_limit' || t === 'take_profit_limit';
/**
 * True when the order triggers as the price rises (last ≥ stopPrice): a buy stop or a sell
 * take-profit. The others (a sell stop, a buy take-profit) trigger as it falls.
 */
export const triggersOnRise = (side: OrderSide, t: OrderType): boolean =>
  (side === 'buy') === isStopType(t);

export const MarketSymbol = Type.String({
  pattern: '^[A-Z0-9]{1,12}/[A-Z0-9]{1,12}$',
  examples: ['BTC/USDT'],
});
const AssetCode = Type.String({ pattern: '^[A-Z0-9]{1,12}$', examples: ['BTC'] });
const Ppm = Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'parts per million' });
export const ClientOrderId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
});
export const OrderId = Type.Integer({ minimum: 1 });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const AssetView = Obj({
  code: AssetCode,
  scale: Type.Integer({ minimum: 0, maximum: 18 }),
  name: Type.String({ minLength: 1, maxLength: 64 }),
});

export const MarketFields = {
  tickSize: PositiveDecimal,
  lotSize: PositiveDecimal,
  minQty: PositiveDecimal,
  minNotional: PositiveDecimal,
  makerFeePpm: Ppm,
  takerFeePpm: Ppm,
  status: Lit(MARKET_STATUSES),
  priceBandBps: Type.Integer({ minimum: 0, maximum: 10_000 }),
};

export const MarketView = Obj({
  symbol: MarketSymbol,
  base: AssetCode,
  quote: AssetCode,
  ...MarketFields,
  lastPrice: Nullable(Decimal),
  bestBid: Nullable(Decimal),
  bestAsk: Nullable(Decimal),
});

export const OrderView = Obj({
  orderId: OrderId,
  clientOrderId: Nullable(Type.String()),
  symbol: MarketSymbol,
  side: Lit(ORDER_SIDES),
  type: Lit(ORDER_TYPES),
  tif: Lit(TIME_IN_FORCES),
  price: Nullable(Decimal),
  stopPrice: Nullable(Decimal),
  qty: Nullable(Decimal),
  quoteQty: Nullable(Decimal),
  filledQty: Decimal,
  openQty: Decimal,
  filledQuote: Decimal,
  fees: Decimal,
  held: Decimal,
  postOnly: Type.Boolean(),
  stp: Lit(STP_MODES),
  status: Lit(ORDER_STATUSES),
  cancelReason: Nullable(Type.String()),
  /** The order list (OCO) this order is a leg of; absent for a lone order. */
  orderListId: Type.Optional(Type.Integer({ minimum: 1 })),
  /**
   * A trailing stop (placed with trailBps or trailAmount: `bps` or `amount`, never both);
   * absent for every other order.
   */
  trailing: Type.Optional(
    Obj({
      bps: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TRAIL_BPS })),
      /** Its distance in price units (placed with trailAmount). */
      amount: Type.Optional(Decimal),
      activationPrice: Nullable(Decimal),
      anchorPrice: Nullable(Decimal),
      trackingSince: Type.Union([TimestampMs, Type.Null()]),
    }),
  ),
  tsCreated: TimestampMs,
  tsUpdated: TimestampMs,
});

export const TradeView = Obj({
  symbol: MarketSymbol,
  tradeId: Type.Integer(),
  orderId: OrderId,
  side: Lit(ORDER_SIDES),
  role: Lit(['maker', 'taker'] as const),
  price: Decimal,
  qty: Decimal,
  quoteQty: Decimal,
  fee: Decimal,
  feeAsset: AssetCode,
  ts: TimestampMs,
  /** The order list (OCO) the order was a leg of, in `trades.list`; absent for a lone order. */
  orderListId: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const BalanceView = Obj({ asset: AssetCode, available: Decimal, held: Decimal });

export const EntryView = Obj({
  id: Type.Integer(),
  kind: Type.String(),
  refType: Type.String(),
  refId: Type.String(),
  reason: Nullable(Type.String()),
  ts: TimestampMs,
  postings: Type.Array(Obj({ asset: AssetCode, purpose: Type.String(), amount: Decimal })),
});

const Cursor = Type.Optional(Type.String({ maxLength: 32, pattern: '^[0-9]+$' }));
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 }));

export const assetsList = defineOperation({
  name: 'assets.list',
  summary: 'Assets the exchange keeps balances in',
  access: 'public',
  http: { method: 'GET', path: '/assets' },
  input: Obj({}),
  output: Obj({ items: Type.Array(AssetView) }),
});

export const marketsList = defineOperation({
  name: 'markets.list',
  summary: 'Markets with their rules, status and best prices',
  access: 'public',
  http: { method: 'GET', path: '/markets' },
  input: Obj({}),
  output: Obj({ items: Type.Array(MarketView) }),
});

export const adminAssetsCreate = defineOperation({
  name: 'admin.assets.create',
  summary: 'Add an asset',
  access: 'admin.markets',
  mutates: true,
  input: AssetView,
  output: AssetView,
});

export const adminMarketsCreate = defineOperation({
  name: 'admin.markets.create',
  summary: 'Add a market (validated against its assets)',
  access: 'admin.markets',
  mutates: true,
  input: Obj({ symbol: MarketSymbol, base: AssetCode, quote: AssetCode, ...MarketFields }),
  output: MarketView,
});

export const adminMarketsUpdate = defineOperation({
  name: 'admin.markets.update',
  summary: "Change a market's status, fees, band or minimum sizes",
  description:
    'Tick and lot sizes cannot change while the market exists (resting orders use them).',
  access: 'admin.markets',
  mutates: true,
  input: Obj({
    symbol: MarketSymbol,
    status: Type.Optional(MarketFields.status),
    makerFeePpm: Type.Optional(Ppm),
    takerFeePpm: Type.Optional(Ppm),
    priceBandBps: Type.Optional(MarketFields.priceBandBps),
    minQty: Type.Optional(PositiveDecimal),
    minNotional: Type.Optional(PositiveDecimal),
  }),
  output: MarketView,
});

export const PlaceOrderInput = Obj({
  symbol: MarketSymbol,
  side: Lit(ORDER_SIDES),
  type: Lit(ORDER_TYPES),
  price: Type.Optional(PositiveDecimal),
  stopPrice: Type.Optional(
    Type.String({
      pattern: PositiveDecimal.pattern,
      description:
        "Stop and take-profit orders: the last trade price that triggers them. A stop triggers when the price moves against the order (a buy at or above it, a sell at or below), a take-profit when it moves for it (a sell at or above, a buy at or below). A trailing stop's activation price.",
    }),
  ),
  qty: Type.Optional(PositiveDecimal),
  quoteQty: Type.Optional(PositiveDecimal),
  tif: Type.Optional(Lit(TIME_IN_FORCES)),
  postOnly: Type.Optional(Type.Boolean()),
  stp: Type.Optional(Lit(STP_MODES)),
  clientOrderId: Type.Optional(ClientOrderId),
  trailBps: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_TRAIL_BPS,
      description:
        'Stop orders only: a trailing stop this many basis points (1 = 0.01 %) behind the best trade price since it started tracking. stopPrice is then optional: an activation price when given, else it tracks from the last price.',
    }),
  ),
  trailAmount: Type.Optional(
    Type.String({
      pattern: PositiveDecimal.pattern,
      description:
        "Stop orders only, instead of trailBps: a trailing stop this far behind the best trade price, in the quote's price units (a multiple of the tick size), as TradersPost's trailAmount.",
    }),
  ),
});

export const ordersPlace = defineOperation({
  name: 'orders.place',
  summary: 'Place an order',
  description:
    'Acknowledged only once durable. A retry with the same clientOrderId within 24 hours returns the original order instead of placing another.',
  access: 'orders.trade',
  mutates: true,
  input: PlaceOrderInput,
  output: OrderView,
});

export const ordersTest = defineOperation({
  name: 'orders.test',
  summary: 'Check an order as orders.place would, without placing it',
  description:
    'Runs every check a placement makes before the order reaches the book — the market is trading, the order keeps its rules (tick, lot, minimum quantity and notional, price band) and your available balance covers its hold — and answers the hold it would make (the most it can cost, the taker fee included). Nothing is placed or held; refusals are the ones orders.place would give.',
  access: 'orders.trade',
  http: { method: 'POST', path: '/orders/test' },
  input: PlaceOrderInput,
  output: Obj({ ok: Type.Literal(true), hold: Obj({ asset: AssetCode, amount: Decimal }) }),
});

/** Most orders one `orders.placeBatch` or `orders.cancelBatch` call names. */
export const ORDER_BATCH_MAX = 100;

/** One order's outcome in a batch: the order as it now stands, or why it was refused. */
export const OrderOutcome = Type.Union([
  Obj({ ok: Type.Literal(true), order: OrderView }),
  Obj({
    ok: Type.Literal(false),
    code: Type.String({ description: 'The stable code the single operation would answer with' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
]);

export const ordersPlaceBatch = defineOperation({
  name: 'orders.placeBatch',
  summary: `Place up to ${ORDER_BATCH_MAX} orders in one call, committed together`,
  description:
    'The orders run in the order given, each exactly as orders.place would run it and against the book the ones before it left, and are committed in ONE transaction: after a crash either all of them exist or none does. Each order succeeds or is refused on its own; `results[i]` is the outcome of `orders[i]`. A clientOrderId retry returns the original order, as with orders.place; the same clientOrderId twice in one call is refused as a whole (duplicate_client_order_id).',
  access: 'orders.trade',
  mutates: true,
  input: Obj({
    orders: Type.Array(PlaceOrderInput, { minItems: 1, maxItems: ORDER_BATCH_MAX }),
  }),
  output: Obj({ results: Type.Array(OrderOutcome) }),
});

export const ordersCancel = defineOperation({
  name: 'orders.cancel',
  summary: 'Cancel an open order by id or client order id',
  access: 'orders.trade',
  mutates: true,
  input: Obj({
    symbol: Type.Optional(MarketSymbol),
    orderId: Type.Optional(OrderId),
    clientOrderId: Type.Optional(ClientOrderId),
  }),
  output: OrderView,
});

export const ordersCancelBatch = defineOperation({
  name: 'orders.cancelBatch',
  summary: `Cancel up to ${ORDER_BATCH_MAX} open orders in one call, committed together`,
  description:
    'Each entry names an order by orderId or clientOrderId and is cancelled exactly as orders.cancel would cancel it, in the order given, all in ONE transaction. Each succeeds or is refused on its own (unknown_order for one that is not open, or not yours); `results[i]` is the outcome of `orders[i]`.',
  access: 'orders.trade',
  mutates: true,
  input: Obj({
    orders: Type.Array(
      Obj({ orderId: Type.Optional(OrderId), clientOrderId: Type.Optional(ClientOrderId) }),
      { minItems: 1, maxItems: ORDER_BATCH_MAX },
    ),
  }),
  output: Obj({ results: Type.Array(OrderOutcome) }),
});

export const ordersCancelAll = defineOperation({
  name: 'orders.cancelAll',
  summary: "Cancel all of the caller's open orders in a market",
  access: 'orders.trade',
  mutates: true,
  input: Obj({ symbol: MarketSymbol }),
  output: Obj({ cancelled: Type.Integer() }),
});

export const ordersCancelAllAfter = defineOperation({
  name: 'orders.cancelAllAfter',
  summary: "Dead man's switch: cancel all your open orders unless you call again in time",
  description:
    'Arms (or re-arms) a countdown of `timeout` seconds. When it runs out without another call, every open order of yours in every market is cancelled (cancel reason `dead_man_switch`) and you get a notification. A bot calls it every few seconds with, say, 60: if the bot, its machine or its connection dies, its orders do not stay in the book. `timeout: 0` disarms it. The countdown survives a restart of Bourse: one that ran out meanwhile fires on start.',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/orders/cancel-all-after' },
  input: Obj({ timeout: Type.Integer({ minimum: 0, maximum: 86_400 }) }),
  output: Obj({
    currentTime: TimestampMs,
    /** When the orders will be cancelled; null when disarmed. */
    triggerTime: Type.Union([TimestampMs, Type.Null()]),
  }),
});

export const ordersAmend = defineOperation({
  name: 'orders.amend',
  summary: "Change a resting limit order's price and/or open quantity",
  description:
    'A decrease at the same price keeps time priority and releases funds; a price change or increase re-queues the order and holds more (insufficient_funds if it cannot).',
  access: 'orders.trade',
  mutates: true,
  input: Obj({
    orderId: OrderId,
    price: Type.Optional(PositiveDecimal),
    qty: Type.Optional(PositiveDecimal),
  }),
  output: OrderView,
});

export const ordersGet = defineOperation({
  name: 'orders.get',
  summary: 'One of your orders',
  access: 'orders.read',
  http: { method: 'GET', path: '/orders/get' },
  input: Obj({ orderId: Type.Optional(OrderId), clientOrderId: Type.Optional(ClientOrderId) }),
  output: OrderView,
});

export const ordersList = defineOperation({
  name: 'orders.list',
  summary: 'Your open orders or order history, newest first (or oldest first)',
  description:
    '`from` and `to` bound the time the order was placed (Unix ms, both inclusive). `order: "asc"` lists oldest first: with `from` alone, the first `limit` orders placed at or after it. Pages follow `nextCursor` in the same order; a cursor is only valid with the filters that returned it.',
  access: 'orders.read',
  http: { method: 'GET', path: '/orders' },
  input: Obj({
    scope: Type.Optional(Lit(['open', 'history', 'all'] as const)),
    symbol: Type.Optional(MarketSymbol),
    side: Type.Optional(Lit(ORDER_SIDES)),
    status: Type.Optional(Lit(ORDER_STATUSES)),
    from: Type.Optional(TimestampMs),
    to: Type.Optional(TimestampMs),
    order: Type.Optional(Lit(['desc', 'asc'] as const)),
    cursor: Cursor,
    limit: Limit,
  }),
  output: Page(OrderView),
});

export const tradesList = defineOperation({
  name: 'trades.list',
  summary: 'Your fills, newest first (or oldest first), optionally within a time window',
  description:
    '`from` and `to` bound the fill time (Unix ms, both inclusive). `order: "asc"` lists oldest first: with `from` alone, the first `limit` fills at or after it. Pages follow `nextCursor` in the same order; a cursor is only valid with the filters that returned it.',
  access: 'orders.read',
  http: { method: 'GET', path: '/trades' },
  input: Obj({
    symbol: Type.Optional(MarketSymbol),
    from: Type.Optional(TimestampMs),
    to: Type.Optional(TimestampMs),
    order: Type.Optional(Lit(['desc', 'asc'] as const)),
    cursor: Cursor,
    limit: Limit,
  }),
  output: Page(TradeView),
});

export const balancesGet = defineOperation({
  name: 'balances.get',
  summary: 'Your available and held balance per asset',
  access: 'wallet.read',
  http: { method: 'GET', path: '/balances' },
  input: Obj({}),
  output: Obj({ items: Type.Array(BalanceView) }),
});

export const balancesDemoTopUp = defineOperation({
  name: 'balances.demoTopUp',
  summary: 'Top your balances up to the demo allowance, to trade on the local exchange at once',
  description:
    'For each asset with a demo allowance, credits the difference between the allowance and your total (available + held) balance from the outside world, as a funding entry whose reason is "demo funds". Assets at or above their allowance are left alone. Refused with `demo_funds_disabled` when the backend runs with --no-demo-funds.',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/balances/demo-top-up' },
  input: Obj({}),
  output: Obj({
    credited: Type.Array(Obj({ asset: AssetCode, amount: Decimal })),
    items: Type.Array(BalanceView),
  }),
});

export const ledgerEntries = defineOperation({
  name: 'ledger.entries',
  summary: 'Your journal entries (postings on your accounts), newest first',
  access: 'wallet.read',
  http: { method: 'GET', path: '/ledger/entries' },
  input: Obj({ asset: Type.Optional(AssetCode), cursor: Cursor, limit: Limit }),
  output: Page(EntryView),
});

export const adminLedgerFund = defineOperation({
  name: 'admin.ledger.fund',
  summary: "Credit or debit a user's available balance from the outside world",
  access: 'admin.ledger',
  mutates: true,
  input: Obj({
    userId: Type.String({ minLength: 1, maxLength: 64 }),
    asset: AssetCode,
    amount: PositiveDecimal,
    direction: Lit(['credit', 'debit'] as const),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  }),
  output: Obj({ entryId: Type.Integer(), balance: BalanceView }),
});

export const adminLedgerCorrect = defineOperation({
  name: 'admin.ledger.correct',
  summary: "Correct a user's available balance (signed amount, against system:corrections)",
  access: 'admin.ledger',
  mutates: true,
  input: Obj({
    userId: Type.String({ minLength: 1, maxLength: 64 }),
    asset: AssetCode,
    amount: Decimal,
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  }),
  output: Obj({ entryId: Type.Integer(), balance: BalanceView }),
});

export const ReconcileReport = Obj({
  ok: Type.Boolean(),
  checkedAccounts: Type.Integer(),
  problems: Type.Array(
    Obj({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.String()),
    }),
  ),
});

export const adminLedgerReconcile = defineOperation({
  name: 'admin.ledger.reconcile',
  summary: 'Check the ledger: sums, signs, holds against open orders, balances against postings',
  access: 'admin.ledger',
  mutates: true,
  input: Obj({}),
  output: ReconcileReport,
});

export const exchangeOperations = [
  assetsList,
  marketsList,
  adminAssetsCreate,
  adminMarketsCreate,
  adminMarketsUpdate,
  ordersPlace,
  ordersTest,
  ordersPlaceBatch,
  ordersCancel,
  ordersCancelBatch,
  ordersCancelAll,
  ordersCancelAllAfter,
  ordersAmend,
  ordersGet,
  ordersList,
  tradesList,
  balancesGet,
  balancesDemoTopUp,
  ledgerEntries,
  adminLedgerFund,
  adminLedgerCorrect,
  adminLedgerReconcile,
] as const;
