import { open, type FileHandle } from 'node:fs/promises';

/**
 * Group commit with the fsync off the event loop.
 *
 * With `synchronous=FULL` every commit fsyncs the WAL before it returns, and better-sqlite3
 * is synchronous: the backend's event loop — which parses requests, checks tokens and answers
 * every other client — sits idle for the 1.4–4 ms of each fsync on this class of machine. A
 * *deferred* commit is the same transaction with `synchronous=NORMAL` (SQLite appends the
 * frames to the WAL and returns); its caller then awaits {@link WalSync.durable}, which fsyncs
 * the WAL file on libuv's thread pool and resolves once everything committed before it is on
 * disk. Nothing that waits for it is acknowledged earlier, so an answer still means "survives
 * power loss", as with FULL; the difference is only that the event loop runs meanwhile, and
 * that one fsync covers every commit made while the previous one was in flight.
 *
 * Why one fsync covers them all: the WAL is append-only between checkpoints and the kernel's
 * page cache is per file, so syncing the file (from any descriptor) writes every frame SQLite
 * has handed it. A WAL restart (after a complete checkpoint) rewrites the same file from its
 * start; SQLite syncs the new header itself. A synchronous FULL commit in between syncs the
 * same file, so it also makes earlier deferred commits durable ({@link WalSync.syncedByCommit}).
 *
 * A failed fsync is not retried (after a failed fsync Linux may already have dropped the dirty
 * pages): every waiter is refused, and the caller must not acknowledge.
 */
export class WalSync {
  /** Deferred commits so far, and how many of them are known to be on disk. */
  private committed = 0;
  private synced = 0;
  private inFlight: Promise<void> | null = null;
  private readonly waiting: Array<{
    upTo: number;
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  private handle: Promise<FileHandle> | null = null;
  private closed = false;

  constructor(
    private readonly walFile: string,
    /** The fsync itself (tests replace it to hold or fail a sync). */
    private readonly fsync: (file: FileHandle) => Promise<void> = (f) => f.sync(),
  ) {}

  /** Counts a deferred commit (call after it committed). */
  deferredCommit(): void {
    this.committed++;
  }

  /** A synchronous FULL commit just fsynced the WAL: everything before it is on disk. */
  syncedByCommit(): void {
    this.synced = this.committed;
    this.settle((w) => w.upTo <= this.synced, null);
  }

  /** Resolves once every deferred commit made so far is on disk. */
  durable(): Promise<void> {
    const upTo = this.committed;
    if (this.synced >= upTo) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ upTo, resolve, reject });
      this.pump();
    });
  }

  /** Commits not yet known to be on disk (diagnostics, tests). */
  pending(): number {
    return this.committed - this.synced;
  }

  /** Waits for the sync in flight, then closes the WAL descriptor (before SQLite closes). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle.catch(() => null))?.close();
  }

  /** One fsync at a time; each covers every commit made before it started. */
  private pump(): void {
    if (this.inFlight || this.waiting.length === 0) return;
    const upTo = this.committed;
    this.inFlight = this.syncOnce().then(
      () => {
        this.synced = Math.max(this.synced, upTo);
        this.settle((w) => w.upTo <= this.synced, null);
      },
      (error: unknown) => this.settle(() => true, error),
    );
    void this.inFlight.finally(() => {
      this.inFlight = null;
      this.pump();
    });
  }

  private async syncOnce(): Promise<void> {
    // r+: Windows' FlushFileBuffers needs write access; nothing is ever written through it.
    this.handle ??= open(this.walFile, 'r+');
    const pending = this.handle;
    try {
      await this.fsync(await pending);
    } catch (error) {
      // A fresh descriptor next time; this one's error state is not worth keeping.
      this.handle = null;
      void pending.then((f) => f.close()).catch(() => undefined);
      throw error;
    }
  }

  private settle(done: (w: { upTo: number }) => boolean, error: unknown): void {
    for (let i = 0; i < this.waiting.length;) {
      const w = this.waiting[i]!;
      if (!done(w)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      if (error === null) w.resolve();
      else w.reject(error);
    }
  }
}
