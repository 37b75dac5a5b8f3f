import { Type } from '@sinclair/typebox';
import { Decimal, Obj, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';

/**
 * The market simulator: per default market, a market-maker and a taker account (system
 * accounts in the ledger) trade through the same engine as users around a reference price
 * that follows a seeded random walk or replays an imported candle file.
 */

const MarketSymbol = Type.String({
  pattern: '^[A-Z0-9]{1,12}/[A-Z0-9]{1,12}$',
  examples: ['BTC/USDT'],
});

export const SimulatorMarketView = Obj({
  symbol: MarketSymbol,
  running: Type.Boolean(),
  seed: Type.Integer(),
  reference: Decimal,
  referenceKind: Type.Union([Type.Literal('walk'), Type.Literal('replay'), Type.Literal('feed')]),
  replayName: Type.Union([Type.String(), Type.Null()]),
  spreadBps: Type.Number(),
  levels: Type.Integer(),
  sizePerLevel: Decimal,
  volatilityPct: Type.Number(),
  takerRatePerSecond: Type.Number(),
  tickMs: Type.Integer(),
  steps: Type.Integer(),
  ordersSent: Type.Integer(),
  ordersRefused: Type.Integer(),
  lastStepTs: Type.Union([TimestampMs, Type.Null()]),
  /** The live reference while `referenceKind` is `feed` (off unless an admin turns it on). */
  feed: Type.Union([
    Obj({
      source: Type.String(),
      lastPrice: Type.Union([Decimal, Type.Null()]),
      lastTs: Type.Union([TimestampMs, Type.Null()]),
      error: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  makerAccount: Type.String(),
  takerAccount: Type.String(),
});

const Status = Obj({
  /** False when the backend was started without the simulator (tests, `--no-simulator`). */
  autostart: Type.Boolean(),
  items: Type.Array(SimulatorMarketView),
});

export const simulatorStatus = defineOperation({
  name: 'admin.simulator.status',
  summary: 'The market simulator of each market: running, reference price, settings',
  access: 'admin.markets',
  http: { method: 'GET', path: '/admin/simulator' },
  input: Obj({}),
  output: Status,
});

export const simulatorPause = defineOperation({
  name: 'admin.simulator.pause',
  summary: "Pause a market's simulator (all markets without a symbol); its quotes are cancelled",
  access: 'admin.markets',
  mutates: true,
  input: Obj({ symbol: Type.Optional(MarketSymbol) }),
  output: Status,
});

export const simulatorResume = defineOperation({
  name: 'admin.simulator.resume',
  summary: "Resume a market's simulator (all markets without a symbol)",
  access: 'admin.markets',
  mutates: true,
  input: Obj({ symbol: Type.Optional(MarketSymbol) }),
  output: Status,
});

export const simulatorTune = defineOperation({
  name: 'admin.simulator.tune',
  summary: "Change a market's simulator: spread, depth, size, volatility, taker flow, tick",
  description:
    "`reference: 'feed'` makes the reference follow Kraken's public ticker (needs the network; the price holds still while it is unreachable).",
  access: 'admin.markets',
  mutates: true,
  input: Obj({
    symbol: MarketSymbol,
    spreadBps: Type.Optional(Type.Number({ minimum: 0.01, maximum: 5000 })),
    levels: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
    sizePerLevel: Type.Optional(PositiveDecimal),
    volatilityPct: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    takerRatePerSecond: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    tickMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
    reference: Type.Optional(
      Type.Union([Type.Literal('walk'), Type.Literal('replay'), Type.Literal('feed')]),
    ),
  }),
  output: SimulatorMarketView,
});

export const simulatorReplay = defineOperation({
  name: 'admin.simulator.replay',
  summary: 'Make the reference price replay an imported candle file',
  description:
    'CSV with `Date,Open,High,Low,Close,Volume` columns or JSON `[[ms,o,h,l,c,v], …]`. The path is rescaled so the first close lands on the current reference price.',
  access: 'admin.markets',
  mutates: true,
  http: { method: 'POST', path: '/admin/simulator/replay', bodyLimit: 32 * 1024 * 1024 },
  input: Obj({
    symbol: MarketSymbol,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    content: Type.String({ minLength: 1, maxLength: 30 * 1024 * 1024 }),
    pointsPerCandle: Type.Optional(Type.Integer({ minimum: 4, maximum: 64 })),
  }),
  output: Obj({ market: SimulatorMarketView, candles: Type.Integer(), points: Type.Integer() }),
});

/** What drives each market's price, for everyone (the trade screen says so plainly). */
export const MarketSource = Obj({
  symbol: MarketSymbol,
  /** True while the simulator's market maker and taker trade this market. */
  simulated: Type.Boolean(),
  referenceKind: Type.Union([Type.Literal('walk'), Type.Literal('replay'), Type.Literal('feed')]),
  /** The replayed file, or the live feed (for example `Kraken XBTUSDT`); null for the walk. */
  source: Type.Union([Type.String(), Type.Null()]),
  /** The live feed's last error (unreachable while offline); the price then holds still. */
  feedError: Type.Union([Type.String(), Type.Null()]),
});

export const simulatorSources = defineOperation({
  name: 'simulator.sources',
  summary: 'Whether each market is simulated, and what its reference price follows',
  access: 'public',
  http: { method: 'GET', path: '/simulator/sources' },
  input: Obj({}),
  output: Obj({ items: Type.Array(MarketSource) }),
});

export const simulatorOperations = [
  simulatorSources,
  simulatorStatus,
  simulatorPause,
  simulatorResume,
  simulatorTune,
  simulatorReplay,
] as const;
