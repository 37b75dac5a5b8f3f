import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import { MAX_FUTURE_MS } from './signing';

/** How often the newest accepted timestamps are written: one small transaction, not one per request. */
export const MARK_FLUSH_MS = 1_000;

/**
 * Replay protection that survives a restart. The cache of seen signatures (`ReplayCache`) is
 * in memory, so after a restart a request captured within its receive window could be sent
 * again. Two floors close that window:
 *
 * - the start: a request timestamped before this backend started may have been seen by the
 *   previous one, so it is refused;
 * - a per-key high-water mark, persisted: the newest timestamp accepted for each key. At start
 *   a key's requests must be newer than its mark, which also holds when the clock stepped
 *   back across the restart or the restart took less than the future-clock allowance.
 *
 * Marks are kept in memory as requests are accepted and written in batches (every
 * `MARK_FLUSH_MS` and at shutdown), so the signature check costs no extra disk write. After a
 * crash the last batch may be missing, and a request signed up to `MAX_FUTURE_MS` ahead could
 * still be inside its window: so when the previous run did not stop cleanly, the start floor is
 * moved that far ahead (signed requests wait at most that long after such a start).
 */
/** `app_meta` row: '1' while a backend runs, '0' once it stopped and flushed its marks. */
const RUNNING_KEY = 'identity.replayFloor.running';

export class ReplayFloor {
  readonly startedAt: number;
  /** Requests timestamped before this are refused. */
  readonly floor: number;
  /** Marks as persisted when this backend started: what the previous run accepted. */
  private readonly marksAtStart = new Map<string, number>();
  /** Newest accepted timestamp per key since the last flush. */
  private readonly pending = new Map<string, number>();
  private readonly flushStmt;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: DatabaseHandle,
    now: () => number,
  ) {
    this.startedAt = now();
    const running = store.sqlite
      .prepare('SELECT value FROM app_meta WHERE key = ?')
      .get(RUNNING_KEY) as { value: string } | undefined;
    this.floor = this.startedAt + (running?.value === '1' ? MAX_FUTURE_MS : 0);
    this.setRunning(true);
    const rows = store.sqlite
      .prepare('SELECT id, ts_last_signed AS ts FROM api_keys WHERE ts_last_signed IS NOT NULL')
      .all() as Array<{ id: string; ts: number }>;
    for (const r of rows) this.marksAtStart.set(r.id, r.ts);
    this.flushStmt = store.sqlite.prepare(
      'UPDATE api_keys SET ts_last_signed = max(coalesce(ts_last_signed, 0), ?) WHERE id = ?',
    );
  }

  /** Throws `replayed_request` when a request this old may have been accepted before the start. */
  check(keyId: string, timestamp: number): void {
    const mark = this.marksAtStart.get(keyId);
    if (timestamp < this.floor || (mark !== undefined && timestamp <= mark)) {
      throw new AppError(
        'replayed_request',
        'This signed request is older than the server’s last start: sign it again with the current time',
        undefined,
        401,
      );
    }
  }

  /** Records an accepted request (memory only; `flush` writes it). */
  accepted(keyId: string, timestamp: number): void {
    const prev = this.pending.get(keyId);
    if (prev === undefined || timestamp > prev) this.pending.set(keyId, timestamp);
  }

  /** Writes the pending marks in one transaction. */
  flush(): void {
    if (this.pending.size === 0 || !this.store.sqlite.open) return;
    const marks = [...this.pending];
    this.pending.clear();
    this.store.write('identity.signing.marks', () => {
      for (const [keyId, ts] of marks) this.flushStmt.run(ts, keyId);
    });
  }

  start(onError: (err: unknown) => void): void {
    this.timer ??= setInterval(() => {
      try {
        this.flush();
      } catch (err) {
        onError(err);
      }
    }, MARK_FLUSH_MS);
    this.timer.unref();
  }

  /** Stops the timer and writes the last marks: the next start knows none were lost. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
    if (this.store.sqlite.open) this.setRunning(false);
  }

  private setRunning(running: boolean): void {
    this.store.sqlite
      .prepare(
        'INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(RUNNING_KEY, running ? '1' : '0');
  }
}
