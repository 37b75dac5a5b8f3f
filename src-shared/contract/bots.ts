import { Type, type Static } from '@sinclair/typebox';
import { Decimal, Obj, Ok, Page, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';
import { CHART_INTERVALS } from './market-data';
import { STRATEGY_TIME_LIMIT } from './backtest';

/**
 * Bots: a strategy (built-in or the user's own, run in the sandbox) with its parameters, on
 * one market of one trading account, run live on each closed bar of its interval. On every
 * bar the strategy is replayed as a backtest over its window (the shadow); the live position
 * follows the shadow's position with market orders sent through the automation pipeline
 * (risk rules and the emergency stop apply). docs/guide/bots.md explains the model.
 */

export const BOT_STATUSES = ['created', 'running', 'paused', 'stopped', 'error'] as const;
export const BOT_OUTCOMES = [
  'none',
  'pending',
  'accepted',
  'rejected',
  'failed',
  'unknown',
] as const;
/** Warm-up bars a bot may ask for (the replay window holds at most 2,000 bars). */
export const BOT_WARMUP = { default: 50, min: 0, max: 1_000 } as const;

const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);
const ParamValues = Type.Record(
  Type.String(),
  Type.Union([Type.Number(), Type.Boolean(), Type.String()]),
);
const BotId = Type.Integer({ minimum: 1 });
const BotSymbol = Type.String({ minLength: 1, maxLength: 40, examples: ['BTC/USDT'] });

/** One processed bar of a bot that asked for something, or one order it sent. */
export const BotExecutionView = Obj({
  id: Type.Integer(),
  /** Close time of the bar (exclusive end, ms); a stop's close uses the stop time. */
  barTime: TimestampMs,
  signal: Nullable(Type.String()),
  /** The shadow backtest's position after the bar (units). */
  shadowPosition: Decimal,
  /** The live position aimed for: the shadow's rounded toward zero to the lot step. */
  target: Decimal,
  /** The bot's own live position before the order (after any `adjustment`). */
  liveBefore: Decimal,
  /**
   * Set when the account held less of the market than the bot believed (closed by hand, a
   * stop): what was found and what the bot now holds. Null otherwise.
   */
  adjustment: Nullable(Type.String()),
  side: Nullable(Lit(['buy', 'sell'] as const)),
  qty: Nullable(Decimal),
  /** `bot:<id>:<barTime>`: the automation log's alert id (the dedupe key of the order). */
  alertId: Nullable(Type.String()),
  outcome: Lit(BOT_OUTCOMES),
  errorCode: Nullable(Type.String()),
  error: Nullable(Type.String()),
  filledQty: Nullable(Decimal),
  avgPrice: Nullable(Decimal),
  /** The automation log row of the order (`automation.log.get`). */
  logId: Nullable(Type.Integer()),
  tsCreated: TimestampMs,
  tsDone: Nullable(TimestampMs),
});

/** The shadow backtest over the live period, at the last processed bar. */
export const BotShadowView = Obj({
  /** Shadow position (float units, as the backtest holds it). */
  position: Type.Number(),
  equity: Decimal,
  /** Backtest P&L since the bot first started (equity − equity when it started). */
  pnl: Decimal,
  /** Round trips the backtest closed since the bot first started. */
  trades: Type.Integer(),
  /** Bars in the last replay window (warm-up included). */
  bars: Type.Integer(),
});

export const BotView = Obj({
  id: Type.Integer(),
  name: Type.String(),
  strategyId: Type.String(),
  strategyName: Type.String(),
  params: ParamValues,
  accountId: Type.String(),
  symbol: Type.String(),
  interval: Lit(CHART_INTERVALS),
  capital: Decimal,
  warmupBars: Type.Integer(),
  status: Lit(BOT_STATUSES),
  /** Why it is in error, or the last refusal of its orders (emergency stop, risk rule). */
  reason: Nullable(Type.String()),
  /** Close time of the last bar processed. */
  lastBarTime: Nullable(TimestampMs),
  lastSignal: Nullable(Type.String()),
  lastOrder: Nullable(BotExecutionView),
  /** Milliseconds since it was last started, while running. */
  uptimeMs: Nullable(Type.Integer()),
  tsStarted: Nullable(TimestampMs),
  /** The bot's own position (its fills only), its average entry and P&L in quote currency. */
  position: Decimal,
  avgPrice: Nullable(Decimal),
  /** Last processed bar's close, the mark of the unrealised P&L. */
  mark: Nullable(Decimal),
  realisedPnl: Decimal,
  unrealisedPnl: Decimal,
  /** realised + unrealised. */
  livePnl: Decimal,
  shadow: Nullable(BotShadowView),
  /** livePnl − shadow.pnl over the same period: how far live trading drifts from the backtest. */
  drift: Nullable(Decimal),
  tsCreated: TimestampMs,
  tsUpdated: TimestampMs,
});

export type BotViewType = Static<typeof BotView>;

export const botsList = defineOperation({
  name: 'bots.list',
  summary: 'Your bots with their status, position and P&L',
  access: 'orders.read',
  http: { method: 'GET', path: '/bots' },
  input: Obj({}),
  output: Obj({ items: Type.Array(BotView) }),
});

export const botsGet = defineOperation({
  name: 'bots.get',
  summary: 'A bot: status, last bar, signal and order, position, live and backtest P&L, drift',
  access: 'orders.read',
  http: { method: 'GET', path: '/bots/:id' },
  input: Obj({ id: BotId }),
  output: BotView,
});

export const botsCreate = defineOperation({
  name: 'bots.create',
  summary: 'Create a bot (status created: start it to run)',
  access: 'automation.manage',
  mutates: true,
  http: { method: 'POST', path: '/bots' },
  input: Obj({
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    /** A built-in strategy id (`ma-crossover`) or one of yours (`user:12`). */
    strategyId: Type.String({ minLength: 1, maxLength: 64 }),
    params: Type.Optional(ParamValues),
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
    symbol: BotSymbol,
    interval: Lit(CHART_INTERVALS),
    /** The shadow backtest's starting cash (its sizing base), in the market's quote currency. */
    capital: PositiveDecimal,
    warmupBars: Type.Optional(
      Type.Integer({
        minimum: BOT_WARMUP.min,
        maximum: BOT_WARMUP.max,
        default: BOT_WARMUP.default,
      }),
    ),
    /** User strategies: how long one replay may run before the bot goes to error. */
    timeLimitSeconds: Type.Optional(
      Type.Integer({ minimum: STRATEGY_TIME_LIMIT.min, maximum: STRATEGY_TIME_LIMIT.max }),
    ),
  }),
  output: BotView,
});

export const botsStart = defineOperation({
  name: 'bots.start',
  summary: 'Start (or resume, or retry after an error) a bot',
  access: 'automation.manage',
  mutates: true,
  http: { method: 'POST', path: '/bots/:id/start' },
  input: Obj({ id: BotId }),
  output: BotView,
});

export const botsPause = defineOperation({
  name: 'bots.pause',
  summary: 'Pause a running bot (it keeps its position; no orders until started again)',
  access: 'automation.manage',
  mutates: true,
  http: { method: 'POST', path: '/bots/:id/pause' },
  input: Obj({ id: BotId }),
  output: BotView,
});

export const botsStop = defineOperation({
  name: 'bots.stop',
  summary: 'Stop a bot for good, keeping its position or closing it',
  description:
    'With closePosition the bot sends one market order taking its own position to zero through the automation pipeline (a bot only ever sends market orders, so none of its orders rest).',
  access: 'automation.manage',
  mutates: true,
  http: { method: 'POST', path: '/bots/:id/stop' },
  input: Obj({ id: BotId, closePosition: Type.Boolean() }),
  output: BotView,
});

export const botsDelete = defineOperation({
  name: 'bots.delete',
  summary: 'Delete a stopped bot and its history',
  access: 'automation.manage',
  mutates: true,
  http: { method: 'DELETE', path: '/bots/:id' },
  input: Obj({ id: BotId }),
  output: Ok,
});

export const botsHistory = defineOperation({
  name: 'bots.history',
  summary: "A bot's executions, newest first: bar, signal, target, order sent and its outcome",
  access: 'orders.read',
  http: { method: 'GET', path: '/bots/:id/history' },
  input: Obj({
    id: BotId,
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  }),
  output: Page(BotExecutionView),
});

export const botsOperations = [
  botsList,
  botsGet,
  botsCreate,
  botsStart,
  botsPause,
  botsStop,
  botsDelete,
  botsHistory,
] as const;
