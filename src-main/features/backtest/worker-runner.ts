import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { appRoot } from '../../paths';
import type { WorkerMessage, WorkerTask } from './protocol';

/** How much longer than the time limit a worker may live before it is terminated. */
const OUTER_GRACE_MS = 2_000;

/** Why a worker run ended without a result. */
export class WorkerRunError extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'cancelled' | 'strategy' | 'memory' | 'crash',
  ) {
    super(message);
    this.name = 'WorkerRunError';
  }
}

export interface WorkerRunOptions {
  /** Terminate the worker after this long (user strategies); none by default. */
  timeLimitMs?: number;
  /** Aborting terminates the worker at once. */
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Old-generation heap limit of the worker, MB. */
  maxHeapMb?: number;
}

/**
 * How to start the worker: the bundled `out/main/backtest-worker.js` when running from the
 * bundle, or `worker.ts` through tsx's CommonJS register hook when running from sources
 * (tests, tsx). A worker cannot take `--import tsx` in its execArgv for its entry file, so
 * the source variant is a two-line eval bootstrap.
 */
function workerSpec(): { file: string; eval: boolean } {
  const ts = path.join(__dirname, 'worker.ts');
  if (fs.existsSync(ts)) {
    return {
      file: `require('tsx/cjs/api').register(); require(${JSON.stringify(ts)});`,
      eval: true,
    };
  }
  return { file: path.join(appRoot(), 'out', 'main', 'backtest-worker.js'), eval: false };
}

/** Runs one task in a fresh worker thread and resolves with its outcome. */
export function runInWorker<T>(task: WorkerTask, options: WorkerRunOptions = {}): Promise<T> {
  const spec = workerSpec();
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new WorkerRunError('cancelled', 'cancelled'));
      return;
    }
    const worker = new Worker(spec.file, {
      eval: spec.eval,
      // The sandbox's own deadline matches the terminate timer below (the outer layer).
      workerData: { ...task, sandbox: { timeLimitMs: options.timeLimitMs, ...task.sandbox } },
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 1024 },
      stdout: false,
      stderr: false,
      env: {},
    });
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const stop = (err: WorkerRunError) =>
      settle(() => {
        void worker.terminate();
        reject(err);
      });
    const onAbort = () => stop(new WorkerRunError('cancelled', 'cancelled'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeLimitMs) {
      const limit = options.timeLimitMs;
      // The sandbox's interrupt enforces the limit itself, counted from when user code can
      // start; this outer timer, counted from the worker's creation, gets a grace for the
      // worker's start-up and catches what the interrupt cannot stop (a long built-in call).
      timer = setTimeout(
        () =>
          stop(
            new WorkerRunError(
              `the strategy exceeded its time limit of ${limit / 1000} s and was stopped`,
              'timeout',
            ),
          ),
        limit + OUTER_GRACE_MS,
      );
    }
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') options.onProgress?.(m.fraction);
      else if (m.type === 'done') settle(() => resolve(m.outcome as T));
      else
        settle(() => reject(new WorkerRunError(m.message, m.strategyError ? 'strategy' : 'crash')));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      const memory = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      stop(
        new WorkerRunError(
          memory
            ? 'the run exceeded its memory limit and was stopped'
            : `worker failed: ${e.message}`,
          memory ? 'memory' : 'crash',
        ),
      );
    });
    worker.on('exit', (code) => {
      stop(new WorkerRunError(`worker exited (code ${code}) before answering`, 'crash'));
    });
  });
}
