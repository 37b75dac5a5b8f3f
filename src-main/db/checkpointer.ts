import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * WAL checkpoints on a worker thread instead of inside a commit on the event loop.
 *
 * By default SQLite checkpoints when a commit takes the WAL past 1,000 pages: that commit
 * copies ~4 MB of pages into the database file and fsyncs it before returning, and the
 * backend's event loop — which serves webhooks, REST and every stream — waits. On this
 * class of machine that stall was 20–90 ms (commits otherwise take ~1 ms), a tail every few
 * thousand commits that landed on whichever alert was being answered. Here the main connection
 * never checkpoints (`wal_autocheckpoint = 0`); a worker with its own connection runs PASSIVE
 * checkpoints (which never wait for, nor block, the writer or readers) every `intervalMs`.
 * The WAL restarts from its beginning at the first commit after a complete checkpoint; under
 * steady writes that needs the main connection's help past 16 MB (DEFAULT_RESTART_FRAMES).
 *
 * If the worker dies, the main connection goes back to SQLite's own automatic checkpoints:
 * never an unbounded WAL. Durability is SQLite's: a checkpoint only copies committed frames.
 */
export interface Checkpointer {
  /**
   * Runs a pass now and resolves with its result (tests; the app never needs it). Unlike
   * waiting for the timer's next report, it cannot answer with a pass that ran earlier.
   */
  passNow(): Promise<CheckpointPass>;
  /** Whether the worker runs (false after it failed and autocheckpoint was restored). */
  readonly running: boolean;
  /** Passes reported so far. */
  passes(): number;
  /**
   * Asks the worker to close its connection and end; SQLite's automatic checkpoints are back
   * on at once. Resolves when the worker has ended: a shutdown awaits it before closing the
   * main connection, so that close is the last one — it checkpoints and removes the WAL before
   * it returns, and nothing touches the data directory after it.
   */
  stop(): Promise<void>;
}

export interface CheckpointPass {
  /** Frames in the WAL now, and how many of them are in the database file. */
  log: number;
  checkpointed: number;
  busy: boolean;
  /** The log was past `restartFrames` and the main connection checkpointed it whole (RESTART). */
  restart?: boolean;
}

export interface CheckpointerOptions {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  nativeBinding?: string | undefined;
  intervalMs?: number;
  /** WAL frames past which the main connection finishes the checkpoint itself (RESTART). */
  restartFrames?: number;
  /** Told when the worker fails (then SQLite's automatic checkpoints are back on). */
  onError?: (error: unknown) => void;
}

/**
 * 16 MB of WAL (4 KB pages). Under steady writes the worker's PASSIVE passes alone never got
 * SQLite to start the log over: the writer reuses the log only when its transaction begins
 * after a complete checkpoint with no other connection on the log, and commits kept landing
 * while a pass ran. The log grew for as long as the load lasted (336 MB in under a minute of
 * bench:engine's REST rows), and every read and commit paid for its size: one-order commits
 * took ~970 µs against ~560 µs with the log kept bounded. So when a pass reports the log past
 * this size, the main connection itself runs `wal_checkpoint(RESTART)` between two of its own
 * commits (nothing can land during it): it copies what the worker has not yet (little), syncs
 * the database file, and the next commit starts the log from its beginning. `busy_timeout` is 0
 * for that call: if the worker or a reader is on the log it gives up at once, and the next
 * report tries again. Doing it in the worker instead deadlocks for the busy timeout: RESTART
 * there holds the writer lock waiting for readers, and the main thread's BEGIN IMMEDIATE holds
 * a read mark waiting for the writer lock.
 */
const DEFAULT_RESTART_FRAMES = 4096;

/** SQLite's default `wal_autocheckpoint`, restored when the worker is gone. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/** The worker's code: CommonJS, given the resolved module path (no bundling needed). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('busy_timeout = 0');
db.pragma('synchronous = ' + workerData.synchronous);
const pass = (id) => {
  const [r] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ id, log: r.log, checkpointed: r.checkpointed, busy: r.busy === 1 });
};
const timer = setInterval(() => pass(null), workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); db.close(); parentPort.close(); }
  else if (typeof m === 'number') pass(m);
});
`;

export function startCheckpointer(main: Database.Database, o: CheckpointerOptions): Checkpointer {
  const require = createRequire(__filename);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      module: require.resolve('better-sqlite3'),
      file: o.file,
      nativeBinding: o.nativeBinding,
      synchronous: o.synchronous,
      intervalMs: o.intervalMs ?? 250,
    },
  });
  worker.unref();
  main.pragma('wal_autocheckpoint = 0');
  let running = true;
  const waiters = new Map<number, (p: CheckpointPass) => void>();
  let nextId = 1;
  let passes = 0;
  const fallBack = (error: unknown) => {
    if (!running) return;
    running = false;
    if (main.open) main.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    o.onError?.(error);
  };
  const restartFrames = o.restartFrames ?? DEFAULT_RESTART_FRAMES;
  /** See DEFAULT_RESTART_FRAMES: true when the log was checkpointed whole and will restart. */
  const restartOnMain = (): boolean => {
    if (!running || !main.open || main.inTransaction) return false;
    const timeout = main.pragma('busy_timeout', { simple: true }) as number;
    main.pragma('busy_timeout = 0');
    try {
      const [r] = main.pragma('wal_checkpoint(RESTART)') as Array<{ busy: number }>;
      return r?.busy === 0;
    } catch {
      return false; // SQLITE_BUSY as an error: someone else is checkpointing; next report
    } finally {
      main.pragma(`busy_timeout = ${timeout}`);
    }
  };
  worker.on('message', (p: CheckpointPass & { id: number | null }) => {
    passes++;
    const restart = p.log >= restartFrames ? restartOnMain() : false;
    if (p.id === null) return;
    const resolve = waiters.get(p.id);
    waiters.delete(p.id);
    resolve?.({ log: p.log, checkpointed: p.checkpointed, busy: p.busy, restart });
  });
  worker.on('error', fallBack);
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('exit', (code) => fallBack(new Error(`checkpoint worker exited (code ${code})`)));
  return {
    get running() {
      return running;
    },
    passNow: () =>
      new Promise((resolve) => {
        const id = nextId++;
        waiters.set(id, resolve);
        worker.postMessage(id);
      }),
    passes: () => passes,
    stop() {
      if (running) {
        running = false;
        worker.postMessage('stop');
        if (main.open) main.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
      }
      return ended;
    },
  };
}
