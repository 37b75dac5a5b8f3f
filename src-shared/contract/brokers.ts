import { Type, type TSchema } from '@sinclair/typebox';
import { Decimal, Id, Obj, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';

/**
 * Trading accounts at external brokers (Kraken, TradeLocker, ProjectX/TopstepX, the
 * MetaTrader bridge): connection state, live balances, positions and orders as the broker
 * reports them, and the actions a trader takes on them. Paper and local accounts keep their
 * own operations (accounts.ts); these answer `unknown_venue` for them.
 */

const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const AccountId = Id;
const Symbol = Type.String({ minLength: 1, maxLength: 64 });

export const BrokerFieldView = Obj({
  name: Type.String(),
  label: Type.String(),
  /** A credential: typed into a password input, sent in `credentials`, kept in the keychain. */
  masked: Type.Boolean(),
  required: Type.Boolean(),
  help: Type.Optional(Type.String()),
  options: Type.Optional(Type.Array(Type.String())),
  default: Type.Optional(Type.String()),
  /** A whole number in this range (the form's input is numeric; the server checks it). */
  integer: Type.Optional(Obj({ min: Type.Integer(), max: Type.Integer() })),
  /** Tuning most users leave alone: shown under the form's "Advanced" section. */
  advanced: Type.Optional(Type.Boolean()),
});

/** Connection settings (non-secret) and credentials (secret) as the venue's form sends them. */
export const BrokerSettingsInput = Type.Record(
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,31}$' }),
  Type.String({ maxLength: 4096 }),
  { maxProperties: 16 },
);

export const ConnectionReportView = Obj({
  account: Obj({ id: Type.String(), name: Type.String(), currency: Nullable(Type.String()) }),
  permissions: Obj({
    read: Type.Boolean(),
    trade: Type.Boolean(),
    withdraw: Nullable(Type.Boolean()),
  }),
  skewMs: Type.Integer(),
  serverTime: TimestampMs,
  notes: Type.Array(Type.String()),
});

export const BrokerBalanceView = Obj({ asset: Type.String(), total: Decimal, available: Decimal });

export const BrokerPositionView = Obj({
  symbol: Type.String(),
  side: Lit(['long', 'short'] as const),
  qty: PositiveDecimal,
  avgPrice: Decimal,
  /** The latest price Bourse has for the symbol (the broker's, or the local book's). */
  markPrice: Nullable(Decimal),
  unrealisedPnl: Nullable(Decimal),
  positionId: Nullable(Type.String()),
});

/**
 * An order a broker places by itself once an order fills, to close what the fill opened: a
 * stop-loss, a take-profit, a trailing stop-loss or a plain limit, as the broker reports it
 * (Kraken's conditional close; TradeLocker's and MetaTrader's stop-loss and take-profit).
 */
export const BrokerAttachedCloseView = Obj({
  type: Lit(['stop_loss', 'take_profit', 'trailing_stop', 'limit'] as const),
  /**
   * Its trigger (stop_loss, take_profit) or its limit (limit); null on a trailing stop and when
   * the broker gives it relative to a price (see `offset`).
   */
  price: Nullable(Decimal),
  /**
   * Its distance from the order's price in price units, when the broker gives it so
   * (TradeLocker's `offset`); positive, on the losing side for a stop-loss and the winning side
   * for a take-profit. Null when it has a price.
   */
  offset: Nullable(Decimal),
  /** The limit it becomes once triggered (a stop-loss-limit close); null: it closes at market. */
  limitPrice: Nullable(Decimal),
  /** A trailing stop-loss's distance in percent; null when it does not trail by percent. */
  trailPercent: Nullable(Decimal),
  /** A trailing stop-loss's distance in price units; null when it does not trail by an amount. */
  trailAmount: Nullable(Decimal),
});

export const BrokerOrderView = Obj({
  orderId: Type.String(),
  clientOrderId: Nullable(Type.String()),
  symbol: Type.String(),
  side: Lit(['buy', 'sell'] as const),
  type: Lit(['market', 'limit', 'stop', 'stop_limit'] as const),
  qty: Decimal,
  filledQty: Decimal,
  price: Nullable(Decimal),
  /** The trigger; on a trailing stop where the broker has it now (null if it does not say). */
  stopPrice: Nullable(Decimal),
  /** A trailing stop's distance in percent; null when the order does not trail. */
  trailPercent: Nullable(Decimal),
  /** A trailing stop's distance in price units; null when it does not trail by an amount. */
  trailAmount: Nullable(Decimal),
  /**
   * The closes the broker places when this order fills, stop-losses first (an order may carry
   * a stop-loss and a take-profit at once): `[]` when the broker says it has none, null when
   * the account's broker connection does not report them.
   */
  closes: Nullable(Type.Array(BrokerAttachedCloseView)),
  avgPrice: Nullable(Decimal),
  status: Lit([
    'pending',
    'open',
    'partially_filled',
    'filled',
    'cancelled',
    'rejected',
    'expired',
  ] as const),
  reason: Nullable(Type.String()),
});

/** Where the MetaTrader bridge EA stands (null for other venues). */
export const BridgeStatusView = Obj({
  /** The address to allow in MetaTrader (Tools → Options → Expert Advisors → WebRequest). */
  allowUrl: Type.String(),
  online: Type.Boolean(),
  lastHeartbeatAt: Nullable(TimestampMs),
  terminal: Nullable(Type.Record(Type.String(), Type.Unknown())),
  queued: Type.Integer(),
});

export const BrokerStateView = Obj({
  accountId: Type.String(),
  venue: Type.String(),
  /** `disabled` when the account is disabled; `down` with `lastError` when the broker is unreachable. */
  connection: Lit(['connecting', 'up', 'down', 'disabled'] as const),
  lastError: Nullable(Type.String()),
  skewMs: Nullable(Type.Integer()),
  syncedAt: Nullable(TimestampMs),
  instruments: Type.Integer(),
  balances: Type.Array(BrokerBalanceView),
  positions: Type.Array(BrokerPositionView),
  orders: Type.Array(BrokerOrderView),
  /**
   * The trailing stops this broker places natively (from its session; all false until it
   * has connected): a trailing stop order, a trailing stop-loss attached to an order, and
   * whether either may trail by an amount in price units (not only by percent).
   */
  trailing: Obj({ entry: Type.Boolean(), stopLoss: Type.Boolean(), amount: Type.Boolean() }),
  bridge: Nullable(BridgeStatusView),
});

export const brokersState = defineOperation({
  name: 'brokers.state',
  summary:
    "A broker account's connection, balances, positions and open orders (cached, pushed on `brokers`)",
  access: 'orders.read',
  http: { method: 'GET', path: '/accounts/:id/broker' },
  input: Obj({ id: AccountId }),
  output: BrokerStateView,
});

export const brokersTest = defineOperation({
  name: 'brokers.test',
  summary: 'Tests the connection of a broker account: who the credentials are, what they may do',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/accounts/:id/broker/test' },
  input: Obj({ id: AccountId }),
  output: ConnectionReportView,
});

export const brokersPlace = defineOperation({
  name: 'brokers.place',
  summary: 'Sends an order to the broker of an account (a client order id makes retries safe)',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/accounts/:id/broker/orders' },
  input: Obj({
    id: AccountId,
    symbol: Symbol,
    side: Lit(['buy', 'sell'] as const),
    type: Lit(['market', 'limit', 'stop'] as const),
    qty: PositiveDecimal,
    price: Type.Optional(PositiveDecimal),
    stopPrice: Type.Optional(PositiveDecimal),
    /**
     * A trailing stop (type stop, no stopPrice): the broker keeps the trigger this many percent
     * (0.01–50) behind the best price from its last price on. Where the state's `trailing.entry`.
     */
    trailPercent: Type.Optional(PositiveDecimal),
    /** The same with the distance in price units (trailPercent or this); where `trailing.amount`. */
    trailAmount: Type.Optional(PositiveDecimal),
    stopLoss: Type.Optional(PositiveDecimal),
    /** A trailing stop-loss instead of stopLoss, this many percent behind; where `trailing.stopLoss`. */
    stopLossTrailPercent: Type.Optional(PositiveDecimal),
    /** A trailing stop-loss this far behind in price units; where `trailing.stopLoss` and `.amount`. */
    stopLossTrailAmount: Type.Optional(PositiveDecimal),
    takeProfit: Type.Optional(PositiveDecimal),
    /** Your id for the order: sending the same one again never places a second order. */
    clientOrderId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' }),
    ),
  }),
  output: BrokerOrderView,
});

export const brokersCancel = defineOperation({
  name: 'brokers.cancel',
  summary: 'Cancels one order at the broker (orderId), those on a symbol, or all',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/accounts/:id/broker/orders/cancel' },
  input: Obj({
    id: AccountId,
    orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    symbol: Type.Optional(Symbol),
  }),
  output: Obj({ cancelled: Type.Integer() }),
});

export const brokersClose = defineOperation({
  name: 'brokers.close',
  summary: 'Closes a position at the broker (all of it, or qty)',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/accounts/:id/broker/positions/close' },
  input: Obj({ id: AccountId, symbol: Symbol, qty: Type.Optional(PositiveDecimal) }),
  output: Obj({ order: Nullable(BrokerOrderView) }),
});

export const PortfolioPositionView = Obj({
  accountId: Type.String(),
  accountName: Type.String(),
  venue: Type.String(),
  symbol: Type.String(),
  side: Lit(['long', 'short'] as const),
  qty: PositiveDecimal,
  entryPrice: Decimal,
  markPrice: Nullable(Decimal),
  unrealisedPnl: Nullable(Decimal),
  /** The currency unrealisedPnl is in (the account's). */
  currency: Type.String(),
});

export const brokersPositions = defineOperation({
  name: 'brokers.positions',
  summary: 'Open positions across all your accounts (paper and brokers), with P&L per account',
  access: 'orders.read',
  http: { method: 'GET', path: '/positions' },
  input: Obj({}),
  output: Obj({
    items: Type.Array(PortfolioPositionView),
    accounts: Type.Array(
      Obj({
        accountId: Type.String(),
        name: Type.String(),
        venue: Type.String(),
        currency: Type.String(),
        connection: Lit(['connecting', 'up', 'down', 'disabled', 'local'] as const),
        unrealisedPnl: Nullable(Decimal),
        positions: Type.Integer(),
      }),
    ),
  }),
});

export const BROKER_CANDLE_INTERVALS = [1, 5, 15, 30, 60, 240, 1440] as const;

export const brokersCandles = defineOperation({
  name: 'brokers.candles',
  summary: "Bars of an instrument from the broker's own history (Kraken OHLC, ProjectX bars)",
  access: 'orders.read',
  http: { method: 'GET', path: '/accounts/:id/broker/candles' },
  input: Obj({
    id: AccountId,
    symbol: Symbol,
    /** Minutes per bar. */
    interval: Type.Union(BROKER_CANDLE_INTERVALS.map((v) => Type.Literal(v))),
    since: Type.Optional(TimestampMs),
  }),
  output: Obj({
    items: Type.Array(
      Obj({
        time: TimestampMs,
        open: Decimal,
        high: Decimal,
        low: Decimal,
        close: Decimal,
        volume: Decimal,
      }),
    ),
  }),
});

export const brokersOperations = [
  brokersState,
  brokersTest,
  brokersPlace,
  brokersCancel,
  brokersClose,
  brokersPositions,
  brokersCandles,
] as const;
