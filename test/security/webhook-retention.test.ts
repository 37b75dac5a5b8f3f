import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logRow } from '../helpers/webhook-log';
import { configFromCli } from '../../src-main/config';
import type { Principal } from '../../src-main/operations/principal';
import { WebhookRefusals } from '../../src-main/features/automation/refusals';
import { WebhookRetention } from '../../src-main/features/automation/retention';
import type { LogRow } from '../../src-main/features/automation/store';
import { startTestBackend, type TestBackend } from '../helpers/backend';

/**
 * Issue #22: the webhook log and the other tables outside callers make grow are pruned by
 * an hourly job (age and a row ceiling), on the injected clock.
 */

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);

let backend: TestBackend;
let clock = NOW;
const admin: Principal = {
  kind: 'user',
  userId: 'admin-1',
  role: 'owner',
  permissions: new Set(['admin.system']),
};

beforeEach(async () => {
  clock = NOW;
  // 40 rows in total, so 4 per user; refusal counters at most 10.
  backend = await startTestBackend({ now: () => clock, webhookLogDays: 30, webhookLogMaxRows: 40 });
});
afterEach(async () => {
  await backend.cleanup();
});

const service = () => backend.features.automation;

function row(userId: string | null, ts: number, status: LogRow['status'] = 'rejected'): LogRow {
  return logRow({ userId, accountId: userId ? `${userId}-acct` : null, status, tsReceived: ts });
}

/** Inserts rows and answers their ids, in order. */
function insert(rows: LogRow[]): number[] {
  return rows.map((r) => service().repo.insertLog(r));
}

function remaining(): number[] {
  return (
    backend.store.sqlite
      .prepare('SELECT id FROM automation_webhook_log ORDER BY id')
      .all() as Array<{
      id: number;
    }>
  ).map((r) => r.id);
}

async function runJob(): Promise<Record<string, number>> {
  const { runId } = (await backend.invoke(
    'jobs.trigger',
    { name: 'automation.retention' },
    admin,
  )) as { runId: number };
  const run = await backend.scheduler.waitFor(runId);
  expect(run.status, run.error ?? '').toBe('succeeded');
  return JSON.parse(run.result!) as Record<string, number>;
}

describe('the retention job', () => {
  it('shows in Admin → Jobs with its schedule', async () => {
    const { items } = (await backend.invoke('jobs.list', {}, admin)) as {
      items: Array<{ name: string; schedule: string | null }>;
    };
    expect(items.find((j) => j.name === 'automation.retention')?.schedule).toBe('17 * * * *');
  });

  it('deletes rows older than the configured days, keeps newer ones, enforces the per-user ceiling', async () => {
    const oldA = insert([
      row('a', NOW - 31 * DAY),
      row('a', NOW - 31 * DAY, 'accepted'),
      row('a', NOW - 30 * DAY - 1),
    ]);
    const keptB = insert([
      row('b', NOW - 30 * DAY + 1),
      row('b', NOW - 29 * DAY),
      row('b', NOW - 3 * DAY, 'accepted'),
    ]);
    const unowned = insert([row(null, NOW - 60_000), row(null, NOW - 1000)]);
    // User a's recent rows: 8 refusals around 2 accepted ones, ceiling 4 rows.
    const recentA = insert(
      Array.from({ length: 10 }, (_, i) =>
        row('a', NOW - (10 - i) * 60_000, i === 2 || i === 5 ? 'accepted' : 'rejected'),
      ),
    );
    const result = await runJob();
    expect(result).toMatchObject({ logByAge: 3, logUnowned: 2, logOverCeiling: 6 });
    const left = remaining();
    for (const id of [...oldA, ...unowned]) expect(left).not.toContain(id);
    // Today's accepted rows stay (the risk rules count them); the newest refusals fill the rest.
    expect(left).toEqual([...keptB, recentA[2]!, recentA[5]!, recentA[8]!, recentA[9]!]);
  });

  it('ends on the injected clock: what was fresh is pruned once the days have passed', async () => {
    insert([row('a', NOW), row('a', NOW + DAY)]);
    expect((await runJob()).logByAge).toBe(0);
    clock = NOW + 30 * DAY + 1;
    expect((await runJob()).logByAge).toBe(1);
    expect(remaining()).toHaveLength(1);
  });

  it('prunes refusal counters and read notifications by age, and both by their ceilings', async () => {
    const counters = new WebhookRefusals(backend.store.sqlite);
    for (let i = 0; i < 14; i++) {
      counters.record({ now: NOW - i * 3_600_000, address: '198.51.100.1', code: 'x', bytes: 1 });
    }
    counters.record({ now: NOW - 40 * DAY, address: '198.51.100.2', code: 'x', bytes: 1 });
    const db = backend.store.sqlite;
    const note = db.prepare(
      `INSERT INTO notifications (user_id, level, kind, title, body, ts_created, ts_read)
       VALUES (?, 'warning', 'automation.rejected', 't', 'b', ?, ?)`,
    );
    note.run('a', NOW - 40 * DAY, NOW - 39 * DAY); // read, old: goes
    note.run('a', NOW - 40 * DAY, null); // unread, old: stays
    note.run('a', NOW - DAY, NOW); // read, recent: stays
    db.transaction(() => {
      for (let i = 0; i < 1005; i++) note.run('flooded', NOW - 1000 + i, null);
    })();
    const result = await runJob();
    expect(result.refusals).toBe(1 + 4); // one by age, then down to the ceiling of 10
    const hours = db
      .prepare('SELECT hour FROM automation_webhook_refusals ORDER BY hour DESC')
      .all() as Array<{ hour: number }>;
    expect(hours).toHaveLength(10);
    expect(hours[0]!.hour).toBe(NOW); // the newest kept
    const count = (user: string) =>
      (
        db.prepare('SELECT count(*) AS n FROM notifications WHERE user_id = ?').get(user) as {
          n: number;
        }
      ).n;
    expect(count('a')).toBe(2);
    expect(count('flooded')).toBe(1000);
    expect(result.notifications).toBe(1 + 5);
  });

  it('keeps at most the total ceiling, oldest first, never the recent accepted rows', () => {
    const ids = insert([
      row('a', NOW - 5 * DAY),
      row('b', NOW - 5 * DAY),
      row('c', NOW - DAY, 'accepted'),
      row('a', NOW - 3000),
      row('b', NOW - 2000),
      row('c', NOW - 1000),
    ]);
    const result = new WebhookRetention(backend.store.sqlite).prune(NOW, {
      days: 30,
      maxRowsPerUser: 100,
      maxRows: 3,
      maxRefusalRows: 100,
    });
    expect(result.logOverCeiling).toBe(3);
    expect(remaining()).toEqual([ids[2], ids[4], ids[5]]);
  });
});

describe('BOURSE_WEBHOOK_LOG_DAYS', () => {
  it('sets the days kept (default 30) and refuses nonsense', () => {
    expect(configFromCli([], {}).webhookLogDays).toBe(30);
    expect(configFromCli([], { BOURSE_WEBHOOK_LOG_DAYS: '7' }).webhookLogDays).toBe(7);
    for (const bad of ['0', '-3', '1.5', 'forever', '99999']) {
      expect(() => configFromCli([], { BOURSE_WEBHOOK_LOG_DAYS: bad })).toThrow(
        /BOURSE_WEBHOOK_LOG_DAYS/,
      );
    }
  });
});
