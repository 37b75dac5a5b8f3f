import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { rejects } from '../../helpers/exchange';
import { setUpTrading, traderWith, type TradingSetup } from './setup';

let backend: TestBackend;
let t: TradingSetup;
let me: Principal;
const other: Principal = {
  kind: 'user',
  userId: 'someone-else',
  role: 'trader',
  permissions: new Set(['automation.manage']),
};

beforeEach(async () => {
  backend = await startTestBackend();
  const user = await createUser(backend, 'trader');
  t = await setUpTrading(backend, user.userId);
  me = traderWith(user.userId, ['automation.manage']);
});
afterEach(async () => {
  await backend.cleanup();
});

const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;

describe('automation operations', () => {
  it('testAlert runs the webhook pipeline and is logged as a test', async () => {
    const answer = await invoke<{ status: string; logId: number }>('automation.testAlert', {
      accountId: t.accountId,
      body: '{"ticker":"BTCUSDT","action":"buy","quantity":"0.01","id":"t-1"}',
    });
    expect(answer.status).toBe('accepted');
    const again = await invoke<{ status: string }>('automation.testAlert', {
      accountId: t.accountId,
      body: '{"ticker":"BTCUSDT","action":"buy","quantity":"0.01","id":"t-1"}',
    });
    expect(again.status).toBe('duplicate');
    const e = await rejects(
      invoke('automation.testAlert', { accountId: t.accountId, body: 'hello' }),
      'alert_unreadable',
    );
    expect(e.message).toContain('alert not recognised');
    const log = await invoke<{ items: Array<{ route: string; status: string }> }>(
      'automation.log.list',
      {},
    );
    expect(log.items.map((i) => `${i.route}:${i.status}`)).toEqual([
      'test:rejected',
      'test:duplicate',
      'test:accepted',
    ]);
  });

  it('filters the log and keeps it private to its owner', async () => {
    await invoke('automation.testAlert', {
      accountId: t.accountId,
      body: 'action=buy\nsymbol=BTCUSDT\nqty=0.01',
    });
    await invoke('automation.testAlert', {
      accountId: t.secondAccountId,
      body: 'action=buy\nsymbol=NOPE\nqty=1',
    }).catch(() => undefined);
    const byAccount = await invoke<{ items: Array<{ id: number; symbol: string | null }> }>(
      'automation.log.list',
      {
        accountId: t.secondAccountId,
      },
    );
    expect(byAccount.items).toHaveLength(1);
    const accepted = await invoke<{ items: unknown[] }>('automation.log.list', {
      status: 'accepted',
      symbol: 'BTC/USDT',
    });
    expect(accepted.items).toHaveLength(1);
    const page = await invoke<{ items: Array<{ id: number }>; nextCursor?: string }>(
      'automation.log.list',
      { limit: 1 },
    );
    expect(page.nextCursor).toBeDefined();
    await rejects(invoke('automation.log.get', { id: page.items[0]!.id }, other), 'not_found');
    expect((await invoke<{ items: unknown[] }>('automation.log.list', {}, other)).items).toEqual(
      [],
    );
    await rejects(invoke('automation.risk.get', { accountId: t.accountId }, other), 'not_found');
  });

  it('validates risk settings and keeps account and user-wide settings apart', async () => {
    const base = await invoke<{ settings: Record<string, unknown>; stored: boolean }>(
      'automation.risk.get',
      {},
    );
    expect(base.stored).toBe(false);
    const e = await rejects(
      invoke('automation.risk.set', {
        accountId: t.accountId,
        settings: { ...base.settings, timeZone: 'Mars/Olympus' },
      }),
      'invalid_risk_settings',
    );
    expect(e.message).toContain('Mars/Olympus');
    await invoke('automation.risk.set', { settings: { ...base.settings, maxDailyLoss: '500.00' } });
    await invoke('automation.risk.set', {
      accountId: t.accountId,
      settings: { ...base.settings, maxDailyLoss: '250' },
    });
    const acc = await invoke<{ settings: { maxDailyLoss: string } }>('automation.risk.get', {
      accountId: t.accountId,
    });
    expect(acc.settings.maxDailyLoss).toBe('250');
    const second = await invoke<{ settings: { maxDailyLoss: string } }>('automation.risk.get', {
      accountId: t.secondAccountId,
    });
    expect(second.settings.maxDailyLoss).toBe('500');
  });

  it('imports an iCalendar file and lists its events', async () => {
    const ics =
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20991112T133000Z\r\nSUMMARY:FOMC\r\nCATEGORIES:USD\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    expect(await invoke('automation.calendar.import', { content: ics, timeZone: 'UTC' })).toEqual({
      imported: 1,
      total: 1,
    });
    const list = await invoke<{ items: Array<{ title: string; currency: string | null }> }>(
      'automation.calendar.list',
      {
        from: 0,
        to: Date.UTC(2100, 0, 1),
      },
    );
    expect(list.items).toEqual([expect.objectContaining({ title: 'FOMC', currency: 'USD' })]);
    await rejects(
      invoke('automation.calendar.import', { content: 'nonsense', timeZone: 'UTC' }),
      'calendar_unreadable',
    );
  });

  it('lists accounts with their stop state; a one-account stop leaves the other armed', async () => {
    await invoke('automation.emergencyStop', { accountId: t.secondAccountId });
    const accounts = await invoke<{ items: Array<{ id: string; stopped: boolean }> }>(
      'automation.accounts.list',
      {},
    );
    expect(Object.fromEntries(accounts.items.map((a) => [a.id, a.stopped]))).toEqual({
      [t.accountId]: false,
      [t.secondAccountId]: true,
    });
    const status = await invoke<{
      stopped: boolean;
      stops: Array<{ accountId: string; active: boolean }>;
    }>('automation.status', {});
    expect(status.stopped).toBe(true);
    expect(
      (
        await invoke<{ status: string }>('automation.testAlert', {
          accountId: t.accountId,
          body: 'action=buy\nsymbol=BTCUSDT\nqty=0.01',
        })
      ).status,
    ).toBe('accepted');
    await rejects(
      invoke('automation.testAlert', {
        accountId: t.secondAccountId,
        body: 'action=buy\nsymbol=BTCUSDT\nqty=0.01',
      }),
      'risk_rejected',
    );
    expect(
      (await invoke<{ rearmed: number }>('automation.rearm', { accountId: t.secondAccountId }))
        .rearmed,
    ).toBe(1);
  });
});
