import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Histogram } from 'prom-client';
import { ensurePrivateDir, ensurePrivateFile, tightenFile } from '../file-modes';
import { startCheckpointer, type Checkpointer } from './checkpointer';
import { WalSync } from './durability';
import * as schema from './schema';
import { immediateRunner } from './immediate';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  /** The drizzle view, for typed queries. */
  db: Db;
  /** The raw connection, for prepared hot-path statements. */
  sqlite: Database.Database;
  /** Runs `fn` in one IMMEDIATE write transaction (all or nothing), timed in metrics. */
  write<T>(name: string, fn: () => T): T;
  /**
   * Like `write`, but returns once SQLite has the commit, before it is on disk: the caller
   * must `await durable()` before it tells anyone the change happened (`durability.ts`).
   * For group commits on the event loop's hot paths; a nested call joins the outer transaction.
   */
  writeDeferred<T>(name: string, fn: () => T): T;
  /** Resolves once every commit made so far is on disk (at once when nothing is pending). */
  durable(): Promise<void>;
  /**
   * Starts syncing deferred commits without waiting: for writes whose loss to a power cut is
   * repaired elsewhere (a re-sync), but which should not wait for the next commit to reach disk.
   * A failed sync is left to the next `durable()`, which syncs them again.
   */
  syncSoon(): void;
  /**
   * A read-only second connection (opened on first use), for long reads that must not hold
   * up the writer: in WAL mode its read transaction sees one snapshot while commits go on.
   * An in-memory database has no second connection; this answers the writer itself.
   */
  reader(): Database.Database;
  schemaVersion(): number;
  /**
   * `PRAGMA optimize`: refreshes the planner's statistics (`sqlite_stat1`) of the tables whose
   * size changed much since they were last analysed, each bounded by `analysis_limit`.
   */
  optimize(): void;
  /** Optimizes (as SQLite advises before closing a connection that wrote), then closes. */
  close(): void;
  /** The WAL checkpoint worker (null: in memory, or turned off). */
  checkpointer: Checkpointer | null;
}

/**
 * Rows ANALYZE reads per index when `optimize` runs (SQLite's advice for `PRAGMA optimize`):
 * estimates from a sample, so a pass stays in milliseconds however large the tables grow.
 */
const ANALYSIS_LIMIT = 400;

/** Bytes a restarted WAL file keeps on disk (`journal_size_limit`). */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

export interface OpenOptions {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  nativeBinding?: string;
  migrationsDir: string;
  txHistogram?: Histogram<'name'>;
  /** Told of each existing file or folder whose permissions were looser than owner-only. */
  onTightened?: (file: string) => void;
  /**
   * Checkpoint the WAL on a worker thread rather than inside commits on the event loop
   * (`checkpointer.ts`). Default: on for a database on disk.
   */
  backgroundCheckpoints?: boolean;
  /** Told when the checkpoint worker fails (SQLite's own checkpoints then take over). */
  onCheckpointError?: (error: unknown) => void;
  /** WAL frames past which the main connection finishes a checkpoint (RESTART; tests; `checkpointer.ts`). */
  checkpointRestartFrames?: number;
  /** The worker's pass interval in ms (tests; default 250). */
  checkpointIntervalMs?: number;
  /** The WAL fsync of deferred commits (tests hold or fail it; see `durability.ts`). */
  fsync?: (file: FileHandle) => Promise<void>;
}

/**
 * The database holds password hashes, sessions and balances: owner-only. The main file is
 * created 0600 before SQLite opens it (SQLite gives `-wal` and `-shm` the main file's mode),
 * and all three are tightened whatever they were, before and after opening.
 */
function makePrivate(file: string, tightened: (file: string) => void): void {
  if (ensurePrivateDir(path.dirname(file))) tightened(path.dirname(file));
  if (ensurePrivateFile(file)) tightened(file);
  for (const companion of [`${file}-wal`, `${file}-shm`]) {
    if (tightenFile(companion)) tightened(companion);
  }
}

/**
 * Opens the database, applies shipped migrations in one transaction and sets the pragmas:
 * WAL (readers never block the writer), `synchronous=FULL` by default (a commit survives
 * power loss; group commit is where throughput comes from), foreign keys on.
 */
export function openDatabase(options: OpenOptions): DatabaseHandle {
  const onDisk = options.file !== ':memory:';
  const tightened = options.onTightened ?? (() => undefined);
  if (onDisk) makePrivate(options.file, tightened);
  const sqlite = new Database(
    options.file,
    options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
  );
  sqlite.pragma('journal_mode = WAL');
  // The WAL and shared-memory files exist from here on: make sure of their modes too.
  if (onDisk) makePrivate(options.file, tightened);
  sqlite.pragma(`synchronous = ${options.synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // When the WAL restarts from its beginning, a file grown by a long burst is cut back to this.
  sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  sqlite.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: options.migrationsDir });
  // The form SQLite recommends when a long-lived connection opens: statistics for tables that
  // have none yet or grew a lot, so queries without INDEXED BY get plans fit for the data.
  sqlite.pragma('optimize = 0x10002');
  const checkpointer =
    onDisk && options.backgroundCheckpoints !== false
      ? startCheckpointer(sqlite, {
          file: options.file,
          synchronous: options.synchronous,
          nativeBinding: options.nativeBinding,
          onError: options.onCheckpointError,
          ...(options.checkpointRestartFrames !== undefined
            ? { restartFrames: options.checkpointRestartFrames }
            : {}),
          ...(options.checkpointIntervalMs !== undefined
            ? { intervalMs: options.checkpointIntervalMs }
            : {}),
        })
      : null;
  // Deferred commits only where a commit would otherwise fsync: on disk with FULL. With
  // NORMAL (the user's choice) or in memory a commit is as durable as it will get at once.
  const walSync =
    onDisk && options.synchronous === 'FULL'
      ? new WalSync(`${options.file}-wal`, options.fsync)
      : null;
  const toNormal = sqlite.prepare('PRAGMA synchronous = NORMAL');
  const toFull = sqlite.prepare('PRAGMA synchronous = FULL');
  // A FULL commit that changed no row writes no WAL frame and SQLite does not fsync for it
  // (a guarded UPDATE that matched nothing, a sweep with nothing to do): only one that changed
  // something may count as having synced the deferred commits before it.
  const totalChanges = sqlite.prepare('SELECT total_changes()').pluck();
  const immediate = immediateRunner(sqlite);
  const write = <T>(name: string, fn: () => T): T => {
    const end = options.txHistogram?.startTimer({ name });
    try {
      const outer = !sqlite.inTransaction;
      const before = outer && walSync?.pending() ? (totalChanges.get() as number) : null;
      const result = immediate(fn);
      if (before !== null && (totalChanges.get() as number) !== before) walSync?.syncedByCommit();
      return result;
    } finally {
      end?.();
    }
  };
  const writeDeferred = <T>(name: string, fn: () => T): T => {
    if (!walSync || sqlite.inTransaction) return write(name, fn);
    const end = options.txHistogram?.startTimer({ name });
    toNormal.run();
    try {
      const result = immediate(fn);
      walSync.deferredCommit();
      return result;
    } finally {
      toFull.run();
      end?.();
    }
  };
  let reader: Database.Database | undefined;
  const openReader = (): Database.Database => {
    if (options.file === ':memory:') return sqlite;
    if (!reader?.open) {
      reader = new Database(options.file, {
        readonly: true,
        fileMustExist: true,
        ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      });
      reader.pragma('busy_timeout = 5000');
    }
    return reader;
  };
  return {
    db,
    sqlite,
    write,
    writeDeferred,
    durable: () => walSync?.durable() ?? Promise.resolve(),
    syncSoon: () => void walSync?.durable().catch(() => undefined),
    reader: openReader,
    schemaVersion: () =>
      (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n,
    optimize: () => {
      sqlite.pragma('optimize');
    },
    checkpointer,
    close: () => {
      void checkpointer?.stop();
      // Its descriptor closes once a sync in flight ends (opened with share-delete on Windows,
      // so SQLite's removal of the WAL at close is not blocked by it).
      void walSync?.close();
      if (reader?.open) reader.close();
      if (!sqlite.open) return;
      try {
        sqlite.pragma('optimize');
      } catch {
        // Statistics are an optimisation; a close must not fail because of them.
      }
      sqlite.close();
    },
  };
}
