/**
 * Worker-thread entry for backtests, sweeps and user-strategy checks. Bundled as
 * `out/main/backtest-worker.js`; from sources it is loaded through tsx (worker-runner.ts).
 * Input: `workerData` (a WorkerTask). Output: progress messages, then one `done` or
 * `error` message. The parent enforces the time limit by terminating this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { detectLookahead, runBacktest, runSweep, resultToJson } from '../../domain/backtest';
import type { StrategyDefinition } from '../../domain/backtest';
import { createBuiltInRegistry } from '../../domain/backtest';
import { parseCandles, type Candles } from '../../domain/candles';
import type {
  CandleArrays,
  SandboxLimits,
  StrategyRef,
  WorkerMessage,
  WorkerTask,
} from './protocol';
import { loadUserStrategy, StrategyError } from './sandbox';

const post = (m: WorkerMessage) => parentPort!.postMessage(m);

function toCandles(a: CandleArrays): Candles {
  return { length: a.time.length, ...a };
}

async function strategyOf(
  ref: StrategyRef,
  bars: number,
  limits?: SandboxLimits,
): Promise<StrategyDefinition> {
  if ('builtIn' in ref) {
    const def = createBuiltInRegistry().get(ref.builtIn);
    if (!def) throw new Error(`unknown built-in strategy ${ref.builtIn}`);
    return def;
  }
  return loadUserStrategy(`user:${ref.userId}`, ref.js, { memoryMb: memoryFor(bars), ...limits });
}

/** Room for the candles copied in plus what a strategy derives from them (WASM32: ≤ 4 GB). */
function memoryFor(bars: number): number {
  const candleMb = (bars * 7 * 8) / (1024 * 1024);
  return Math.min(4_096, Math.max(512, Math.ceil(256 + 3 * candleMb)));
}

const finite = (m: object): Record<string, number | null> =>
  Object.fromEntries(
    Object.entries(m).map(([k, v]) => [k, typeof v === 'number' && Number.isFinite(v) ? v : null]),
  );

async function run(task: WorkerTask): Promise<void> {
  if (task.kind === 'parse') {
    // Parsing a large file takes seconds: it happens here, off the backend thread.
    const { candles: c, layout: _layout, ...rest } = parseCandles(task.text, task.options);
    void _layout;
    const { length: _n, ...arrays } = c;
    void _n;
    post({ type: 'done', outcome: { ...rest, candles: arrays } });
    return;
  }
  if (task.kind === 'describe') {
    const def = await loadUserStrategy('check', task.strategy.js, task.sandbox);
    post({ type: 'done', outcome: def.info });
    return;
  }
  const strategy = await strategyOf(task.strategy, task.candles.time.length, task.sandbox);
  const candles = toCandles(task.candles);
  let lastPost = 0;
  const progress = (fraction: number) => {
    const now = Date.now();
    if (now - lastPost < 50 && fraction < 1) return;
    lastPost = now;
    post({ type: 'progress', fraction });
  };
  if (task.kind === 'backtest') {
    const r = runBacktest({
      candles,
      strategy,
      params: task.params,
      assumptions: task.assumptions,
      onProgress: (done, total) => progress(total > 0 ? done / total : 1),
    });
    let json = resultToJson(r);
    if ('userId' in task.strategy && r.status === 'completed') {
      // User code can read future bars: check it by re-running on prefixes of the data.
      const lookahead = detectLookahead(
        { candles, strategy, params: task.params, assumptions: task.assumptions },
        3,
      );
      json = `${json.slice(0, -1)},"lookahead":${JSON.stringify(lookahead)}}`;
    }
    post({
      type: 'done',
      outcome: {
        status: r.status,
        barsProcessed: r.barsProcessed,
        tradeCount: r.trades.length,
        metrics: finite(r.metrics),
        json,
      },
    });
    return;
  }
  const total = task.grid.length;
  let runsDone = 0;
  const sweep = runSweep({ candles, strategy, assumptions: task.assumptions }, task.grid, {
    onProgress: (done) => {
      runsDone = done;
      progress(done / total);
    },
    // Progress inside each run: runBacktest polls isCancelled every pollEvery bars.
    isCancelled: () => {
      progress(runsDone / total);
      return false;
    },
  });
  post({ type: 'done', outcome: sweep });
}

run(workerData as WorkerTask).catch((e: unknown) => {
  const strategyError = e instanceof StrategyError || e instanceof RangeError;
  post({
    type: 'error',
    message: e instanceof Error ? e.message : String(e),
    strategyError,
  });
});
