import { and, desc, eq, getTableColumns, gte, lt } from 'drizzle-orm';
import {
  AppError,
  STRATEGY_TIME_LIMIT,
  SWEEP_MAX_RUNS,
  type BacktestRunStatus,
} from '../../../src-shared/contract';
import { csvCell } from '../../../src-shared/csv';
import type { DatabaseHandle } from '../../db/database';
import { backtestDatasets, backtestRuns, backtestStrategies, marketCandles } from '../../db/schema';
import {
  createBuiltInRegistry,
  equityToCsv,
  parameterGrid,
  resolveAssumptions,
  resolveParams,
  tradesToCsv,
  type AssumptionsInput,
  type BacktestResult,
  type ParamRange,
  type ParamSpec,
  type ParamValues,
  type StrategyRegistry,
} from '../../domain/backtest';
import type { Candles } from '../../domain/candles';
import { CANDLE_INTERVALS } from '../../domain/market-data';
import { lotsToQty, ticksToPrice, type MarketSpec } from '../../domain/markets';
import type { JobContext, JobScheduler } from '../../jobs/scheduler';
import type { Logger } from '../../observability/logger';
import { candlesBetween, packCandles, unpackCandles } from './candles-blob';
import { compileStrategy } from './compile';
import type {
  BacktestOutcome,
  CandleArrays,
  DescribeOutcome,
  ParseOutcome,
  StrategyRef,
  SweepOutcome,
} from './protocol';
import { runInWorker, WorkerRunError } from './worker-runner';

export const BACKTEST_JOB = 'backtest.run';
export const SWEEP_JOB = 'backtest.sweep';
/** Issues kept in a stored validation report. */
const REPORT_ISSUES = 2_000;
/** Time allowed to evaluate a strategy's source when it is saved. */
const CHECK_TIME_MS = 5_000;

type DatasetRow = typeof backtestDatasets.$inferSelect;
type StrategyRow = typeof backtestStrategies.$inferSelect;
type RunRow = typeof backtestRuns.$inferSelect;

export interface ValidationReportView {
  format: 'csv' | 'json' | 'exchange';
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  gapMode: string;
  issueCounts: Record<string, number>;
  issues: { row: number; code: string; severity: 'error' | 'warning'; message: string }[];
  truncated: boolean;
}

export interface RunInput {
  datasetId: number;
  strategyId: string;
  params?: ParamValues;
  assumptions?: AssumptionsInput;
  from?: number;
  to?: number;
  timeLimitSeconds?: number;
}

export interface SweepInput extends RunInput {
  ranges: Record<string, ParamRange>;
}

const TERMINAL: readonly BacktestRunStatus[] = ['completed', 'cancelled', 'failed'];

/** JSON with NaN/Infinity as null (neither is JSON). */
const toJson = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x));

const toArrays = (c: Candles): CandleArrays => ({
  time: c.time,
  open: c.open,
  high: c.high,
  low: c.low,
  close: c.close,
  volume: c.volume,
  openInterest: c.openInterest,
});

/**
 * Backtesting use cases: datasets, user strategies, and backtest/sweep runs executed as
 * scheduler jobs in worker threads, with results persisted per user.
 */
export class BacktestService {
  readonly builtIns: StrategyRegistry = createBuiltInRegistry();

  constructor(
    private readonly deps: {
      store: DatabaseHandle;
      scheduler: JobScheduler;
      log: Logger;
      now: () => number;
    },
  ) {}

  private get db() {
    return this.deps.store.db;
  }

  // ---------------------------------------------------------------- datasets

  async importDataset(
    userId: string,
    input: {
      name: string;
      content: string;
      format?: 'auto' | 'csv' | 'json';
      adjust?: 'none' | 'adjusted';
      symbol?: string;
    },
    source?: 'exchange',
  ) {
    const out = await runInWorker<ParseOutcome>(
      {
        kind: 'parse',
        text: input.content,
        options: { format: input.format ?? 'auto', adjust: input.adjust ?? 'none' },
      },
      { maxHeapMb: 2048 },
    );
    const parsed = { ...out, candles: { length: out.candles.time.length, ...out.candles } };
    const total = Object.values(parsed.issueCounts).reduce((n, v) => n + (v ?? 0), 0);
    const report: ValidationReportView = {
      format: source ?? parsed.format,
      rowsRead: parsed.rowsRead,
      rowsAccepted: parsed.candles.length,
      rowsRejected: parsed.rowsRejected,
      gapMode: parsed.gapMode,
      issueCounts: parsed.issueCounts as Record<string, number>,
      issues: parsed.issues.slice(0, REPORT_ISSUES),
      truncated: total > REPORT_ISSUES,
    };
    if (!parsed.ok) {
      throw new AppError('dataset_invalid', 'No valid candle in the file', { report });
    }
    const c = parsed.candles;
    const row = this.deps.store.write('backtest.datasets.import', () =>
      this.db
        .insert(backtestDatasets)
        .values({
          userId,
          name: input.name.trim(),
          source: source ?? parsed.format,
          symbol: input.symbol?.trim() || null,
          interval: parsed.interval?.label ?? null,
          intervalMs: parsed.interval?.ms ?? null,
          barCount: c.length,
          firstTime: c.time[0]!,
          lastTime: c.time[c.length - 1]!,
          hasOpenInterest: c.openInterest !== null,
          candles: packCandles(c),
          report: JSON.stringify(report),
          tsCreated: this.deps.now(),
        })
        .returning()
        .get(),
    );
    return { dataset: datasetView(row), report };
  }

  /**
   * A dataset from the candles the local exchange recorded (market-data, engine units
   * converted to decimals through the market's spec). The bars go through the same
   * validation as an import (gaps are reported: a quiet market has no bar).
   */
  async fromExchange(
    userId: string,
    input: { name: string; symbol: string; interval: string; from?: number; to?: number },
    exchange: { spec(symbol: string): MarketSpec } | undefined,
  ) {
    if (!exchange) {
      throw new AppError('source_unavailable', 'The local exchange is not running in this backend');
    }
    if (!(CANDLE_INTERVALS as readonly string[]).includes(input.interval)) {
      throw new AppError(
        'validation_failed',
        `interval must be one of ${CANDLE_INTERVALS.join(', ')}`,
      );
    }
    const spec = exchange.spec(input.symbol);
    const conds = [
      eq(marketCandles.symbol, input.symbol),
      eq(marketCandles.interval, input.interval),
    ];
    if (input.from !== undefined) conds.push(gte(marketCandles.openTime, input.from));
    if (input.to !== undefined) conds.push(lt(marketCandles.openTime, input.to));
    const rows = this.db
      .select()
      .from(marketCandles)
      .where(and(...conds))
      .orderBy(marketCandles.openTime)
      .all();
    if (rows.length === 0) {
      throw new AppError(
        'dataset_invalid',
        `The exchange has recorded no ${input.interval} candle for ${input.symbol} in that range`,
      );
    }
    const px = (t: number) => ticksToPrice(spec, t);
    const text =
      '[' +
      rows
        .map(
          (r) =>
            `[${r.openTime},${px(r.open)},${px(r.high)},${px(r.low)},${px(r.close)},${lotsToQty(spec, r.volume)}]`,
        )
        .join(',') +
      ']';
    return this.importDataset(
      userId,
      { name: input.name, content: text, symbol: input.symbol },
      'exchange',
    );
  }

  listDatasets(userId: string) {
    const rows = this.db
      .select({
        id: backtestDatasets.id,
        userId: backtestDatasets.userId,
        name: backtestDatasets.name,
        source: backtestDatasets.source,
        symbol: backtestDatasets.symbol,
        interval: backtestDatasets.interval,
        intervalMs: backtestDatasets.intervalMs,
        barCount: backtestDatasets.barCount,
        firstTime: backtestDatasets.firstTime,
        lastTime: backtestDatasets.lastTime,
        hasOpenInterest: backtestDatasets.hasOpenInterest,
        report: backtestDatasets.report,
        tsCreated: backtestDatasets.tsCreated,
      })
      .from(backtestDatasets)
      .where(eq(backtestDatasets.userId, userId))
      .orderBy(desc(backtestDatasets.id))
      .all();
    return { items: rows.map(datasetView) };
  }

  private datasetRow(userId: string, id: number): DatasetRow {
    const row = this.db
      .select()
      .from(backtestDatasets)
      .where(and(eq(backtestDatasets.id, id), eq(backtestDatasets.userId, userId)))
      .get();
    if (!row) throw new AppError('not_found', `No dataset ${id}`);
    return row;
  }

  getDataset(userId: string, id: number) {
    const row = this.datasetRow(userId, id);
    return { dataset: datasetView(row), report: JSON.parse(row.report) as ValidationReportView };
  }

  candlesOf(row: DatasetRow): Candles {
    return unpackCandles(row.candles, row.barCount, row.hasOpenInterest);
  }

  datasetCandles(userId: string, id: number, offset = 0, limit = 5_000) {
    const c = this.candlesOf(this.datasetRow(userId, id));
    const end = Math.min(c.length, offset + limit);
    const s = Math.min(offset, end);
    const arr = (a: Float64Array) => Array.from(a.subarray(s, end));
    return {
      total: c.length,
      offset: s,
      time: arr(c.time),
      open: arr(c.open),
      high: arr(c.high),
      low: arr(c.low),
      close: arr(c.close),
      volume: arr(c.volume),
    };
  }

  deleteDataset(userId: string, id: number) {
    this.datasetRow(userId, id);
    this.deps.store.write('backtest.datasets.delete', () =>
      this.db
        .delete(backtestDatasets)
        .where(and(eq(backtestDatasets.id, id), eq(backtestDatasets.userId, userId)))
        .run(),
    );
    return { ok: true as const };
  }

  // ---------------------------------------------------------------- strategies

  listStrategies(userId: string) {
    const builtIns = this.builtIns.list().map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      builtIn: true,
      params: s.params.map(specView),
    }));
    const mine = this.db
      .select()
      .from(backtestStrategies)
      .where(eq(backtestStrategies.userId, userId))
      .orderBy(backtestStrategies.name)
      .all()
      .map(strategyView);
    return { items: [...builtIns, ...mine] };
  }

  private strategyRow(userId: string, id: number): StrategyRow {
    const row = this.db
      .select()
      .from(backtestStrategies)
      .where(and(eq(backtestStrategies.id, id), eq(backtestStrategies.userId, userId)))
      .get();
    if (!row) throw new AppError('not_found', `No strategy ${id}`);
    return row;
  }

  getStrategy(userId: string, id: number) {
    const row = this.strategyRow(userId, id);
    return { ...strategyView(row), language: row.language, source: row.source };
  }

  /** Compiles, evaluates in the sandbox (bounded), then stores. */
  async saveStrategy(
    userId: string,
    input: { id?: number; language: 'js' | 'ts'; source: string },
  ) {
    if (input.id !== undefined) this.strategyRow(userId, input.id);
    const js = compileStrategy(input.language, input.source);
    let info: DescribeOutcome;
    try {
      info = await runInWorker<DescribeOutcome>(
        { kind: 'describe', strategy: { userId, js } },
        { timeLimitMs: CHECK_TIME_MS, maxHeapMb: 256 },
      );
    } catch (e) {
      throw new AppError('strategy_invalid', e instanceof Error ? e.message : String(e));
    }
    const name = (info.name || 'Untitled strategy').slice(0, 120);
    const now = this.deps.now();
    const values = {
      name,
      language: input.language,
      source: input.source,
      compiled: js,
      description: info.description.slice(0, 2_000),
      params: JSON.stringify(info.params),
      tsUpdated: now,
    };
    const row = this.deps.store.write('backtest.strategies.save', () =>
      input.id !== undefined
        ? this.db
            .update(backtestStrategies)
            .set(values)
            .where(and(eq(backtestStrategies.id, input.id), eq(backtestStrategies.userId, userId)))
            .returning()
            .get()
        : this.db
            .insert(backtestStrategies)
            .values({ ...values, userId, tsCreated: now })
            .returning()
            .get(),
    );
    return strategyView(row!);
  }

  deleteStrategy(userId: string, id: number) {
    this.strategyRow(userId, id);
    this.deps.store.write('backtest.strategies.delete', () =>
      this.db
        .delete(backtestStrategies)
        .where(and(eq(backtestStrategies.id, id), eq(backtestStrategies.userId, userId)))
        .run(),
    );
    return { ok: true as const };
  }

  /** Name, params and how a worker finds the strategy. */
  private resolveStrategy(
    userId: string,
    strategyId: string,
  ): { name: string; params: readonly ParamSpec[]; ref: StrategyRef; user: boolean } {
    const m = /^user:(\d+)$/.exec(strategyId);
    if (m) {
      const row = this.db
        .select()
        .from(backtestStrategies)
        .where(and(eq(backtestStrategies.id, Number(m[1])), eq(backtestStrategies.userId, userId)))
        .get();
      if (!row) throw new AppError('not_found', `No strategy ${strategyId}`);
      return {
        name: row.name,
        params: JSON.parse(row.params) as ParamSpec[],
        ref: { userId, js: row.compiled },
        user: true,
      };
    }
    const def = this.builtIns.get(strategyId);
    if (!def) throw new AppError('not_found', `No strategy ${strategyId}`);
    return { name: def.name, params: def.params, ref: { builtIn: def.id }, user: false };
  }

  // ---------------------------------------------------------------- runs

  startBacktest(userId: string, input: RunInput) {
    return this.queue(userId, 'backtest', input, null);
  }

  startSweep(userId: string, input: SweepInput) {
    return this.queue(userId, 'sweep', input, input.ranges);
  }

  private queue(
    userId: string,
    kind: 'backtest' | 'sweep',
    input: RunInput,
    ranges: Record<string, ParamRange> | null,
  ) {
    const ds = this.datasetRow(userId, input.datasetId);
    const strategy = this.resolveStrategy(userId, input.strategyId);
    const bad = (e: unknown): never => {
      throw new AppError('validation_failed', e instanceof Error ? e.message : String(e));
    };
    let assumptions;
    let params: ParamValues;
    let gridSize: number | null = null;
    try {
      assumptions = resolveAssumptions(input.assumptions ?? {});
    } catch (e) {
      return bad(e);
    }
    try {
      if (kind === 'backtest') params = resolveParams(strategy.params, input.params ?? {});
      else {
        // Fixed values must be valid; the varying ones are checked per grid point.
        const fixed = Object.fromEntries(
          Object.entries(input.params ?? {}).filter(([k]) => !(k in (ranges ?? {}))),
        );
        params = resolveParams(strategy.params, fixed);
        const specs = strategy.params.map((s) =>
          s.name in params && !(s.name in (ranges ?? {})) ? { ...s, default: params[s.name]! } : s,
        );
        gridSize = parameterGrid(specs, ranges ?? {}, SWEEP_MAX_RUNS).length;
      }
    } catch (e) {
      return bad(e);
    }
    const c = candlesBetween(this.candlesOf(ds), input.from, input.to);
    if (c.length < 2) {
      throw new AppError('validation_failed', 'The chosen window holds fewer than two bars');
    }
    const timeLimitMs = strategy.user
      ? (input.timeLimitSeconds ?? STRATEGY_TIME_LIMIT.default) * 1000
      : null;
    const job = kind === 'backtest' ? BACKTEST_JOB : SWEEP_JOB;
    const row = this.deps.store.write(`backtest.${kind}.queue`, () =>
      this.db
        .insert(backtestRuns)
        .values({
          userId,
          kind,
          datasetId: ds.id,
          datasetName: ds.name,
          strategyId: input.strategyId,
          strategyName: strategy.name,
          params: JSON.stringify(params),
          ranges: ranges ? JSON.stringify(ranges) : null,
          assumptions: JSON.stringify(assumptions),
          timeLimitMs,
          status: 'queued',
          fromTime: input.from ?? null,
          toTime: input.to ?? null,
          totalBars: c.length,
          gridSize,
          tsCreated: this.deps.now(),
        })
        .returning()
        .get(),
    );
    const jobRunId = this.deps.scheduler.enqueue(job, { runId: row.id }, userId);
    this.db.update(backtestRuns).set({ jobRunId }).where(eq(backtestRuns.id, row.id)).run();
    return this.runView({ ...row, jobRunId });
  }

  private runRow(userId: string, id: number): RunRow {
    const row = this.db
      .select()
      .from(backtestRuns)
      .where(and(eq(backtestRuns.id, id), eq(backtestRuns.userId, userId)))
      .get();
    if (!row) throw new AppError('not_found', `No run ${id}`);
    return row;
  }

  /** Status, progress and ETA, merging the job run for runs that have not finished. */
  runView(row: Omit<RunRow, 'result'> & { result?: string | null }) {
    let status = row.status;
    let error = row.error;
    let progress = TERMINAL.includes(status) ? 1 : 0;
    let tsStarted = row.tsStarted;
    let etaMs: number | null = null;
    if (!TERMINAL.includes(status) && row.jobRunId !== null) {
      const job = this.deps.scheduler.getRun(row.jobRunId);
      if (job) {
        if (job.status === 'cancelled' || job.status === 'failed') {
          status = job.status;
          error = error ?? job.error;
        } else if (job.status === 'running') status = 'running';
        progress = job.progress === null ? 0 : job.progress / 1e6;
        tsStarted = tsStarted ?? job.tsStarted;
        if (status === 'running' && tsStarted !== null && progress > 0.001) {
          const elapsed = Math.max(0, this.deps.now() - tsStarted);
          etaMs = Math.round((elapsed * (1 - progress)) / progress);
        }
      }
    }
    return {
      id: row.id,
      kind: row.kind,
      jobRunId: row.jobRunId,
      datasetId: row.datasetId,
      datasetName: row.datasetName,
      strategyId: row.strategyId,
      strategyName: row.strategyName,
      params: JSON.parse(row.params) as ParamValues,
      ranges: row.ranges ? (JSON.parse(row.ranges) as unknown) : null,
      assumptions: JSON.parse(row.assumptions) as unknown,
      status,
      error,
      progress: status === 'completed' ? 1 : progress,
      etaMs,
      totalBars: row.totalBars,
      barsProcessed: row.barsProcessed,
      gridSize: row.gridSize,
      tradeCount: row.tradeCount,
      metrics: row.metrics ? (JSON.parse(row.metrics) as Record<string, number | null>) : null,
      tsCreated: row.tsCreated,
      tsStarted,
      tsFinished: row.tsFinished,
    };
  }

  listRuns(userId: string, limit = 100) {
    const { result: _omit, ...cols } = getTableColumns(backtestRuns);
    void _omit;
    const rows = this.db
      .select(cols)
      .from(backtestRuns)
      .where(eq(backtestRuns.userId, userId))
      .orderBy(desc(backtestRuns.id))
      .limit(limit)
      .all();
    return { items: rows.map((r) => this.runView(r)) };
  }

  getRun(userId: string, id: number, summary = false, maxPoints = 20_000) {
    const row = this.runRow(userId, id);
    const run = this.runView(row);
    if (summary || run.status !== 'completed' || !row.result) {
      return { run, result: null, sweep: null };
    }
    const doc = JSON.parse(row.result) as Record<string, unknown>;
    if (row.kind === 'sweep') {
      return { run, result: null, sweep: doc.runs as never };
    }
    const trades = (doc.trades as Record<string, unknown>[]).map((t) => ({
      id: t.id as number,
      side: t.side as 'long' | 'short',
      quantity: t.quantity as number,
      entryTime: t.entryTime as number,
      entryPrice: t.entryPrice as number,
      exitTime: t.exitTime as number,
      exitPrice: t.exitPrice as number,
      grossPnl: t.grossPnl as string,
      fees: t.fees as string,
      netPnl: t.netPnl as string,
      returnPct: t.returnPct as number | null,
      barsHeld: t.barsHeld as number,
      exitReason: t.exitReason as string,
      tag: t.tag as string,
    }));
    const keep = thinned(doc.drawdown as (number | null)[], maxPoints);
    const pick = <T>(a: T[]) => (keep ? keep.map((i) => a[i]!) : a);
    return {
      run,
      sweep: null,
      result: {
        initialCash: doc.initialCash as string,
        finalCash: doc.finalCash as string,
        totalFees: doc.totalFees as string,
        bankrupt: doc.bankrupt as boolean,
        interval: (doc.interval ?? null) as unknown,
        trades,
        time: pick(doc.time as number[]),
        equity: pick(doc.equity as (number | null)[]),
        drawdown: pick(doc.drawdown as (number | null)[]),
        position: pick(doc.position as (number | null)[]),
        lookahead: (doc.lookahead ?? null) as {
          ok: boolean;
          cuts: number[];
          divergence: { cut: number; bar: number } | null;
        } | null,
      },
    };
  }

  cancelRun(userId: string, id: number) {
    const row = this.runRow(userId, id);
    if (TERMINAL.includes(row.status) || row.jobRunId === null) {
      throw new AppError('conflict', `Run ${id} has already finished`);
    }
    this.deps.scheduler.cancel(row.jobRunId);
    const job = this.deps.scheduler.getRun(row.jobRunId);
    if (job?.status === 'cancelled') {
      // A queued run never started: its row is final now.
      this.finishRow(id, { status: 'cancelled', error: 'cancelled' });
    }
    return this.runView(this.runRow(userId, id));
  }

  deleteRun(userId: string, id: number) {
    const row = this.runRow(userId, id);
    if (!TERMINAL.includes(this.runView(row).status)) {
      throw new AppError('conflict', `Run ${id} is still ${row.status}; cancel it first`);
    }
    this.deps.store.write('backtest.runs.delete', () =>
      this.db.delete(backtestRuns).where(eq(backtestRuns.id, id)).run(),
    );
    return { ok: true as const };
  }

  exportRun(userId: string, id: number, format: 'csv' | 'json', part?: 'trades' | 'equity') {
    const row = this.runRow(userId, id);
    if (row.status !== 'completed' || !row.result) {
      throw new AppError('conflict', `Run ${id} has no results to export (${row.status})`);
    }
    const base = `backtest-${id}-${row.strategyId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    if (format === 'json') {
      const doc = {
        run: this.runView(row),
        ...(JSON.parse(row.result) as Record<string, unknown>),
      };
      return {
        filename: `${base}.json`,
        contentType: 'application/json',
        content: JSON.stringify(doc, null, 2),
      };
    }
    if (row.kind === 'sweep') {
      const doc = JSON.parse(row.result) as {
        runs: { params: ParamValues; metrics: Record<string, number | null>; error?: string }[];
      };
      return {
        filename: `${base}-sweep.csv`,
        contentType: 'text/csv',
        content: sweepCsv(doc.runs),
      };
    }
    const r = resultFromJson(row.result);
    return part === 'equity'
      ? { filename: `${base}-equity.csv`, contentType: 'text/csv', content: equityToCsv(r) }
      : { filename: `${base}-trades.csv`, contentType: 'text/csv', content: tradesToCsv(r) };
  }

  private finishRow(id: number, set: Partial<RunRow>) {
    this.deps.store.write('backtest.runs.finish', () =>
      this.db
        .update(backtestRuns)
        .set({ tsFinished: this.deps.now(), ...set })
        .where(eq(backtestRuns.id, id))
        .run(),
    );
  }

  /** Runs marked queued/running whose job ended without them (crash, shutdown). */
  reconcile(): void {
    const open = this.db
      .select({ id: backtestRuns.id, jobRunId: backtestRuns.jobRunId, status: backtestRuns.status })
      .from(backtestRuns)
      .all()
      .filter((r) => !TERMINAL.includes(r.status));
    for (const r of open) {
      const job = r.jobRunId === null ? undefined : this.deps.scheduler.getRun(r.jobRunId);
      if (!job || job.status === 'failed' || job.status === 'cancelled') {
        this.finishRow(r.id, {
          status: job?.status === 'cancelled' ? 'cancelled' : 'failed',
          error: job?.error ?? 'interrupted',
        });
      }
    }
  }

  /** The job body of both job kinds. */
  async execute(ctx: JobContext<{ runId: number }>): Promise<unknown> {
    const id = ctx.payload.runId;
    const row = this.db.select().from(backtestRuns).where(eq(backtestRuns.id, id)).get();
    if (!row || row.status !== 'queued') return { skipped: true };
    this.deps.store.write('backtest.runs.start', () =>
      this.db
        .update(backtestRuns)
        .set({ status: 'running', tsStarted: this.deps.now() })
        .where(eq(backtestRuns.id, id))
        .run(),
    );
    try {
      const ds = this.db
        .select()
        .from(backtestDatasets)
        .where(eq(backtestDatasets.id, row.datasetId))
        .get();
      if (!ds) throw new Error(`dataset ${row.datasetId} was deleted`);
      const candles = candlesBetween(
        this.candlesOf(ds),
        row.fromTime ?? undefined,
        row.toTime ?? undefined,
      );
      const strategy = this.resolveStrategy(row.userId, row.strategyId);
      const assumptions = JSON.parse(row.assumptions) as AssumptionsInput;
      const params = JSON.parse(row.params) as ParamValues;
      const options = {
        signal: ctx.signal,
        timeLimitMs: row.timeLimitMs ?? undefined,
        onProgress: (f: number) => ctx.progress(f),
      };
      if (row.kind === 'backtest') {
        const out = await runInWorker<BacktestOutcome>(
          {
            kind: 'backtest',
            strategy: strategy.ref,
            candles: toArrays(candles),
            params,
            assumptions,
          },
          options,
        );
        this.finishRow(id, {
          status: 'completed',
          barsProcessed: out.barsProcessed,
          tradeCount: out.tradeCount,
          metrics: toJson(out.metrics),
          result: out.json,
        });
        return { runId: id, trades: out.tradeCount };
      }
      const ranges = JSON.parse(row.ranges ?? '{}') as Record<string, ParamRange>;
      const specs = strategy.params.map((s) =>
        s.name in params && !(s.name in ranges) ? { ...s, default: params[s.name]! } : s,
      );
      const grid = parameterGrid(specs, ranges, SWEEP_MAX_RUNS);
      const out = await runInWorker<SweepOutcome>(
        { kind: 'sweep', strategy: strategy.ref, candles: toArrays(candles), grid, assumptions },
        options,
      );
      this.finishRow(id, {
        status: 'completed',
        barsProcessed: candles.length,
        result: toJson({ runs: out.runs }),
      });
      return { runId: id, runs: out.runs.length };
    } catch (e) {
      const cancelled = e instanceof WorkerRunError && e.reason === 'cancelled';
      const message = e instanceof Error ? e.message : String(e);
      this.finishRow(id, {
        status: cancelled ? 'cancelled' : 'failed',
        error: cancelled ? 'cancelled' : message,
      });
      throw e;
    }
  }
}

/**
 * Indices to keep so a curve of n points fits in `max`: per bucket, its first point and its
 * deepest drawdown (so the maximum drawdown survives), plus the last point. Null = keep all.
 */
export function thinned(drawdown: (number | null)[], max: number): number[] | null {
  const n = drawdown.length;
  if (n <= max) return null;
  const buckets = Math.max(1, Math.floor((max - 1) / 2));
  const size = n / buckets;
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    let deepest = start;
    for (let i = start; i < end; i++) {
      if ((drawdown[i] ?? 0) < (drawdown[deepest] ?? 0)) deepest = i;
    }
    out.push(start);
    if (deepest !== start) out.push(deepest);
  }
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/** Rebuilds what the CSV exporters read from a stored result document. */
function resultFromJson(text: string): BacktestResult {
  const doc = JSON.parse(text) as Record<string, unknown>;
  const f64 = (a: unknown) => Float64Array.from((a as (number | null)[]) ?? [], (x) => x ?? NaN);
  const nan = (v: unknown) => (v === null ? NaN : v);
  const trades = (doc.trades as Record<string, unknown>[]).map((t) =>
    Object.fromEntries(Object.entries(t).map(([k, v]) => [k, nan(v)])),
  );
  return {
    ...(doc as object),
    time: f64(doc.time),
    equity: f64(doc.equity),
    drawdown: f64(doc.drawdown),
    position: f64(doc.position),
    trades,
  } as unknown as BacktestResult;
}

function sweepCsv(
  runs: { params: ParamValues; metrics: Record<string, number | null>; error?: string }[],
): string {
  const pk = [...new Set(runs.flatMap((r) => Object.keys(r.params)))];
  const mk = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  // Numbers stay numbers (a negative return must not be turned into text); names, text
  // parameters and error messages go through `csvCell`, which also defuses formulas.
  const field = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'string' ? csvCell(v) : String(v);
  const lines = [[...pk, ...mk, 'error'].map(field).join(',')];
  for (const r of runs) {
    lines.push(
      [...pk.map((k) => r.params[k]), ...mk.map((k) => r.metrics[k]), r.error ?? '']
        .map(field)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

function datasetView(row: Omit<DatasetRow, 'candles' | 'userId'> & { report: string }) {
  const report = JSON.parse(row.report) as ValidationReportView;
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    symbol: row.symbol,
    interval: row.interval,
    intervalMs: row.intervalMs,
    barCount: row.barCount,
    firstTime: row.firstTime,
    lastTime: row.lastTime,
    hasOpenInterest: row.hasOpenInterest,
    issueCount: Object.values(report.issueCounts).reduce((n, v) => n + v, 0),
    tsCreated: row.tsCreated,
  };
}

function specView(s: ParamSpec) {
  const out: Record<string, unknown> = { name: s.name, type: s.type, default: s.default };
  for (const k of ['label', 'description', 'min', 'max', 'step'] as const) {
    if (s[k] !== undefined) out[k] = s[k];
  }
  if (s.options) out.options = [...s.options];
  return out as {
    name: string;
    type: ParamSpec['type'];
    default: ParamSpec['default'];
    label?: string;
    description?: string;
    min?: number;
    max?: number;
    step?: number;
    options?: string[];
  };
}

function strategyView(row: StrategyRow) {
  return {
    id: `user:${row.id}`,
    name: row.name,
    description: row.description,
    builtIn: false,
    params: (JSON.parse(row.params) as ParamSpec[]).map(specView),
    language: row.language,
    tsUpdated: row.tsUpdated,
  };
}
