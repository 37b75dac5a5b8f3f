import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { rejects } from '../../helpers/exchange';
import { bars, finished, trader, type Caller, type RunView } from './setup';

let backend: TestBackend;
let me: Caller;
let daily: number;

/** Saves a JS strategy whose onBar body is `body`, runs it with a 1 s limit, waits. */
async function runBody(body: string) {
  const saved = await me.invoke<{ id: string }>('backtest.strategies.save', {
    language: 'js',
    source: `defineStrategy({ name: 'probe', params: [], create() { return { onBar(ctx) { ${body} } }; } });`,
  });
  const queued = await me.invoke<RunView>('backtest.run', {
    datasetId: daily,
    strategyId: saved.id,
    timeLimitSeconds: 1,
  });
  return (await finished(backend, me, queued)).run;
}

const TS_SMA = `
interface Ctx { index: number; position: number; candles: { close: Float64Array }; indicators: { sma(x: Float64Array, n: number): Float64Array }; buy(o?: object): unknown; closePosition(tag?: string): unknown }
defineStrategy({
  name: 'Close above SMA',
  description: 'Long while the close is above its moving average',
  params: [{ name: 'period', type: 'int', min: 2, max: 200, step: 1, default: 20, label: 'Period' }],
  create(p: { period: number }) {
    let avg: Float64Array = new Float64Array(0);
    return {
      onStart(ctx: Ctx): void { avg = ctx.indicators.sma(ctx.candles.close, p.period); },
      onBar(ctx: Ctx): void {
        const i: number = ctx.index;
        const above = ctx.candles.close[i]! > avg[i]!;
        if (above && ctx.position <= 0) ctx.buy({ tag: 'above' });
        else if (!above && ctx.position > 0) ctx.closePosition('below');
      },
    };
  },
});
declare function defineStrategy(d: unknown): void;
`;

beforeAll(async () => {
  backend = await startTestBackend();
  me = await trader(backend);
  const d = await me.invoke<{ dataset: { id: number } }>('backtest.datasets.import', {
    name: '2006 daily',
    content: bars('2006-day-001.txt'),
  });
  daily = d.dataset.id;
});
afterAll(async () => {
  await backend.cleanup();
});

describe('user strategies run isolated', () => {
  it('saves a TypeScript strategy, lists its typed params and runs it', async () => {
    const saved = await me.invoke<{
      id: string;
      name: string;
      params: { name: string; max: number }[];
    }>('backtest.strategies.save', { language: 'ts', source: TS_SMA });
    expect(saved.name).toBe('Close above SMA');
    expect(saved.params).toEqual([
      expect.objectContaining({ name: 'period', type: 'int', min: 2, max: 200, default: 20 }),
    ]);
    const list = await me.invoke<{ items: { id: string; builtIn: boolean }[] }>(
      'backtest.strategies.list',
      {},
    );
    expect(list.items.map((s) => s.id)).toEqual([
      'ma-crossover',
      'rsi-reversion',
      'donchian-breakout',
      'buy-and-hold',
      saved.id,
    ]);
    const queued = await me.invoke<RunView>('backtest.run', {
      datasetId: daily,
      strategyId: saved.id,
      params: { period: 10 },
    });
    const { run, result } = await finished(backend, me, queued);
    expect(run.status).toBe('completed');
    expect(result!.trades.length).toBeGreaterThan(5);
    expect(result!.lookahead).toEqual({ ok: true, cuts: [63, 127, 191], divergence: null });
    await rejects(
      me.invoke('backtest.run', { datasetId: daily, strategyId: saved.id, params: { period: 1 } }),
      'validation_failed',
    );
    const src = await me.invoke<{ source: string; language: string }>('backtest.strategies.get', {
      id: Number(saved.id.slice(5)),
    });
    expect(src).toMatchObject({ language: 'ts', source: TS_SMA });
  });

  it('flags a strategy that reads the next bar (lookahead)', async () => {
    const saved = await me.invoke<{ id: string }>('backtest.strategies.save', {
      language: 'js',
      source: `defineStrategy({ name: 'peek', params: [], create() { return { onBar(ctx) {
        const next = ctx.candles.close[ctx.index + 1];
        if (next > ctx.candles.close[ctx.index] && ctx.position <= 0) ctx.buy();
        else if (next < ctx.candles.close[ctx.index] && ctx.position > 0) ctx.closePosition();
      } }; } });`,
    });
    const queued = await me.invoke<RunView>('backtest.run', {
      datasetId: daily,
      strategyId: saved.id,
    });
    const { run, result } = await finished(backend, me, queued);
    expect(run.status).toBe('completed');
    expect(result!.lookahead!.ok).toBe(false);
    // It diverges on the last bar of a prefix: the bar whose "next" close was cut away.
    const d = result!.lookahead!.divergence!;
    expect(d.bar).toBe(d.cut - 1);
  });

  it('stops an infinite loop at the time limit; the backend keeps answering', async () => {
    const saved = await me.invoke<{ id: string }>('backtest.strategies.save', {
      language: 'js',
      source: `defineStrategy({ name: 'spin', params: [], create() { return { onBar() { for (;;) {} } }; } });`,
    });
    const queued = await me.invoke<RunView>('backtest.run', {
      datasetId: daily,
      strategyId: saved.id,
      timeLimitSeconds: 1,
    });
    // While the worker spins, the backend thread still serves requests.
    let seenRunning = false;
    for (let i = 0; i < 200 && !seenRunning; i++) {
      const view = await me.invoke<{ run: RunView }>('backtest.runs.get', {
        id: queued.id,
        summary: true,
      });
      seenRunning = view.run.status === 'running';
      if (!seenRunning) await new Promise((r) => setTimeout(r, 10));
    }
    expect(seenRunning).toBe(true);
    expect(
      (await me.invoke<{ items: unknown[] }>('backtest.datasets.list', {})).items,
    ).toHaveLength(1);
    const { run } = await finished(backend, me, queued);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('the strategy exceeded its time limit of 1 s and was stopped');
  });

  it('reports a thrown error with the hook and bar', async () => {
    const run = await runBody(`if (ctx.index === 7) throw new Error('boom at seven');`);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('strategy threw in onBar at bar 7: Error: boom at seven');
  });

  it('refuses process, require, eval and the constructor escape', async () => {
    expect((await runBody(`process.exit(1);`)).error).toMatch(
      /ReferenceError: 'process' is not defined/,
    );
    expect((await runBody(`require('fs');`)).error).toMatch(
      /ReferenceError: 'require' is not defined/,
    );
    expect(
      (await runBody(`ctx.constructor.constructor('return process')().exit(1);`)).error,
    ).toMatch(/ReferenceError: 'process' is not defined/);
    // eval and Function exist, but build code of the sandbox's own interpreter.
    expect((await runBody(`eval('process');`)).error).toMatch(/ReferenceError/);
    // Nothing of Node is in scope: the strategy reports what it sees as its error message.
    const seen = await runBody(
      `throw new Error([typeof process, typeof require, typeof module, typeof Buffer, typeof setTimeout, typeof fetch, typeof WebAssembly === 'object' ? 'wasm' : 'none'].join(','));`,
    );
    expect(seen.error).toBe(
      'strategy threw in onBar at bar 0: Error: undefined,undefined,undefined,undefined,undefined,undefined,none',
    );
    // And Bourse is still alive.
    expect(
      (await me.invoke<{ items: unknown[] }>('backtest.datasets.list', {})).items,
    ).toHaveLength(1);
  });

  it('refuses a broken source when it is saved', async () => {
    const bad = async (source: string, message: RegExp) => {
      const e = await rejects(
        me.invoke('backtest.strategies.save', { language: 'js', source }),
        'strategy_invalid',
      );
      expect(e.message).toMatch(message);
    };
    await bad('defineStrategy({ create() {', /failed to load: SyntaxError/);
    await bad('const x = 1;', /never called defineStrategy/);
    await bad('throw new Error("nope")', /failed to load: Error: nope/);
    await bad('for (;;) {}', /exceeded its time limit of 5 s/);
    await bad(`import fs from 'node:fs';`, /single script/);
    await bad(
      `defineStrategy({ params: [{ name: 'n', type: 'int', default: 3 }], create() { return { onBar() {} }; } })`,
      /parameter "n": min must be a number/,
    );
    const ts = await rejects(
      me.invoke('backtest.strategies.save', { language: 'ts', source: 'let x: = 3;' }),
      'strategy_invalid',
    );
    expect(ts.message).toMatch(/TypeScript could not be compiled/);
  });
});
