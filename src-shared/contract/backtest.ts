import { Type, type TSchema } from '@sinclair/typebox';
import { Obj, Ok } from './common';
import { defineOperation } from './define';

/**
 * Backtesting: candle datasets (import, validation report, preview, delete), strategies
 * (built-ins and the user's own source), backtests and parameter sweeps run as jobs, their
 * persisted results and exports. Runs execute in a worker thread; progress arrives on the
 * `jobs` stream (the run's `jobRunId`) and through `backtest.runs.get`.
 */

const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Largest dataset upload (characters of CSV/JSON text). */
export const DATASET_MAX_CHARS = 48 * 1024 * 1024;
/** Largest strategy source. */
export const STRATEGY_MAX_CHARS = 200_000;
/** Largest sweep grid one job runs. */
export const SWEEP_MAX_RUNS = 5_000;
/** Time limit bounds for user strategies, seconds. */
export const STRATEGY_TIME_LIMIT = { default: 120, min: 1, max: 3_600 } as const;

export const BACKTEST_RUN_STATUSES = [
  'queued',
  'running',
  'completed',
  'cancelled',
  'failed',
] as const;
export type BacktestRunStatus = (typeof BACKTEST_RUN_STATUSES)[number];

const Time = Type.Number({ description: 'Unix time in milliseconds (UTC)' });
const ParamValue = Type.Union([Type.Number(), Type.Boolean(), Type.String()]);
const ParamValues = Type.Record(Type.String(), ParamValue);

export const CandleIssueView = Obj({
  row: Type.Integer({
    description: '1-based line (CSV, header included) or element (JSON); 0 = file',
  }),
  code: Type.String(),
  severity: Lit(['error', 'warning'] as const),
  message: Type.String(),
});

export const CandleValidationReport = Obj({
  format: Lit(['csv', 'json', 'exchange'] as const),
  rowsRead: Type.Integer(),
  rowsAccepted: Type.Integer(),
  rowsRejected: Type.Integer(),
  gapMode: Type.String(),
  issueCounts: Type.Record(Type.String(), Type.Integer()),
  /** Issues row by row (the first 2,000; `issueCounts` counts them all). */
  issues: Type.Array(CandleIssueView),
  truncated: Type.Boolean(),
});

export const BacktestDatasetView = Obj({
  id: Type.Integer(),
  name: Type.String(),
  source: Lit(['csv', 'json', 'exchange'] as const),
  symbol: Nullable(Type.String()),
  interval: Nullable(Type.String()),
  intervalMs: Nullable(Type.Number()),
  barCount: Type.Integer(),
  firstTime: Time,
  lastTime: Time,
  hasOpenInterest: Type.Boolean(),
  issueCount: Type.Integer(),
  tsCreated: Time,
});

export const StrategyParamSpecView = Obj({
  name: Type.String(),
  type: Lit(['int', 'float', 'bool', 'enum'] as const),
  label: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  step: Type.Optional(Type.Number()),
  default: ParamValue,
  options: Type.Optional(Type.Array(Type.String())),
});

export const BacktestStrategyView = Obj({
  /** Built-in id (`ma-crossover`) or `user:<id>`. */
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  builtIn: Type.Boolean(),
  params: Type.Array(StrategyParamSpecView),
  language: Type.Optional(Lit(['js', 'ts'] as const)),
  tsUpdated: Type.Optional(Time),
});

export const BacktestStrategySource = Obj({
  ...BacktestStrategyView.properties,
  language: Lit(['js', 'ts'] as const),
  source: Type.String(),
});

/** Assumptions as a caller sets them; anything omitted takes the documented default. */
export const AssumptionsInputSchema = Obj({
  initialCash: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  currencyScale: Type.Optional(Type.Integer({ minimum: 0, maximum: 8 })),
  commission: Type.Optional(
    Type.Union([
      Obj({ kind: Type.Literal('none') }),
      Obj({ kind: Type.Literal('per-order'), amount: Type.Number({ minimum: 0 }) }),
      Obj({
        kind: Type.Literal('per-unit'),
        amount: Type.Number({ minimum: 0 }),
        minimum: Type.Optional(Type.Number({ minimum: 0 })),
      }),
      Obj({
        kind: Type.Literal('percent'),
        rate: Type.Number({ minimum: 0, exclusiveMaximum: 1, description: '0.001 = 0.1 %' }),
        minimum: Type.Optional(Type.Number({ minimum: 0 })),
      }),
    ]),
  ),
  slippage: Type.Optional(
    Type.Union([
      Obj({ kind: Type.Literal('none') }),
      Obj({ kind: Type.Literal('bps'), bps: Type.Number({ minimum: 0 }) }),
      Obj({ kind: Type.Literal('ticks'), ticks: Type.Number({ minimum: 0 }) }),
    ]),
  ),
  spread: Type.Optional(Type.Number({ minimum: 0 })),
  tickSize: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  sizing: Type.Optional(
    Type.Union([
      Obj({ kind: Type.Literal('fixed-quantity'), quantity: Type.Number({ exclusiveMinimum: 0 }) }),
      Obj({ kind: Type.Literal('fixed-cash'), amount: Type.Number({ exclusiveMinimum: 0 }) }),
      Obj({ kind: Type.Literal('percent-equity'), percent: Type.Number({ exclusiveMinimum: 0 }) }),
    ]),
  ),
  quantityStep: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  allowShort: Type.Optional(Type.Boolean()),
  leverage: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  contractMultiplier: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  marketFill: Type.Optional(Lit(['next-open', 'next-close'] as const)),
  closeAtEnd: Type.Optional(Type.Boolean()),
  pollEvery: Type.Optional(Type.Integer({ minimum: 1 })),
  indicatorConvention: Type.Optional(
    Type.Union([Type.Literal('tradingview'), Type.Literal('talib')], {
      description:
        'ATR/RSI/RMA definitions ctx.indicators follows: tradingview (default; ta.atr starts at bar 0) or talib (TA-Lib/backtrader; true range from bar 1)',
    }),
  ),
  instrument: Type.Optional(
    Type.Union([
      Obj({ kind: Type.Literal('spot') }),
      Obj({
        kind: Type.Literal('future'),
        multiplier: Type.Number({ exclusiveMinimum: 0, description: 'value of one point' }),
        initialMargin: Type.Number({
          exclusiveMinimum: 0,
          description: 'held per open contract instead of the notional',
        }),
        commissionPerContract: Type.Number({ minimum: 0 }),
      }),
    ]),
  ),
  metrics: Type.Optional(
    Obj({
      periodsPerYear: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0 }))),
      calendar: Type.Optional(Lit(['equity', 'crypto'] as const)),
      stdDev: Type.Optional(Lit(['sample', 'population'] as const)),
      riskFreeRate: Type.Optional(Type.Number()),
      returnsBasis: Type.Optional(Lit(['period', 'trade'] as const)),
    }),
  ),
});

/** Metric values by name (fractions for ratios, major units for money); null = undefined. */
export const BacktestMetricsView = Type.Record(Type.String(), Nullable(Type.Number()));

export const BacktestRunView = Obj({
  id: Type.Integer(),
  kind: Lit(['backtest', 'sweep'] as const),
  jobRunId: Nullable(Type.Integer()),
  datasetId: Type.Integer(),
  datasetName: Type.String(),
  strategyId: Type.String(),
  strategyName: Type.String(),
  params: ParamValues,
  ranges: Nullable(Type.Unknown()),
  assumptions: Type.Unknown({ description: 'the full resolved assumption set' }),
  status: Lit(BACKTEST_RUN_STATUSES),
  error: Nullable(Type.String()),
  /** 0..1 while running, 1 when done. */
  progress: Type.Number(),
  /** Estimated milliseconds left (from elapsed time and progress), null when unknown. */
  etaMs: Nullable(Type.Number()),
  totalBars: Type.Integer(),
  barsProcessed: Nullable(Type.Integer()),
  gridSize: Nullable(Type.Integer()),
  tradeCount: Nullable(Type.Integer()),
  metrics: Nullable(BacktestMetricsView),
  tsCreated: Time,
  tsStarted: Nullable(Time),
  tsFinished: Nullable(Time),
});

export const BacktestTradeView = Obj({
  id: Type.Integer(),
  side: Lit(['long', 'short'] as const),
  quantity: Type.Number(),
  entryTime: Time,
  entryPrice: Type.Number(),
  exitTime: Time,
  exitPrice: Type.Number(),
  grossPnl: Type.String({ description: 'exact decimal' }),
  fees: Type.String(),
  netPnl: Type.String(),
  returnPct: Nullable(Type.Number()),
  barsHeld: Type.Integer(),
  exitReason: Type.String(),
  tag: Type.String(),
});

export const BacktestSweepRowView = Obj({
  params: ParamValues,
  metrics: BacktestMetricsView,
  tradeCount: Type.Integer(),
  error: Type.Optional(Type.String()),
});

export const BacktestRunDetail = Obj({
  run: BacktestRunView,
  /** Backtest results (null for sweeps and unfinished runs). */
  result: Nullable(
    Obj({
      initialCash: Type.String(),
      finalCash: Type.String(),
      totalFees: Type.String(),
      bankrupt: Type.Boolean(),
      interval: Nullable(Type.Unknown()),
      trades: Type.Array(BacktestTradeView),
      time: Type.Array(Time),
      equity: Type.Array(Nullable(Type.Number())),
      drawdown: Type.Array(Nullable(Type.Number())),
      position: Type.Array(Nullable(Type.Number())),
      /** User strategies: re-run on prefixes of the data; `ok: false` = it read future bars. */
      lookahead: Nullable(
        Obj({
          ok: Type.Boolean(),
          cuts: Type.Array(Type.Integer()),
          divergence: Nullable(Obj({ cut: Type.Integer(), bar: Type.Integer() })),
        }),
      ),
    }),
  ),
  /** Sweep rows (null for backtests and unfinished sweeps). */
  sweep: Nullable(Type.Array(BacktestSweepRowView)),
});

const IdInput = Obj({ id: Type.Integer({ minimum: 1 }) });

// ---- datasets ----

export const backtestDatasetsImport = defineOperation({
  name: 'backtest.datasets.import',
  summary: 'Import candles from CSV or JSON text; answers the dataset and its validation report',
  description:
    'CSV `Date,Open,High,Low,Close,Volume[,OpenInterest]` (a separate Time column and ' +
    '`Adj Close` are understood) or a JSON array of `[ms, o, h, l, c, v]`. Rows with errors ' +
    'are dropped and reported row by row; warnings keep the row. Refused when no valid bar ' +
    'remains (`dataset_invalid`, with the report in `details`).',
  access: 'backtest.run',
  mutates: true,
  input: Obj({
    name: Type.String({ minLength: 1, maxLength: 120 }),
    content: Type.String({ minLength: 1, maxLength: DATASET_MAX_CHARS }),
    format: Type.Optional(Lit(['auto', 'csv', 'json'] as const)),
    adjust: Type.Optional(Lit(['none', 'adjusted'] as const)),
    symbol: Type.Optional(Type.String({ maxLength: 40 })),
  }),
  output: Obj({ dataset: BacktestDatasetView, report: CandleValidationReport }),
  http: {
    method: 'POST',
    path: '/backtest/datasets/import',
    bodyLimit: DATASET_MAX_CHARS + 65_536,
  },
});

export const backtestDatasetsFromExchange = defineOperation({
  name: 'backtest.datasets.fromExchange',
  summary: 'Make a dataset from candles recorded by the local exchange',
  access: 'backtest.run',
  mutates: true,
  input: Obj({
    name: Type.String({ minLength: 1, maxLength: 120 }),
    symbol: Type.String({ minLength: 1, maxLength: 40 }),
    interval: Type.String({ minLength: 1, maxLength: 8, examples: ['1m'] }),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
  }),
  output: Obj({ dataset: BacktestDatasetView, report: CandleValidationReport }),
});

export const backtestDatasetsList = defineOperation({
  name: 'backtest.datasets.list',
  summary: 'Your datasets, newest first',
  access: 'backtest.run',
  http: { method: 'GET', path: '/backtest/datasets' },
  input: Obj({}),
  output: Obj({ items: Type.Array(BacktestDatasetView) }),
});

export const backtestDatasetsGet = defineOperation({
  name: 'backtest.datasets.get',
  summary: 'One dataset with its validation report',
  access: 'backtest.run',
  http: { method: 'GET', path: '/backtest/datasets/:id' },
  input: IdInput,
  output: Obj({ dataset: BacktestDatasetView, report: CandleValidationReport }),
});

export const backtestDatasetsCandles = defineOperation({
  name: 'backtest.datasets.candles',
  summary: 'Candles of a dataset (preview, price chart), as parallel arrays',
  access: 'backtest.run',
  http: { method: 'GET', path: '/backtest/datasets/:id/candles' },
  input: Obj({
    id: Type.Integer({ minimum: 1 }),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250_000, default: 5_000 })),
  }),
  output: Obj({
    total: Type.Integer(),
    offset: Type.Integer(),
    time: Type.Array(Time),
    open: Type.Array(Type.Number()),
    high: Type.Array(Type.Number()),
    low: Type.Array(Type.Number()),
    close: Type.Array(Type.Number()),
    volume: Type.Array(Type.Number()),
  }),
});

export const backtestDatasetsDelete = defineOperation({
  name: 'backtest.datasets.delete',
  summary: 'Delete a dataset (its past runs keep their results)',
  access: 'backtest.run',
  mutates: true,
  http: { method: 'DELETE', path: '/backtest/datasets/:id' },
  input: IdInput,
  output: Ok,
});

// ---- strategies ----

export const backtestStrategiesList = defineOperation({
  name: 'backtest.strategies.list',
  summary: 'Built-in strategies and yours, with their typed parameters',
  access: 'backtest.run',
  http: { method: 'GET', path: '/backtest/strategies' },
  input: Obj({}),
  output: Obj({ items: Type.Array(BacktestStrategyView) }),
});

export const backtestStrategiesGet = defineOperation({
  name: 'backtest.strategies.get',
  summary: 'One of your strategies with its source',
  access: 'backtest.run',
  http: { method: 'GET', path: '/backtest/strategies/:id' },
  input: IdInput,
  output: BacktestStrategySource,
});

export const backtestStrategiesSave = defineOperation({
  name: 'backtest.strategies.save',
  summary: 'Create or replace one of your strategies (checked in the sandbox first)',
  description:
    'The source calls `defineStrategy({ name, description, params, create(params) { return ' +
    '{ onStart, onBar, onOrderUpdate, onEnd } } })`. It is compiled (TypeScript types are ' +
    'stripped) and evaluated in the sandbox; a syntax error, a throw or a bad definition is ' +
    'refused with `strategy_invalid`. Needs `backtest.custom`.',
  access: 'backtest.custom',
  mutates: true,
  input: Obj({
    id: Type.Optional(Type.Integer({ minimum: 1 })),
    language: Lit(['js', 'ts'] as const),
    source: Type.String({ minLength: 1, maxLength: STRATEGY_MAX_CHARS }),
  }),
  output: BacktestStrategyView,
  http: { method: 'POST', path: '/backtest/strategies', bodyLimit: STRATEGY_MAX_CHARS * 4 },
});

export const backtestStrategiesDelete = defineOperation({
  name: 'backtest.strategies.delete',
  summary: 'Delete one of your strategies',
  access: 'backtest.run',
  mutates: true,
  http: { method: 'DELETE', path: '/backtest/strategies/:id' },
  input: IdInput,
  output: Ok,
});

// ---- runs ----

const RunCommon = {
  datasetId: Type.Integer({ minimum: 1 }),
  strategyId: Type.String({ minLength: 1, maxLength: 64 }),
  assumptions: Type.Optional(AssumptionsInputSchema),
  /** Bars [from, to) of the dataset by time; whole dataset by default. */
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  timeLimitSeconds: Type.Optional(
    Type.Integer({
      minimum: STRATEGY_TIME_LIMIT.min,
      maximum: STRATEGY_TIME_LIMIT.max,
      description: `user strategies only; default ${STRATEGY_TIME_LIMIT.default}`,
    }),
  ),
};

export const backtestRun = defineOperation({
  name: 'backtest.run',
  summary: 'Queue a backtest job; answers the run (follow it with backtest.runs.get)',
  access: 'backtest.run',
  mutates: true,
  input: Obj({ ...RunCommon, params: Type.Optional(ParamValues) }),
  output: BacktestRunView,
});

export const backtestSweep = defineOperation({
  name: 'backtest.sweep',
  summary: 'Queue a parameter sweep (grid over ranges) as one job',
  access: 'backtest.run',
  mutates: true,
  input: Obj({
    ...RunCommon,
    /** Values of the parameters that do not vary. */
    params: Type.Optional(ParamValues),
    /** Per parameter: a list of values or a numeric min..max by step. */
    ranges: Type.Record(
      Type.String(),
      Type.Union([
        Type.Array(ParamValue, { minItems: 1, maxItems: 1_000 }),
        Obj({ min: Type.Number(), max: Type.Number(), step: Type.Number({ exclusiveMinimum: 0 }) }),
      ]),
    ),
  }),
  output: BacktestRunView,
});

export const backtestRunsList = defineOperation({
  name: 'backtest.runs.list',
  summary: 'Your backtests and sweeps, newest first',
  access: 'backtest.run',
  http: { method: 'GET', path: '/backtest/runs' },
  input: Obj({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }),
  output: Obj({ items: Type.Array(BacktestRunView) }),
});

export const backtestRunsGet = defineOperation({
  name: 'backtest.runs.get',
  summary: 'A run with progress/ETA and, once done, its results',
  access: 'backtest.run',
  http: { method: 'GET', path: '/backtest/runs/:id' },
  input: Obj({
    id: Type.Integer({ minimum: 1 }),
    /** Leave the curves and trades out (progress polling). */
    summary: Type.Optional(Type.Boolean()),
    /**
     * Longest curves returned; longer ones are thinned to at most this many points, keeping
     * each bucket's first bar and its deepest drawdown (exports always carry every bar).
     */
    maxPoints: Type.Optional(Type.Integer({ minimum: 100, maximum: 2_000_000, default: 20_000 })),
  }),
  output: BacktestRunDetail,
});

export const backtestRunsCancel = defineOperation({
  name: 'backtest.runs.cancel',
  summary: 'Cancel a queued or running backtest/sweep (its worker is terminated)',
  access: 'backtest.run',
  mutates: true,
  input: IdInput,
  output: BacktestRunView,
});

export const backtestRunsDelete = defineOperation({
  name: 'backtest.runs.delete',
  summary: 'Delete a finished run and its results',
  access: 'backtest.run',
  mutates: true,
  http: { method: 'DELETE', path: '/backtest/runs/:id' },
  input: IdInput,
  output: Ok,
});

export const backtestRunsExport = defineOperation({
  name: 'backtest.runs.export',
  summary: 'Export a finished run as CSV (trades, equity curve or sweep table) or JSON',
  access: 'backtest.run',
  http: { method: 'GET', path: '/backtest/runs/:id/export' },
  input: Obj({
    id: Type.Integer({ minimum: 1 }),
    format: Lit(['csv', 'json'] as const),
    /** CSV only: which table (sweeps always export their results table). */
    part: Type.Optional(Lit(['trades', 'equity'] as const)),
  }),
  output: Obj({ filename: Type.String(), contentType: Type.String(), content: Type.String() }),
});

export const backtestOperations = [
  backtestDatasetsImport,
  backtestDatasetsFromExchange,
  backtestDatasetsList,
  backtestDatasetsGet,
  backtestDatasetsCandles,
  backtestDatasetsDelete,
  backtestStrategiesList,
  backtestStrategiesGet,
  backtestStrategiesSave,
  backtestStrategiesDelete,
  backtestRun,
  backtestSweep,
  backtestRunsList,
  backtestRunsGet,
  backtestRunsCancel,
  backtestRunsDelete,
  backtestRunsExport,
] as const;
