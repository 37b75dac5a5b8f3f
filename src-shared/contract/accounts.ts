import { Type, type TSchema } from '@sinclair/typebox';
import { Decimal, Obj, Ok, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';
import { ORDER_SIDES } from './exchange';
import { BrokerFieldView, BrokerSettingsInput, ConnectionReportView } from './brokers';

/**
 * Trading accounts: each bound to a venue (the local exchange's spot balances, the paper
 * broker, later external broker connectors), with its own webhook token for TradingView
 * automation. The paper broker's positions, fills and account figures are here too.
 */

const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Venues built into this version; connectors add theirs. */
export const BUILT_IN_VENUES = ['local', 'paper'] as const;

const AccountId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const Name = Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' });
const Symbol = Type.String({ minLength: 3, maxLength: 32 });
const Percent = Type.Integer({ minimum: 0, maximum: 1000 });
const Ppm = Type.Integer({ minimum: 0, maximum: 100_000 });

export const PaperConfigView = Obj({
  maxLeverage: Type.Integer({ minimum: 1, maximum: 500 }),
  defaultLeverage: Type.Integer({ minimum: 1, maximum: 500 }),
  spreadPpm: Ppm,
  slippagePpmPer10k: Ppm,
  maxSlippagePpm: Ppm,
  commissionPpm: Ppm,
  marginCallLevelPct: Percent,
  stopOutLevelPct: Percent,
});
const PaperConfigPatch = Type.Partial(PaperConfigView);

export const AccountSummaryView = Obj({
  currency: Type.String(),
  balance: Decimal,
  unrealisedPnl: Decimal,
  equity: Decimal,
  marginUsed: Decimal,
  freeMargin: Decimal,
  /** Equity ÷ margin used, percent; null without positions. */
  marginLevelPct: Nullable(Decimal),
  marginState: Lit(['ok', 'margin_call', 'stop_out'] as const),
  openPositions: Type.Integer(),
});

export const TradingAccountView = Obj({
  id: Type.String(),
  name: Type.String(),
  venue: Type.String(),
  mode: Lit(['demo', 'live'] as const),
  enabled: Type.Boolean(),
  baseCurrency: Type.String(),
  /** Last 4 characters of the current webhook token (the token is shown only once). */
  tokenHint: Type.String(),
  paperConfig: Nullable(PaperConfigView),
  createdAt: TimestampMs,
  lastSyncedAt: Nullable(TimestampMs),
  summary: Nullable(AccountSummaryView),
  /** Broker accounts: non-secret connection settings. */
  settings: Nullable(Type.Record(Type.String(), Type.String())),
  outageQueueSec: Type.Integer(),
});

export const PositionView = Obj({
  symbol: Type.String(),
  side: Lit(['long', 'short'] as const),
  qty: PositiveDecimal,
  entryPrice: Decimal,
  markPrice: Nullable(Decimal),
  leverage: Type.Integer(),
  margin: Decimal,
  unrealisedPnl: Nullable(Decimal),
  realisedPnl: Decimal,
  /** The stop-loss level; a trailing one's where it is now. */
  stopLoss: Nullable(Decimal),
  /** A trailing stop-loss: its distance in percent behind the best quote (null: fixed or none). */
  trailPercent: Nullable(Decimal),
  /** A trailing stop-loss: its distance in price units behind the best quote (null: fixed or none). */
  trailAmount: Nullable(Decimal),
  takeProfit: Nullable(Decimal),
  openedAt: TimestampMs,
  /** `spot-cfd` (a local market), `future` or `cfd` (see paper.instruments.list). */
  kind: Type.Optional(Lit(['spot-cfd', 'future', 'cfd'] as const)),
  /** Futures/CFDs: what the position needs to stay open at the current mark. */
  maintenanceMargin: Type.Optional(Nullable(Decimal)),
  /** Futures/CFDs: the mark at which it would be liquidated, the rest of the account as now. */
  liquidationPrice: Type.Optional(Nullable(Decimal)),
});

export const PaperFillView = Obj({
  id: Type.Integer(),
  symbol: Type.String(),
  side: Lit(ORDER_SIDES),
  qty: Decimal,
  price: Decimal,
  touchPrice: Decimal,
  slippagePpm: Type.Integer(),
  commission: Decimal,
  realisedPnl: Decimal,
  reason: Type.String(),
  ts: TimestampMs,
});

export const PaperOrderView = Obj({
  id: Type.Integer(),
  symbol: Type.String(),
  side: Lit(ORDER_SIDES),
  type: Lit(['limit', 'stop'] as const),
  qty: Decimal,
  /** Limit price, or the stop's trigger (a trailing stop's where it is now). */
  price: Decimal,
  leverage: Nullable(Type.Integer()),
  stopLoss: Nullable(Decimal),
  takeProfit: Nullable(Decimal),
  /** A trailing stop: its distance in percent behind the best quote (null: not trailing). */
  trailPercent: Nullable(Decimal),
  /** A trailing stop: its distance in price units behind the best quote (null: not by amount). */
  trailAmount: Nullable(Decimal),
  /** A trailing stop: false while it waits for its start price (`price`), true once it tracks. */
  trailTracking: Type.Boolean(),
  /** The trailing stop-loss (percent) the position gets when this order fills. */
  stopLossTrailPercent: Nullable(Decimal),
  /** The trailing stop-loss (price units) the position gets when this order fills. */
  stopLossTrailAmount: Nullable(Decimal),
  status: Lit(['open', 'filled', 'cancelled', 'rejected'] as const),
  reason: Nullable(Type.String()),
  fillId: Nullable(Type.Integer()),
  createdAt: TimestampMs,
  updatedAt: TimestampMs,
});

const WithToken = Obj({
  account: TradingAccountView,
  /** The webhook token: shown now, stored only as a hash. */
  webhookToken: Type.String(),
  /** Path to paste after the public base URL: `/hooks/tv/{token}`. */
  webhookPath: Type.String(),
  /** Broker accounts: what the connection test found when the account was created. */
  connection: Type.Optional(ConnectionReportView),
  /** MetaTrader bridge accounts: the token to paste into the EA's inputs (shown once). */
  bridgeToken: Type.Optional(Type.String()),
});

const CreateFields = {
  name: Name,
  mode: Type.Optional(Lit(['demo', 'live'] as const)),
  baseCurrency: Type.Optional(Type.String({ minLength: 1, maxLength: 12 })),
  /** Paper broker: the demo balance credited on creation (default 100000). */
  initialBalance: Type.Optional(PositiveDecimal),
  paperConfig: Type.Optional(PaperConfigPatch),
  /** Broker accounts: the venue form's non-secret fields. */
  settings: Type.Optional(BrokerSettingsInput),
  /** Broker accounts: the venue form's secret fields (kept in the OS keychain, never in the database). */
  credentials: Type.Optional(BrokerSettingsInput),
  /** Broker accounts: refuse credentials that can withdraw (default true). */
  tradeOnly: Type.Optional(Type.Boolean()),
  /** Broker accounts: how long an alert may wait for an unreachable broker before it is refused (0: at once). */
  outageQueueSec: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
};

export const accountsList = defineOperation({
  name: 'accounts.list',
  summary: 'Your trading accounts with their venue, state and (paper) account figures',
  access: 'orders.read',
  http: { method: 'GET', path: '/accounts' },
  input: Obj({}),
  output: Obj({ items: Type.Array(TradingAccountView) }),
});

export const accountsVenues = defineOperation({
  name: 'accounts.venues',
  summary: 'Venues a trading account can be bound to',
  access: 'orders.read',
  http: { method: 'GET', path: '/accounts/venues' },
  input: Obj({}),
  output: Obj({
    items: Type.Array(
      Obj({
        venue: Type.String(),
        label: Type.String(),
        positions: Type.Boolean({ description: 'whether the venue has positions (vs balances)' }),
        modes: Type.Array(Lit(['demo', 'live'] as const)),
        /** An external broker (its form fields follow); false for local and paper. */
        external: Type.Boolean(),
        /** The connection form: settings and credentials (secret ones go to the keychain). */
        fields: Type.Array(BrokerFieldView),
        /** Broker addresses the venue takes besides its fields (a proxy, a test server). */
        addresses: Type.Array(Lit(['baseUrl', 'wsUrl', 'hubUrl'] as const)),
      }),
    ),
  }),
});

export const accountsCreate = defineOperation({
  name: 'accounts.create',
  summary: 'Creates a trading account and answers with its webhook token (shown once)',
  access: 'orders.trade',
  mutates: true,
  sessionOnly: true,
  http: { method: 'POST', path: '/accounts' },
  input: Obj({ venue: Type.String({ minLength: 1, maxLength: 32 }), ...CreateFields }),
  output: WithToken,
});

export const accountsRegister = defineOperation({
  name: 'accounts.register',
  summary: 'TradeFlow-compatible alias of accounts.create: POST /register/{broker}',
  description:
    'Kept for tools written against the original design. Also served at `/register/{broker}`.',
  access: 'orders.trade',
  mutates: true,
  sessionOnly: true,
  http: { method: 'POST', path: '/register/:broker', aliases: ['/register/:broker'] },
  input: Obj({ broker: Type.String({ minLength: 1, maxLength: 32 }), ...CreateFields }),
  output: Obj({
    ...WithToken.properties,
    /** The original design's field name for the token. */
    token: Type.String(),
  }),
});

export const accountsUpdate = defineOperation({
  name: 'accounts.update',
  summary: 'Renames, enables/disables, or changes the paper execution model of an account',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'PATCH', path: '/accounts/:id' },
  input: Obj({
    id: AccountId,
    name: Type.Optional(Name),
    enabled: Type.Optional(Type.Boolean()),
    paperConfig: Type.Optional(PaperConfigPatch),
  }),
  output: TradingAccountView,
});

export const accountsRegenerateToken = defineOperation({
  name: 'accounts.regenerateToken',
  summary: 'Replaces the webhook token; the old one stops working at once',
  access: 'orders.trade',
  mutates: true,
  sessionOnly: true,
  http: { method: 'POST', path: '/accounts/:id/token' },
  input: Obj({ id: AccountId }),
  output: WithToken,
});

export const accountsDelete = defineOperation({
  name: 'accounts.delete',
  summary: 'Deletes an account (refused while it has open positions)',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'DELETE', path: '/accounts/:id' },
  input: Obj({ id: AccountId }),
  output: Ok,
});

export const accountsSync = defineOperation({
  name: 'accounts.sync',
  summary: 'Re-reads the venue: marks positions, applies brackets and stop-out, refreshes figures',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/accounts/:id/sync' },
  input: Obj({ id: AccountId }),
  output: TradingAccountView,
});

export const accountsPositions = defineOperation({
  name: 'accounts.positions',
  summary: "An account's open positions, marked to the local book",
  access: 'orders.read',
  http: { method: 'GET', path: '/accounts/:id/positions' },
  input: Obj({ id: AccountId }),
  output: Obj({ items: Type.Array(PositionView), summary: Nullable(AccountSummaryView) }),
});

export const accountsFills = defineOperation({
  name: 'accounts.fills',
  summary: "A paper account's fills, newest first",
  access: 'orders.read',
  http: { method: 'GET', path: '/accounts/:id/fills' },
  input: Obj({ id: AccountId, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
  output: Obj({ items: Type.Array(PaperFillView) }),
});

export const accountsPlaceOrder = defineOperation({
  name: 'accounts.placeOrder',
  summary: 'An order on a paper account: market now, or limit/stop when the book reaches its price',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/accounts/:id/orders' },
  input: Obj({
    id: AccountId,
    symbol: Symbol,
    side: Lit(ORDER_SIDES),
    type: Type.Optional(Lit(['market', 'limit', 'stop'] as const)),
    qty: PositiveDecimal,
    /** Limit price, or the stop's trigger price (required for limit and stop). */
    price: Type.Optional(PositiveDecimal),
    leverage: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    /**
     * A trailing stop (type stop): the trigger follows the best quote this many percent
     * (0.01–50) behind it. `price` is then optional: where it starts trailing (it waits until
     * the book reaches it); without it, it tracks from the quote now.
     */
    trailPercent: Type.Optional(PositiveDecimal),
    /** The same with the distance in price units (trailPercent or trailAmount, not both). */
    trailAmount: Type.Optional(PositiveDecimal),
    stopLoss: Type.Optional(PositiveDecimal),
    /** A trailing stop-loss instead of stopLoss: this many percent behind the best quote. */
    stopLossTrailPercent: Type.Optional(PositiveDecimal),
    /** A trailing stop-loss this far behind the best quote, in price units. */
    stopLossTrailAmount: Type.Optional(PositiveDecimal),
    takeProfit: Type.Optional(PositiveDecimal),
  }),
  output: Obj({
    /** The fill of a market order (null for a limit/stop order that waits). */
    fill: Nullable(PaperFillView),
    position: Nullable(PositionView),
    /** The waiting limit/stop order. */
    order: Nullable(PaperOrderView),
  }),
});

export const accountsOrders = defineOperation({
  name: 'accounts.orders',
  summary: "A paper account's limit and stop orders, newest first",
  access: 'orders.read',
  http: { method: 'GET', path: '/accounts/:id/orders' },
  input: Obj({
    id: AccountId,
    openOnly: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  }),
  output: Obj({ items: Type.Array(PaperOrderView) }),
});

export const accountsCancelOrder = defineOperation({
  name: 'accounts.cancelOrder',
  summary: 'Cancels waiting paper orders: one (orderId), those on a market (symbol), or all',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/accounts/:id/orders/cancel' },
  input: Obj({
    id: AccountId,
    orderId: Type.Optional(Type.Integer({ minimum: 1 })),
    symbol: Type.Optional(Symbol),
  }),
  output: Obj({ cancelled: Type.Integer() }),
});

export const accountsClosePosition = defineOperation({
  name: 'accounts.closePosition',
  summary: 'Closes a position, or part of it when qty is given',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/accounts/:id/positions/close' },
  input: Obj({ id: AccountId, symbol: Symbol, qty: Type.Optional(PositiveDecimal) }),
  output: Obj({ fill: PaperFillView, position: Nullable(PositionView) }),
});

export const accountsModifyPosition = defineOperation({
  name: 'accounts.modifyPosition',
  summary:
    "Sets or clears a position's stop-loss and take-profit (null clears, absent keeps as it is)",
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/accounts/:id/positions/brackets' },
  input: Obj({
    id: AccountId,
    symbol: Symbol,
    /**
     * A price sets it (a different one fixes a trailing stop-loss there), null clears it;
     * absent keeps it as it is — a trailing one keeps trailing.
     */
    stopLoss: Type.Optional(Nullable(PositiveDecimal)),
    /** A price sets it, null clears it, absent keeps it. */
    takeProfit: Type.Optional(Nullable(PositiveDecimal)),
  }),
  output: PositionView,
});

export const accountsOperations = [
  accountsList,
  accountsVenues,
  accountsCreate,
  accountsRegister,
  accountsUpdate,
  accountsRegenerateToken,
  accountsDelete,
  accountsSync,
  accountsPositions,
  accountsFills,
  accountsPlaceOrder,
  accountsOrders,
  accountsCancelOrder,
  accountsClosePosition,
  accountsModifyPosition,
] as const;
