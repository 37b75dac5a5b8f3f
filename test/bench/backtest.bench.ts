/**
 * Backtest throughput: the built-in moving-average crossover over 1,000,000 minute bars
 * (the real minute file tiled, time shifted so timestamps keep increasing), against a plain
 * loop over the same arrays computing the same SMA crossover signals, and against the same
 * crossover written as a user strategy (run in the QuickJS sandbox, indicators on the host
 * side), reported as a ratio to the built-in (goal >= 0.25x). Runs are interleaved
 * (engine, baseline, engine, ...) and medians reported.
 *
 * Run: npx tsx test/bench/backtest.bench.ts [--json out.json] [--repeats 7] [--bars 1000000]
 */
import { writeFileSync } from 'node:fs';
import type { Candles } from '../../src-main/domain/candles';
import { allocateCandles, parseCandles } from '../../src-main/domain/candles';
import type { StrategyContext, StrategyDefinition } from '../../src-main/domain/backtest';
import { BUILT_IN_STRATEGIES, runBacktest } from '../../src-main/domain/backtest';
import { loadUserStrategy } from '../../src-main/features/backtest/sandbox';
import { missingRealData, readRealData } from '../helpers/real-data';

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

/** The built-in MA crossover's rule (ma-crossover.ts), as a user would write it. */
const USER_MA_CROSSOVER = `
defineStrategy({
  name: 'MA crossover (user)',
  params: [
    { name: 'fast', type: 'int', min: 2, max: 200, step: 1, default: 10 },
    { name: 'slow', type: 'int', min: 3, max: 500, step: 5, default: 30 },
    { name: 'allowShort', type: 'bool', default: false },
  ],
  create(p) {
    let fast, slow;
    return {
      onStart(ctx) {
        fast = ctx.indicators.sma(ctx.candles.close, p.fast);
        slow = ctx.indicators.sma(ctx.candles.close, p.slow);
      },
      onBar(ctx) {
        const i = ctx.index;
        if (i < 1) return;
        const f = fast[i], s = slow[i], pf = fast[i - 1], ps = slow[i - 1];
        if (f > s && pf <= ps) {
          if (ctx.position < 0) ctx.closePosition('cross-up');
          if (ctx.position <= 0) ctx.buy({ tag: 'cross-up' });
        } else if (f < s && pf >= ps) {
          if (ctx.position > 0) ctx.closePosition('cross-down');
          if (p.allowShort && ctx.position >= 0) ctx.sell({ tag: 'cross-down' });
        }
      },
    };
  },
});`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const n = Number(arg('bars', '1000000'));
  const repeats = Math.max(5, Number(arg('repeats', '7')));
  // The real minute bars when the shared data folder is beside the checkout; else the daily
  // fixture, tiled to the same length (the figures then say which bars they ran on).
  const MINUTES = 'bars/2006-01-02-volume-min-001.txt';
  const source = missingRealData(MINUTES) ? 'bars/2006-day-001.txt' : MINUTES;
  if (source !== MINUTES) console.log(`${missingRealData(MINUTES)}: using ${source}, tiled`);
  const candles = tile(parseCandles(readRealData(source)).candles, n);
  const strategy = BUILT_IN_STRATEGIES.find((s) => s.id === 'ma-crossover')!;
  const params = { fast: 10, slow: 30, ma: 'sma', allowShort: true };
  const user = await loadUserStrategy('bench', USER_MA_CROSSOVER, {
    memoryMb: 1024,
    timeLimitMs: 3_600_000,
  });
  const userMs: number[] = [];
  let userTrades = 0;
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
    t = performance.now();
    const mine = runBacktest({
      candles,
      strategy: user,
      params: { fast: 10, slow: 30, allowShort: true },
      interval: { ms: 60_000, label: '1m' },
    });
    const u = performance.now() - t;
    userTrades = mine.trades.length;
    trades = res.trades.length;
    if (r === 0) continue; // warm-up round, not counted
    engineMs.push(e);
    loopMs.push(l);
    quietMs.push(q);
    userMs.push(u);
  }
  user.dispose();
  const em = median(engineMs);
  const lm = median(loopMs);
  const qm = median(quietMs);
  const um = median(userMs);
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
    userStrategyMedianMs: um,
    userStrategyBarsPerSec: (n / um) * 1000,
    userToBuiltInRatio: em / um,
    userStrategyTrades: userTrades,
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
    `| sandbox: same MA crossover as a user strategy (QuickJS) | ${um.toFixed(1)} | ${fmt(report.userStrategyBarsPerSec)} |`,
  );
  console.log(
    `| plain loop: same SMA crossover signals | ${lm.toFixed(1)} | ${fmt(report.plainLoopBarsPerSec)} |`,
  );
  if (userTrades !== trades)
    console.log(`WARNING: user strategy made ${userTrades} trades vs ${trades}`);
  if (quietFlips !== signals)
    console.log(`WARNING: engine saw ${quietFlips} signals vs ${signals}`);
  console.log(
    `\n${fmt(n)} bars, ${repeats} interleaved repeats, ${trades} trades, ${signals} cross signals; engine/plain-loop time ratio ${report.slowdownVsPlainLoop.toFixed(1)}x; target >= 1,000,000 bars/s: ${report.meetsTarget ? 'met' : 'NOT met'}; user strategy / built-in speed ${report.userToBuiltInRatio.toFixed(2)}x (goal >= 0.25x)`,
  );
  const out = process.argv.includes('--json') ? arg('json', '') : '';
  if (out) writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
}

void main();
