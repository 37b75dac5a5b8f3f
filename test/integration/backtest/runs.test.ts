import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBuiltInRegistry,
  parameterGrid,
  runBacktest,
  runSweep,
} from '../../../src-main/domain/backtest';
import { parseCandles } from '../../../src-main/domain/candles';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { rejects } from '../../helpers/exchange';
import { bars, finished, missingRealData, trader, type Caller, type RunView } from './setup';

let backend: TestBackend;
let me: Caller;
let daily: number;
let minute: number;
const registry = createBuiltInRegistry();
const ORCL = 'orcl-1995-2014.txt';
// Twenty years of daily bars and a month of minutes: too large to keep in the repository.
const missing = missingRealData(`bars/${ORCL}`, 'bars/2006-01-02-volume-min-001.txt');
if (missing) console.warn(`skipping backtest run tests: ${missing}`);
const assumptions = {
  initialCash: 10_000,
  commission: { kind: 'per-order', amount: 1 },
  slippage: { kind: 'bps', bps: 5 },
  allowShort: true,
};

beforeAll(async () => {
  if (missing) return;
  backend = await startTestBackend();
  me = await trader(backend);
  const d = await me.invoke<{ dataset: { id: number } }>('backtest.datasets.import', {
    name: 'ORCL',
    content: bars(ORCL),
  });
  daily = d.dataset.id;
  const m = await me.invoke<{ dataset: { id: number } }>('backtest.datasets.import', {
    name: 'minutes',
    content: bars('2006-01-02-volume-min-001.txt'),
  });
  minute = m.dataset.id;
});
afterAll(async () => {
  await backend?.cleanup();
});

describe.skipIf(missing)('backtest runs (jobs in a worker thread)', () => {
  it('runs an MA crossover to completion with the same figures as the engine in-process', async () => {
    const params = { fast: 20, slow: 50, ma: 'ema', allowShort: true };
    const queued = await me.invoke<RunView>('backtest.run', {
      datasetId: daily,
      strategyId: 'ma-crossover',
      params,
      assumptions,
    });
    expect(['queued', 'running']).toContain(queued.status);
    const { run, result } = await finished(backend, me, queued);
    expect(run.status).toBe('completed');
    expect(run.progress).toBe(1);

    const direct = runBacktest({
      candles: parseCandles(bars(ORCL)).candles,
      strategy: registry.get('ma-crossover')!,
      params,
      assumptions: assumptions as never,
    });
    expect(run.tradeCount).toBe(direct.trades.length);
    expect(run.tradeCount).toBeGreaterThan(20);
    expect(run.metrics!.totalReturn).toBe(direct.metrics.totalReturn);
    expect(run.metrics!.sharpe).toBe(direct.metrics.sharpe);
    expect(run.metrics!.maxDrawdown).toBe(direct.metrics.maxDrawdown);
    expect(result!.trades.map((t) => t.netPnl)).toEqual(
      direct.trades.map((t) => (t.netPnlMinor / 100).toFixed(2)),
    );
    expect(result!.equity).toHaveLength(direct.equity.length);
    expect(result!.drawdown.every((d) => d !== null && d <= 0)).toBe(true);
    // Every assumption is echoed with the results.
    expect(run.assumptions).toMatchObject({
      initialCash: 10_000,
      commission: { kind: 'per-order', amount: 1 },
      slippage: { kind: 'bps', bps: 5 },
      marketFill: 'next-open',
      metrics: { calendar: 'equity', stdDev: 'sample' },
    });
    // The job run is visible with its owner on the scheduler.
    expect(backend.scheduler.getRun(run.jobRunId)?.status).toBe('succeeded');
  });

  it('refuses bad parameters and assumptions before queueing', async () => {
    await rejects(
      me.invoke('backtest.run', {
        datasetId: daily,
        strategyId: 'ma-crossover',
        params: { fast: 1 },
      }),
      'validation_failed',
    );
    await rejects(
      me.invoke('backtest.run', {
        datasetId: daily,
        strategyId: 'ma-crossover',
        params: { speed: 3 },
      }),
      'validation_failed',
    );
    await rejects(me.invoke('backtest.run', { datasetId: daily, strategyId: 'nope' }), 'not_found');
  });

  it('runs a sweep as one job, equal to the domain sweep', async () => {
    const ranges = { fast: { min: 5, max: 15, step: 5 }, slow: [30, 60] };
    const queued = await me.invoke<RunView>('backtest.sweep', {
      datasetId: daily,
      strategyId: 'ma-crossover',
      params: { ma: 'sma' },
      ranges,
      assumptions,
    });
    expect(queued.gridSize).toBe(6);
    const { run, sweep } = await finished(backend, me, queued);
    expect(run.status).toBe('completed');
    const def = registry.get('ma-crossover')!;
    const direct = runSweep(
      {
        candles: parseCandles(bars(ORCL)).candles,
        strategy: def,
        assumptions: assumptions as never,
      },
      parameterGrid(def.params, ranges),
    );
    expect(sweep!.map((r) => r.params)).toEqual(direct.runs.map((r) => r.params));
    expect(sweep!.map((r) => r.metrics.totalReturn)).toEqual(
      direct.runs.map((r) => r.metrics.totalReturn),
    );

    const csv = await me.invoke<{ content: string; filename: string }>('backtest.runs.export', {
      id: run.id,
      format: 'csv',
    });
    const lines = csv.content.trim().split('\n');
    expect(lines[0]).toMatch(/^fast,slow,ma,allowShort,.*totalReturn/);
    expect(lines).toHaveLength(7);
    // Negative metrics stay numbers: only text cells are defused against formulas.
    expect(csv.content).toMatch(/,-\d/);
    expect(csv.content).not.toContain("'");
  });

  it('cancels a running sweep (worker terminated) and a queued one', async () => {
    // 30,900 minute bars x 400 combinations: long enough to be caught running.
    const running = await me.invoke<RunView>('backtest.sweep', {
      datasetId: minute,
      strategyId: 'ma-crossover',
      ranges: { fast: { min: 2, max: 21, step: 1 }, slow: { min: 30, max: 125, step: 5 } },
    });
    expect(running.gridSize).toBe(400);
    const queued = await me.invoke<RunView>('backtest.sweep', {
      datasetId: minute,
      strategyId: 'ma-crossover',
      ranges: { fast: [5, 10] },
    });
    // Wait until it reports progress, then check progress/ETA and cancel.
    let view = running;
    for (let i = 0; i < 600 && !(view.status === 'running' && view.progress > 0); i++) {
      await new Promise((r) => setTimeout(r, 25));
      view = (
        await me.invoke<{ run: RunView }>('backtest.runs.get', { id: running.id, summary: true })
      ).run;
    }
    expect(view.status).toBe('running');
    expect(view.progress).toBeGreaterThan(0);
    expect(view.progress).toBeLessThan(1);
    expect(view.etaMs).not.toBeNull();

    const second = await me.invoke<RunView>('backtest.runs.cancel', { id: queued.id });
    expect(second.status).toBe('cancelled');
    await me.invoke<RunView>('backtest.runs.cancel', { id: running.id });
    const done = await finished(backend, me, running);
    expect(done.run.status).toBe('cancelled');
    expect(backend.scheduler.getRun(running.jobRunId)?.status).toBe('cancelled');
    expect((await finished(backend, me, queued)).run.status).toBe('cancelled');
    await rejects(me.invoke('backtest.runs.cancel', { id: running.id }), 'conflict');
    await rejects(
      me.invoke('backtest.runs.export', { id: running.id, format: 'json' }),
      'conflict',
    );
  });

  it('thins long curves on request but keeps the maximum drawdown and the last bar', async () => {
    const queued = await me.invoke<RunView>('backtest.run', {
      datasetId: minute,
      strategyId: 'ma-crossover',
      params: { allowShort: true },
    });
    const done = await finished(backend, me, queued);
    // The default (20,000 points) already thins 30,889 bars; ask for all of them.
    expect(done.result!.equity.length).toBeLessThanOrEqual(20_000);
    const full = await me.invoke<{
      run: RunView;
      result: { time: number[]; equity: number[]; drawdown: number[] };
    }>('backtest.runs.get', { id: queued.id, maxPoints: 100_000 });
    expect(full.result.equity.length).toBe(done.run.totalBars);
    const thin = await me.invoke<{
      result: { time: number[]; equity: number[]; drawdown: number[] };
    }>('backtest.runs.get', { id: queued.id, maxPoints: 1_000 });
    expect(thin.result.time.length).toBeLessThanOrEqual(1_000);
    expect(thin.result.equity).toHaveLength(thin.result.time.length);
    expect(Math.min(...thin.result.drawdown)).toBeCloseTo(-full.run.metrics!.maxDrawdown!, 12);
    expect(thin.result.equity.at(-1)).toBe(full.result.equity.at(-1));
    expect(thin.result.time.at(-1)).toBe(full.result.time.at(-1));
  });

  it('exports a run as trades CSV, equity CSV and JSON', async () => {
    const queued = await me.invoke<RunView>('backtest.run', {
      datasetId: daily,
      strategyId: 'donchian-breakout',
      assumptions,
    });
    const { run, result } = await finished(backend, me, queued);
    expect(run.status).toBe('completed');
    const trades = await me.invoke<{ content: string; contentType: string }>(
      'backtest.runs.export',
      {
        id: run.id,
        format: 'csv',
        part: 'trades',
      },
    );
    expect(trades.contentType).toBe('text/csv');
    const tl = trades.content.trim().split('\n');
    expect(tl[0]).toBe(
      'id,side,quantity,entry_time,entry_price,exit_time,exit_price,gross_pnl,fees,net_pnl,return_pct,bars_held,exit_reason,tag',
    );
    expect(tl).toHaveLength(result!.trades.length + 1);
    expect(tl[1]!.split(',')[9]).toBe(result!.trades[0]!.netPnl);

    const equity = await me.invoke<{ content: string }>('backtest.runs.export', {
      id: run.id,
      format: 'csv',
      part: 'equity',
    });
    const el = equity.content.trim().split('\n');
    expect(el[0]).toBe('time,equity,drawdown,position');
    expect(el).toHaveLength(result!.equity.length + 1);

    const json = await me.invoke<{ content: string; filename: string }>('backtest.runs.export', {
      id: run.id,
      format: 'json',
    });
    expect(json.filename).toMatch(/\.json$/);
    const doc = JSON.parse(json.content);
    expect(doc.metrics.tradeCount).toBe(result!.trades.length);
    expect(doc.assumptions.commission).toEqual({ kind: 'per-order', amount: 1 });
    expect(doc.run.id).toBe(run.id);
    expect(doc.finalCash).toBe(result!.finalCash);

    const list = await me.invoke<{ items: RunView[] }>('backtest.runs.list', {});
    expect(list.items[0]!.id).toBe(run.id);
    await me.invoke('backtest.runs.delete', { id: run.id });
    await rejects(me.invoke('backtest.runs.get', { id: run.id }), 'not_found');
  });
});
