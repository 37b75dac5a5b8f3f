import { Cron } from 'croner';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/database';
import { jobRuns } from '../db/schema';
import type { EventHub } from '../events/hub';
import { newCorrelationId, withScope } from '../observability/context';
import type { Logger } from '../observability/logger';

/** What a running job can do: report progress, notice cancellation, log with its id. */
export interface JobContext<P = unknown> {
  runId: number;
  attempt: number;
  payload: P;
  signal: AbortSignal;
  log: Logger;
  /** Fraction done, 0..1. Persisted (throttled) and pushed on the `jobs` stream. */
  progress(fraction: number): void;
}

export interface JobDefinition<P = unknown> {
  name: string;
  description: string;
  /** Cron expression (croner syntax, seconds optional); absent for on-demand/queued jobs. */
  schedule?: string;
  /** Extra attempts after a failure, with exponential backoff from `backoffMs`. */
  retries?: number;
  backoffMs?: number;
  /** Notify administrators when the last attempt fails (default true). */
  notifyOnFailure?: boolean;
  run(ctx: JobContext<P>): Promise<unknown> | unknown;
}

type RunRow = typeof jobRuns.$inferSelect;

const DAY_MS = 86_400_000;

/**
 * How much run history is kept: runs queued more than `days` ago go, except each job's newest
 * `keepPerJob` (so a job that runs once a month still shows its history). Without it the table
 * grew by ~12,000 rows a day (the withdrawal broadcaster every 10 s, the paper checks every
 * minute) for as long as the app ran.
 */
export const RUN_RETENTION = { days: 30, keepPerJob: 100 };

/** A failed run as the scheduler reports it: to its owner, or to administrators if none. */
export interface JobFailure {
  userId?: string;
  level: 'error';
  kind: 'job.failed';
  title: string;
  body: string;
}

/**
 * Where failed runs are reported. Declared here so the scheduler knows no feature: the root
 * passes the notifications service, which satisfies it.
 */
export interface JobFailureNotifier {
  notify(failure: JobFailure): unknown;
}

/**
 * In-process job scheduler: cron schedules, on-demand and queued runs, retries with backoff,
 * run history in SQLite, failures raised as notifications. One run per job at a time;
 * queued runs of the same job wait their turn.
 */
export class JobScheduler {
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly crons = new Map<string, Cron>();
  private readonly running = new Map<
    number,
    { controller: AbortController; done: Promise<void> }
  >();
  private readonly busy = new Set<string>();
  private stopped = false;
  private pruneQ: ReturnType<typeof pruneStatements> | undefined;

  constructor(
    private readonly store: DatabaseHandle,
    private readonly notifications: JobFailureNotifier,
    private readonly hub: EventHub,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  register<P>(def: JobDefinition<P>): void {
    if (this.jobs.has(def.name)) throw new Error(`Job "${def.name}" is registered twice`);
    if (def.schedule) new Cron(def.schedule, { paused: true }).stop(); // validates the pattern
    this.jobs.set(def.name, def as JobDefinition);
  }

  definitions(): JobDefinition[] {
    return [...this.jobs.values()];
  }

  nextRunAt(name: string): number | null {
    return this.crons.get(name)?.nextRun()?.getTime() ?? null;
  }

  /** Starts cron timers and resumes queued runs; runs interrupted by a crash are marked failed. */
  start(): void {
    this.store.db
      .update(jobRuns)
      .set({ status: 'failed', error: 'interrupted by shutdown or crash', tsFinished: this.now() })
      .where(eq(jobRuns.status, 'running'))
      .run();
    for (const def of this.jobs.values()) {
      if (!def.schedule) continue;
      this.crons.set(
        def.name,
        new Cron(def.schedule, { protect: true }, () => void this.enqueue(def.name, null)),
      );
    }
    for (const name of this.jobs.keys()) this.pump(name);
  }

  /** Queues a run and returns its id; it starts as soon as no other run of that job is active. */
  enqueue(name: string, payload: unknown, ownerUserId?: string): number {
    if (!this.jobs.has(name)) throw new Error(`No job named "${name}"`);
    const row = this.store.db
      .insert(jobRuns)
      .values({
        job: name,
        status: 'queued',
        payload: payload === null || payload === undefined ? null : JSON.stringify(payload),
        correlationId: newCorrelationId(),
        ownerUserId: ownerUserId ?? null,
        tsQueued: this.now(),
      })
      .returning({ id: jobRuns.id })
      .get();
    this.publish(row.id);
    queueMicrotask(() => this.pump(name));
    return row.id;
  }

  /** Cancels a queued run at once, or asks a running one to stop. */
  cancel(runId: number): boolean {
    const active = this.running.get(runId);
    if (active) {
      active.controller.abort();
      return true;
    }
    const res = this.store.db
      .update(jobRuns)
      .set({ status: 'cancelled', tsFinished: this.now() })
      .where(and(eq(jobRuns.id, runId), eq(jobRuns.status, 'queued')))
      .run();
    if (res.changes > 0) this.publish(runId);
    return res.changes > 0;
  }

  getRun(runId: number): RunRow | undefined {
    return this.store.db.select().from(jobRuns).where(eq(jobRuns.id, runId)).get();
  }

  runs(job: string | undefined, limit: number): RunRow[] {
    const q = this.store.db.select().from(jobRuns);
    return (job ? q.where(eq(jobRuns.job, job)) : q).orderBy(desc(jobRuns.id)).limit(limit).all();
  }

  lastRun(job: string): RunRow | undefined {
    return this.store.db
      .select()
      .from(jobRuns)
      .where(
        and(eq(jobRuns.job, job), inArray(jobRuns.status, ['succeeded', 'failed', 'cancelled'])),
      )
      .orderBy(desc(jobRuns.id))
      .limit(1)
      .get();
  }

  /**
   * Deletes finished runs per `RUN_RETENTION` (the hourly `jobs.prune` job), `batch` rows per
   * commit with a turn of the event loop between commits, so a first pass over years of
   * history does not hold the loop. Runs still queued or running are never deleted.
   * Every read is by the (job, id) index; ids rise with `ts_queued`.
   */
  async prune(now: number, policy = RUN_RETENTION, batch = 2_000): Promise<number> {
    const q = (this.pruneQ ??= pruneStatements(this.store.sqlite));
    let deleted = 0;
    for (const { job } of q.jobs.all() as Array<{ job: string }>) {
      const kept = q.keepFrom.get(job, policy.keepPerJob - 1) as { id: number } | undefined;
      if (!kept) continue; // fewer runs than are always kept
      const recent = q.firstSince.get(job, now - policy.days * DAY_MS) as
        { id: number } | undefined;
      const below = Math.min(kept.id, recent?.id ?? Number.MAX_SAFE_INTEGER);
      for (;;) {
        const n = this.store.write('jobs.prune', () => q.remove.run(job, below, batch).changes);
        deleted += n;
        if (n < batch) break;
        await new Promise((r) => setImmediate(r));
      }
    }
    return deleted;
  }

  /** Waits for a run to finish (tests, synchronous callers). */
  async waitFor(runId: number, timeoutMs = 30_000): Promise<RunRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = this.getRun(runId);
      if (row && ['succeeded', 'failed', 'cancelled'].includes(row.status)) return row;
      if (Date.now() > deadline) throw new Error(`Run ${runId} did not finish in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Stops timers, cancels running jobs and waits for them (bounded by the caller's timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cron of this.crons.values()) cron.stop();
    this.crons.clear();
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private pump(name: string): void {
    if (this.stopped || this.busy.has(name)) return;
    const next = this.store.db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.job, name), eq(jobRuns.status, 'queued')))
      .orderBy(jobRuns.id)
      .limit(1)
      .get();
    if (!next) return;
    this.busy.add(name);
    const controller = new AbortController();
    const done = this.execute(this.jobs.get(name)!, next, controller).finally(() => {
      this.running.delete(next.id);
      this.busy.delete(name);
      this.pump(name);
    });
    this.running.set(next.id, { controller, done });
  }

  private async execute(def: JobDefinition, row: RunRow, controller: AbortController) {
    const payload = row.payload ? JSON.parse(row.payload) : null;
    const attempts = 1 + (def.retries ?? 0);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      this.setRunning(row.id, attempt);
      const outcome = await withScope({ correlationId: row.correlationId }, () =>
        this.attempt(def, row, attempt, payload, controller.signal),
      );
      if (outcome.ok) return this.finish(row.id, 'succeeded', null, outcome.result);
      if (controller.signal.aborted) return this.finish(row.id, 'cancelled', 'cancelled', null);
      if (attempt < attempts) {
        await sleep((def.backoffMs ?? 1000) * 2 ** (attempt - 1), controller.signal);
        if (controller.signal.aborted) return this.finish(row.id, 'cancelled', 'cancelled', null);
        continue;
      }
      this.finish(row.id, 'failed', outcome.error, null);
      if (def.notifyOnFailure !== false) {
        this.notifications.notify({
          userId: row.ownerUserId ?? undefined,
          level: 'error',
          kind: 'job.failed',
          title: `Job "${def.name}" failed`,
          body: `After ${attempts} attempt(s): ${outcome.error}`,
        });
      }
    }
  }

  private async attempt(
    def: JobDefinition,
    row: RunRow,
    attempt: number,
    payload: unknown,
    signal: AbortSignal,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: string }> {
    const log = this.log.child({ job: def.name, runId: row.id, attempt });
    let lastProgressWrite = 0;
    const ctx: JobContext = {
      runId: row.id,
      attempt,
      payload,
      signal,
      log,
      progress: (fraction) => {
        const t = Date.now();
        if (t - lastProgressWrite < 100 && fraction < 1) return;
        lastProgressWrite = t;
        const ppm = Math.round(Math.min(1, Math.max(0, fraction)) * 1e6);
        this.store.db.update(jobRuns).set({ progress: ppm }).where(eq(jobRuns.id, row.id)).run();
        this.publish(row.id);
      },
    };
    try {
      const result = await def.run(ctx);
      if (signal.aborted) return { ok: false, error: 'cancelled' };
      return { ok: true, result };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ err: message }, 'job attempt failed');
      return { ok: false, error: message };
    }
  }

  private setRunning(runId: number, attempt: number): void {
    this.store.db
      .update(jobRuns)
      .set({ status: 'running', attempt, tsStarted: this.now(), error: null })
      .where(eq(jobRuns.id, runId))
      .run();
    this.publish(runId);
  }

  private finish(runId: number, status: RunRow['status'], error: string | null, result: unknown) {
    this.store.db
      .update(jobRuns)
      .set({
        status,
        error,
        result: result === undefined || result === null ? null : JSON.stringify(result),
        tsFinished: this.now(),
        ...(status === 'succeeded' ? { progress: 1_000_000 } : {}),
      })
      .where(eq(jobRuns.id, runId))
      .run();
    this.publish(runId);
  }

  private publish(runId: number): void {
    const row = this.getRun(runId);
    if (!row) return;
    const summary = toJobRunView(row);
    if (row.ownerUserId)
      this.hub.publish('jobs', summary, { kind: 'user', userId: row.ownerUserId });
    this.hub.publish('jobs', summary, { kind: 'admins' });
  }
}

/** The public view of a run (the `JobRun` schema of the contract). */
export function toJobRunView(row: RunRow) {
  return {
    id: row.id,
    job: row.job,
    status: row.status,
    attempt: row.attempt,
    progress: row.progress === null ? null : row.progress / 1e6,
    error: row.error,
    correlationId: row.correlationId,
    tsQueued: row.tsQueued,
    tsStarted: row.tsStarted,
    tsFinished: row.tsFinished,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The statements of `JobScheduler.prune`. */
function pruneStatements(sqlite: DatabaseHandle['sqlite']) {
  const p = (sql: string) => sqlite.prepare(sql);
  return {
    // Each job name once, by seeks on the (job, id) index (no scan of the whole table).
    jobs: p(`WITH RECURSIVE j(job) AS (
               SELECT min(job) FROM job_runs
               UNION ALL
               SELECT (SELECT min(job) FROM job_runs WHERE job > j.job) FROM j WHERE j.job IS NOT NULL)
             SELECT job FROM j WHERE job IS NOT NULL`),
    // The oldest of the job's newest `keepPerJob` runs.
    keepFrom: p('SELECT id FROM job_runs WHERE job = ? ORDER BY id DESC LIMIT 1 OFFSET ?'),
    // The job's first run queued since the cutoff (after a pass, few rows precede it).
    firstSince: p('SELECT id FROM job_runs WHERE job = ? AND ts_queued >= ? ORDER BY id LIMIT 1'),
    remove: p(`DELETE FROM job_runs WHERE id IN (
                 SELECT id FROM job_runs WHERE job = ? AND id < ?
                   AND status IN ('succeeded', 'failed', 'cancelled')
                 ORDER BY id LIMIT ?)`),
  };
}
