import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Backtesting: imported candle datasets (struct-of-arrays packed into one BLOB of float64s),
 * users' own strategies (source text, plus the JavaScript the sandbox runs and the
 * metadata it declared) and backtest/sweep runs with their persisted results. Everything
 * belongs to one user.
 */

/** One dataset of candles. `candles` = time|open|high|low|close|volume[|openInterest]
 * arrays of `bar_count` little-endian float64 each, in that order. */
export const backtestDatasets = sqliteTable(
  'backtest_datasets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    /** `csv`, `json` (uploaded files) or `exchange` (candles recorded by the local exchange). */
    source: text('source', { enum: ['csv', 'json', 'exchange'] }).notNull(),
    symbol: text('symbol'),
    /** Interval label (`1d`, `1m`, …) and step in ms, null with fewer than two bars. */
    interval: text('interval'),
    intervalMs: integer('interval_ms'),
    barCount: integer('bar_count').notNull(),
    firstTime: integer('first_time').notNull(),
    lastTime: integer('last_time').notNull(),
    hasOpenInterest: integer('has_open_interest', { mode: 'boolean' }).notNull(),
    candles: blob('candles', { mode: 'buffer' }).notNull(),
    /** The validation report (JSON): rows read/rejected, counts, issues (capped). */
    report: text('report').notNull(),
    tsCreated: integer('ts_created').notNull(),
  },
  (t) => [index('backtest_datasets_user_idx').on(t.userId, t.id)],
);

/** A user's strategy: what they wrote, and what the sandbox runs. */
export const backtestStrategies = sqliteTable(
  'backtest_strategies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    language: text('language', { enum: ['js', 'ts'] }).notNull(),
    source: text('source').notNull(),
    /** JavaScript after type stripping (same as `source` for js). */
    compiled: text('compiled').notNull(),
    description: text('description').notNull().default(''),
    /** Parameter specs the strategy declared (JSON array). */
    params: text('params').notNull().default('[]'),
    tsCreated: integer('ts_created').notNull(),
    tsUpdated: integer('ts_updated').notNull(),
  },
  (t) => [index('backtest_strategies_user_idx').on(t.userId, t.id)],
);

/** One backtest or sweep: its inputs, its job run and, once done, its results. */
export const backtestRuns = sqliteTable(
  'backtest_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    kind: text('kind', { enum: ['backtest', 'sweep'] }).notNull(),
    jobRunId: integer('job_run_id'),
    datasetId: integer('dataset_id').notNull(),
    datasetName: text('dataset_name').notNull(),
    /** Built-in id (`ma-crossover`) or `user:<id>`. */
    strategyId: text('strategy_id').notNull(),
    strategyName: text('strategy_name').notNull(),
    /** Parameter values (backtest) or the fixed/base values (sweep), JSON. */
    params: text('params').notNull(),
    /** Sweep ranges by parameter (JSON), null for a single backtest. */
    ranges: text('ranges'),
    /** The resolved assumption set (JSON). */
    assumptions: text('assumptions').notNull(),
    timeLimitMs: integer('time_limit_ms'),
    status: text('status', {
      enum: ['queued', 'running', 'completed', 'cancelled', 'failed'],
    }).notNull(),
    error: text('error'),
    /** Bars with time in [from_time, to_time) of the dataset; null = open end. */
    fromTime: integer('from_time'),
    toTime: integer('to_time'),
    totalBars: integer('total_bars').notNull(),
    barsProcessed: integer('bars_processed'),
    gridSize: integer('grid_size'),
    /** Headline metrics (JSON) of a backtest; null for sweeps and unfinished runs. */
    metrics: text('metrics'),
    tradeCount: integer('trade_count'),
    /** The full result document (JSON: trades, orders, curves, metrics) or sweep table. */
    result: text('result'),
    tsCreated: integer('ts_created').notNull(),
    tsStarted: integer('ts_started'),
    tsFinished: integer('ts_finished'),
  },
  (t) => [index('backtest_runs_user_idx').on(t.userId, t.id)],
);
