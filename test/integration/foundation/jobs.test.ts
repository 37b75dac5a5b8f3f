import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { SYSTEM } from '../../../src-main/operations/principal';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(async () => backend.cleanup());

describe('job scheduler', () => {
  it('retries with backoff, records every run and succeeds', async () => {
    let calls = 0;
    backend.scheduler.register({
      name: 'flaky',
      description: 'fails twice',
      retries: 2,
      backoffMs: 5,
      run: () => {
        calls++;
        if (calls < 3) throw new Error(`attempt ${calls} failed`);
        return { ok: true };
      },
    });
    const run = await backend.scheduler.waitFor(backend.scheduler.enqueue('flaky', null));
    expect(run).toMatchObject({
      status: 'succeeded',
      attempt: 3,
      result: '{"ok":true}',
      progress: 1_000_000,
    });
    expect(calls).toBe(3);
  });

  it('raises a notification when the last attempt fails', async () => {
    backend.scheduler.register({
      name: 'broken',
      description: 'always fails',
      retries: 1,
      backoffMs: 1,
      run: () => {
        throw new Error('reconciliation mismatch');
      },
    });
    const run = await backend.scheduler.waitFor(backend.scheduler.enqueue('broken', null));
    expect(run).toMatchObject({ status: 'failed', attempt: 2, error: 'reconciliation mismatch' });
    const list = (await backend.invoke('notifications.list', {}, SYSTEM)) as {
      items: { kind: string; body: string }[];
    };
    expect(list.items[0]).toMatchObject({ kind: 'job.failed' });
    expect(list.items[0]!.body).toContain('reconciliation mismatch');
  });

  it('reports progress and can be cancelled while running', async () => {
    backend.scheduler.register<{ steps: number }>({
      name: 'long',
      description: 'runs until cancelled',
      run: async (ctx) => {
        for (let i = 0; i < ctx.payload.steps && !ctx.signal.aborted; i++) {
          ctx.progress(i / ctx.payload.steps);
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    });
    const id = backend.scheduler.enqueue('long', { steps: 10_000 });
    await new Promise((r) => setTimeout(r, 150));
    expect(backend.scheduler.getRun(id)!.progress).toBeGreaterThan(0);
    expect(backend.scheduler.cancel(id)).toBe(true);
    expect((await backend.scheduler.waitFor(id)).status).toBe('cancelled');
  });

  it('lists jobs with their cron schedule and next run through the catalogue', async () => {
    backend.scheduler.register({
      name: 'nightly',
      description: 'cron job',
      schedule: '0 3 * * *',
      run: () => null,
    });
    expect(() =>
      backend.scheduler.register({
        name: 'bad',
        description: 'x',
        schedule: 'every tuesday',
        run: () => null,
      }),
    ).toThrow();
    const out = (await backend.invoke('jobs.runs', { job: 'flaky' }, SYSTEM)) as {
      items: unknown[];
    };
    expect(out.items).toHaveLength(1);
    const trigger = (await backend.invoke('jobs.trigger', { name: 'flaky' }, SYSTEM)) as {
      runId: number;
    };
    expect((await backend.scheduler.waitFor(trigger.runId)).status).toBe('succeeded');
    await expect(backend.invoke('jobs.trigger', { name: 'nope' }, SYSTEM)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('job run history', () => {
  const DAY = 86_400_000;
  it('keeps 30 days and each job’s newest 100; never a run still queued or running', async () => {
    const db = backend.store.sqlite;
    const now = 1_900_000_000_000;
    const put = db.prepare(
      `INSERT INTO job_runs (job, status, correlation_id, ts_queued, ts_finished)
       VALUES (?, ?, 'c', ?, ?)`,
    );
    const add = (job: string, status: string, ageDays: number, n: number) => {
      for (let i = 0; i < n; i++) put.run(job, status, now - ageDays * DAY, now - ageDays * DAY);
    };
    add('prune.chatty', 'queued', 45, 1); // stuck in the queue: not history, never deleted
    add('prune.chatty', 'running', 44, 1);
    add('prune.chatty', 'succeeded', 40, 300);
    add('prune.chatty', 'failed', 35, 20);
    add('prune.chatty', 'succeeded', 1, 50);
    add('prune.rare', 'succeeded', 200, 10); // fewer than the newest 100: all kept
    const count = (job: string, where = '1') =>
      (
        db.prepare(`SELECT count(*) AS n FROM job_runs WHERE job = ? AND ${where}`).get(job) as {
          n: number;
        }
      ).n;

    const deleted = await backend.scheduler.prune(now, { days: 30, keepPerJob: 100 }, 64);

    // 372 runs: the newest 100 stay (50 recent, 20 failed, 30 of the old successes), and the
    // queued and running ones; the 270 other old successes go, in 64-row commits.
    expect(deleted).toBe(270);
    expect(count('prune.chatty')).toBe(102);
    expect(count('prune.chatty', `status IN ('queued', 'running')`)).toBe(2);
    expect(count('prune.chatty', `ts_queued >= ${now - 30 * DAY}`)).toBe(50);
    expect(count('prune.rare')).toBe(10);
    // A second pass has nothing left to do.
    expect(await backend.scheduler.prune(now, { days: 30, keepPerJob: 100 }, 64)).toBe(0);
  });

  it('runs hourly as the jobs.prune job', () => {
    const def = backend.scheduler.definitions().find((d) => d.name === 'jobs.prune');
    expect(def?.schedule).toBe('29 * * * *');
  });
});
