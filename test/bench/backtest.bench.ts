/**
 * Backtest throughput: the built-in moving-average crossover over 1,000,000 minute bars
 * (the real minute file tiled, time shifted so timestamps keep increasing), against a plain
 * loop over the same arrays computing the same SMA crossover signals. Runs are interleaved
 * (engine, baseline, engine, ...) and medians reported.
 *
 * Run: npx tsx test/bench/backtest.bench.ts [--json out.json] [--repeats 7] [--bars 1000000]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Candles } from '../../src-main/domain/candles';
import { allocateCandles, parseCandles } from '../../src-main/domain/candles';
import type { StrategyContext, StrategyDefinition } from '../../src-main/domain/backtest';
import { BUILT_IN_STRATEGIES, runBacktest } from '../../src-main/domain/backtest';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** Repeats `src` until `n` bars, shifting each copy's time past the previous copy. */
function tile(src: Candles, n: number): Candles {
  const out = allocateCandles(n);
  const span = src.time[src.length - 1]! - src.time[0]! + 60_000;
  for (let i = 0; i < n; i++) {
    const k = i % src.length;
    const copy = Math.floor(i / src.length);
    out.time[i] = src.time[k]! + copy * span;
    out.open[i] = src.open[k]!;
    out.high[i] = src.high[k]!;
    out.low[i] = src.low[k]!;
    out.close[i] = src.close[k]!;
    out.volume[i] = src.volume[k]!;
  }
  return out;
}

/** The baseline: rolling-sum SMAs and crossover detection in one plain loop. */
function plainLoop(close: Float64Array, fast: number, slow: number): number {
  let sf = 0;
  let ss = 0;
  let prevDiff = NaN;
  let signals = 0;
  for (let i = 0; i < close.length; i++) {
    sf += close[i]!;
    ss += close[i]!;
    if (i >= fast) sf -= close[i - fast]!;
    if (i >= slow) ss -= close[i - slow]!;
    if (i < slow - 1) continue;
    const diff = sf / fast - ss / slow;
    if ((diff > 0 && prevDiff <= 0) || (diff < 0 && prevDiff >= 0)) signals++;
    prevDiff = diff;
  }
  return signals;
}

let quietFlips = 0;

/** Same signals inside the engine, but no orders: isolates the per-bar loop + metrics cost. */
const signalsOnly: StrategyDefinition = {
  id: 'signals-only',
  name: 'signals only',
  description: 'MA crossover signals without orders',
  params: [],
  create: () => {
    let fast: Float64Array = new Float64Array(0);
    let slow: Float64Array = new Float64Array(0);
    let flips = 0;
    return {
      onStart(ctx: StrategyContext) {
        fast = ctx.indicators.sma(ctx.candles.close, 10);
        slow = ctx.indicators.sma(ctx.candles.close, 30);
      },
      onBar(ctx: StrategyContext) {
        const i = ctx.index;
        if (i < 1) return;
        const [f, sl, pf, ps] = [fast[i]!, slow[i]!, fast[i - 1]!, slow[i - 1]!];
        // The built-in's rule, and the plain loop's: a cross over or under.
        if ((f > sl && pf <= ps) || (f < sl && pf >= ps)) flips++;
      },
      onEnd() {
        quietFlips = flips;
      },
    };
  },
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  const n = Number(arg('bars', '1000000'));
  const repeats = Math.max(5, Number(arg('repeats', '7')));
  const file = path.resolve(process.cwd(), '../shared/data/bars/2006-01-02-volume-min-001.txt');
  const candles = tile(parseCandles(readFileSync(file, 'utf8')).candles, n);
  const strategy = BUILT_IN_STRATEGIES.find((s) => s.id === 'ma-crossover')!;
  const params = { fast: 10, slow: 30, ma: 'sma', allowShort: true };
  const engineMs: number[] = [];
  const loopMs: number[] = [];
  const quietMs: number[] = [];
  let trades = 0;
  let signals = 0;
  for (let r = 0; r < repeats + 1; r++) {
    let t = performance.now();
    const res = runBacktest({ candles, strategy, params, interval: { ms: 60_000, label: '1m' } });
    const e = performance.now() - t;
    t = performance.now();
    signals = plainLoop(candles.close, 10, 30);
    const l = performance.now() - t;
    t = performance.now();
    runBacktest({ candles, strategy: signalsOnly, interval: { ms: 60_000, label: '1m' } });
    const q = performance.now() - t;
    trades = res.trades.length;
    if (r === 0) continue; // warm-up round, not counted
    engineMs.push(e);
    loopMs.push(l);
    quietMs.push(q);
  }
  const em = median(engineMs);
  const lm = median(loopMs);
  const qm = median(quietMs);
  const report = {
    bars: n,
    repeats,
    node: process.version,
    engineMedianMs: em,
    engineBarsPerSec: (n / em) * 1000,
    plainLoopMedianMs: lm,
    plainLoopBarsPerSec: (n / lm) * 1000,
    slowdownVsPlainLoop: em / lm,
    engineNoOrdersMedianMs: qm,
    engineNoOrdersBarsPerSec: (n / qm) * 1000,
    trades,
    crossSignals: signals,
    crossSignalsSeenByEngine: quietFlips,
    targetBarsPerSec: 1_000_000,
    meetsTarget: (n / em) * 1000 >= 1_000_000,
  };
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(`| what | median ms | bars/s |\n| --- | ---: | ---: |`);
  console.log(
    `| engine: built-in MA crossover (10/30 SMA, long/short) | ${em.toFixed(1)} | ${fmt(report.engineBarsPerSec)} |`,
  );
  console.log(
    `| engine: same signals, no orders (loop + metrics only) | ${qm.toFixed(1)} | ${fmt(report.engineNoOrdersBarsPerSec)} |`,
  );
  console.log(
    `| plain loop: same SMA crossover signals | ${lm.toFixed(1)} | ${fmt(report.plainLoopBarsPerSec)} |`,
  );
  if (quietFlips !== signals)
    console.log(`WARNING: engine saw ${quietFlips} signals vs ${signals}`);
  console.log(
    `\n${fmt(n)} bars, ${repeats} interleaved repeats, ${trades} trades, ${signals} cross signals; engine/plain-loop time ratio ${report.slowdownVsPlainLoop.toFixed(1)}x; target >= 1,000,000 bars/s: ${report.meetsTarget ? 'met' : 'NOT met'}`,
  );
  const out = process.argv.includes('--json') ? arg('json', '') : '';
  if (out) writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
}

main();
