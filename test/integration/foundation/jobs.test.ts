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
