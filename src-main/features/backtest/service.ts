import { and, desc, eq, getTableColumns } from 'drizzle-orm';
import {
  AppError,
  STRATEGY_TIME_LIMIT,
  SWEEP_MAX_RUNS,
  type BacktestRunStatus,
} from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import { backtestDatasets, backtestRuns } from '../../db/schema';
import {
  createBuiltInRegistry,
  equityToCsv,
  parameterGrid,
  resolveAssumptions,
  resolveParams,
  tradesToCsv,
  type AssumptionsInput,
  type ParamRange,
  type ParamValues,
  type StrategyRegistry,
} from '../../domain/backtest';
import type { Candles } from '../../domain/candles';
import type { JobContext, JobScheduler } from '../../jobs/scheduler';
import type { Logger } from '../../observability/logger';
import { candlesBetween } from './candles-blob';
import type { BacktestOutcome, CandleArrays, StrategyRef, SweepOutcome } from './protocol';
import { runInWorker, WorkerRunError } from './worker-runner';
import { BacktestDatasets } from './datasets';
import { resultFromJson, sweepCsv, thinned } from './run-export';
import { BacktestStrategies } from './strategies';

/** What the backtest use cases share: the database, the job scheduler, the log and the clock. */
export interface BacktestDeps {
  store: DatabaseHandle;
  scheduler: JobScheduler;
  log: Logger;
  now: () => number;
}

export const BACKTEST_JOB = 'backtest.run';
export const SWEEP_JOB = 'backtest.sweep';
type RunRow = typeof backtestRuns.$inferSelect;

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
 * Backtesting use cases: backtest and sweep runs executed as scheduler jobs in worker threads,
 * with results persisted per user. Datasets (`datasets.ts`) and user strategies
 * (`strategies.ts`) are its parts; `run-export.ts` turns stored results into files.
 */
export class BacktestService {
  readonly builtIns: StrategyRegistry = createBuiltInRegistry();
  readonly datasets: BacktestDatasets;
  readonly strategies: BacktestStrategies;

  constructor(private readonly deps: BacktestDeps) {
    this.datasets = new BacktestDatasets(deps);
    this.strategies = new BacktestStrategies(deps, this.builtIns);
  }

  private get db() {
    return this.deps.store.db;
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
    const ds = this.datasets.datasetRow(userId, input.datasetId);
    const strategy = this.strategies.resolveStrategy(userId, input.strategyId);
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
    const c = candlesBetween(this.datasets.candlesOf(ds), input.from, input.to);
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

  /**
   * One backtest in a worker thread outside the job queue, for callers that replay a strategy
   * themselves (a bot's shadow replay of a user strategy): the same sandboxed path as a run.
   */
  runOnce(
    ref: StrategyRef,
    candles: Candles,
    params: ParamValues,
    assumptions: AssumptionsInput,
    timeLimitMs?: number,
  ): Promise<BacktestOutcome> {
    return runInWorker<BacktestOutcome>(
      { kind: 'backtest', strategy: ref, candles: toArrays(candles), params, assumptions },
      timeLimitMs ? { timeLimitMs } : {},
    );
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
        this.datasets.candlesOf(ds),
        row.fromTime ?? undefined,
        row.toTime ?? undefined,
      );
      const strategy = this.strategies.resolveStrategy(row.userId, row.strategyId);
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
