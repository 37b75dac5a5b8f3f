import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamPayloads } from '../../../src-shared/contract';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { exchangeOf, fund, rejects, trader } from '../../helpers/exchange';
import { openSocket, until } from '../../helpers/ws-client';

/** Scheduled statements (an injected clock crosses midnight) and the live `pnl` stream. */

let backend: TestBackend;
let me: Principal;
let userId: string;
let accessToken: string;
let clock = Date.UTC(2026, 11, 6, 10); // Sunday 2026-12-06 10:00 UTC

const MAKER = 'analytics-maker';
const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 6, 10);
  backend = await startTestBackend({ now: () => clock });
  const user = await createUser(backend, 'trader');
  userId = user.userId;
  accessToken = user.accessToken;
  me = trader(userId);
  await fund(backend, MAKER, 'BTC', '1000');
  await fund(backend, MAKER, 'USDT', '100000000');
  const maker = trader(MAKER);
  await invoke(
    'orders.place',
    { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '29990', qty: '20' },
    maker,
  );
  await invoke(
    'orders.place',
    { symbol: 'BTC/USDT', side: 'sell', type: 'limit', price: '30000', qty: '20' },
    maker,
  );
  await exchangeOf(backend).flush();
});
afterEach(async () => {
  await backend.cleanup();
});

async function paperAccount(): Promise<string> {
  const created = await invoke<{ account: { id: string } }>('accounts.create', {
    venue: 'paper',
    name: 'Paper',
    initialBalance: '10000',
    paperConfig: { spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 1000 },
  });
  return created.account.id;
}

const paperOrder = (id: string, side: 'buy' | 'sell', qty: string) =>
  invoke('accounts.placeOrder', { id, symbol: 'BTC/USDT', side, qty });

/** Runs the scheduled-reports job now (as its cron would) and answers what it wrote. */
async function runJob(): Promise<{ written: number }> {
  const run = await backend.scheduler.waitFor(backend.scheduler.enqueue('reports.scheduled', null));
  expect(run.status, run.error ?? '').toBe('succeeded');
  return JSON.parse(run.result!) as { written: number };
}

describe('scheduled statements', () => {
  it('writes the closed day and ISO week once, into the data directory, for their owner only', async () => {
    const id = await paperAccount();
    expect(await invoke('reports.schedule.get', {})).toEqual({ daily: false, weekly: false });
    await invoke('reports.schedule.set', { daily: true, weekly: true });
    await paperOrder(id, 'buy', '0.1'); // 30000, commission 3
    await paperOrder(id, 'sell', '0.1'); // 29990, commission 2.999: net −6.999

    expect(await runJob()).toEqual({ written: 0 }); // the day has not closed yet
    clock = Date.UTC(2026, 11, 7, 0, 1); // Monday 00:01: Sunday and ISO week 49 have closed
    expect(await runJob()).toEqual({ written: 4 });
    expect(await runJob()).toEqual({ written: 0 }); // never twice

    const list = await invoke<{ items: Array<{ name: string; from: number; to: number }> }>(
      'reports.list',
      {},
    );
    expect(list.items.map((r) => r.name).sort()).toEqual([
      'daily-2026-12-06.csv',
      'daily-2026-12-06.json',
      'weekly-2026-W49.csv',
      'weekly-2026-W49.json',
    ]);
    // Nothing for Saturday: the schedule was turned on on Sunday.
    const weekly = list.items.find((r) => r.name === 'weekly-2026-W49.csv')!;
    expect([weekly.from, weekly.to]).toEqual([Date.UTC(2026, 10, 30), Date.UTC(2026, 11, 7) - 1]);
    const file = path.join(backend.config.dataDir, 'reports', userId, 'daily-2026-12-06.csv');
    expect(fs.existsSync(file)).toBe(true);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const daily = await invoke<{ body: string; contentType: string }>('reports.get', {
      name: 'daily-2026-12-06.csv',
    });
    expect(daily.contentType).toMatch(/^text\/csv/);
    expect(daily.body).toContain(',BTC/USDT,USDT,long,0.1,30000,29990,');
    expect(daily.body).toContain(',-6.999,manual\r\n');
    const json = await invoke<{ body: string }>('reports.get', { name: 'weekly-2026-W49.json' });
    expect(JSON.parse(json.body)).toMatchObject({ roundTrips: [{ netPnl: '-6.999' }] });

    const other = trader('someone-else');
    await rejects(invoke('reports.get', { name: 'daily-2026-12-06.csv' }, other), 'not_found');
    expect(await invoke('reports.list', {}, other)).toEqual({ items: [] });
    // A name that is not a statement's (a path, another extension) never reaches the disk.
    await rejects(invoke('reports.get', { name: '../secrets.enc' }), 'validation_failed');
    await rejects(invoke('reports.get', { name: 'daily-2026-12-06.exe' }), 'validation_failed');
    await rejects(
      invoke('reports.pnl', { from: 0, to: clock, format: 'xml' }),
      'validation_failed',
    );
    await rejects(invoke('reports.pnl', { from: clock, format: 'csv' }), 'validation_failed');
    await rejects(
      invoke('reports.schedule.set', { daily: 'yes', weekly: false }),
      'validation_failed',
    );

    await invoke('reports.schedule.set', { daily: false, weekly: false });
    clock = Date.UTC(2026, 11, 8, 0, 1);
    expect(await runJob()).toEqual({ written: 0 });
  });
});

type PnlUpdate = StreamPayloads['pnl'];

/** The next `pnl` message of the user, read as the doors read it (synchronously). */
function nextPnl(match: (m: PnlUpdate) => boolean = () => true): Promise<PnlUpdate> {
  return new Promise((resolve) => {
    const off = backend.hub.subscribe(
      (m) => {
        if (m.stream !== 'pnl' || m.audience.kind !== 'user' || m.audience.userId !== userId)
          return;
        const data = m.data as PnlUpdate;
        if (!match(data)) return;
        off();
        resolve(data);
      },
      (s) => s === 'pnl',
    );
  });
}

describe('the pnl stream', () => {
  it('pushes a paper account’s figures after its fills', async () => {
    const id = await paperAccount();
    const pushed = nextPnl((m) => m.accounts.some((a) => a.openPositions === 1));
    await paperOrder(id, 'buy', '0.1');
    const m = await pushed;
    // A long of 0.1 from 30000 marked at the bid 29990: −1; exposure 0.1 × 29990 = 2999.
    expect(m.accounts).toEqual([
      expect.objectContaining({
        accountId: id,
        currency: 'USDT',
        unrealised: '-1',
        grossExposure: '2999',
        openPositions: 1,
        realisedToday: '0',
        ts: clock,
      }),
    ]);
    const closed = nextPnl((x) => x.accounts.some((a) => a.openPositions === 0));
    await paperOrder(id, 'sell', '0.1');
    expect((await closed).accounts[0]).toMatchObject({ realisedToday: '-6.999', unrealised: '0' });
  });

  it('pushes the local account after a spot fill', async () => {
    await fund(backend, userId, 'USDT', '10000');
    const pushed = nextPnl((m) => m.accounts.some((a) => a.accountId === 'local'));
    await invoke('orders.place', { symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.1' });
    const m = await pushed;
    // One open lot of 0.1 at 30000, marked at the last trade (30000): 0 unrealised.
    expect(m.accounts).toEqual([
      expect.objectContaining({
        accountId: 'local',
        venue: 'local',
        openPositions: 1,
        unrealised: '0',
        grossExposure: '3000',
      }),
    ]);
  });

  it('reaches a WebSocket client subscribed to pnl, and only its owner', async () => {
    const id = await paperAccount();
    const base = (await backend.listen()).replace('http', 'ws');
    const { ws, messages } = await openSocket<{ stream?: string; op?: string; data?: PnlUpdate }>(
      `${base}/ws`,
    );
    ws.send(JSON.stringify({ op: 'auth', token: accessToken }));
    ws.send(JSON.stringify({ op: 'subscribe', streams: ['pnl'] }));
    await until(() => messages.some((m) => m.op === 'subscribed'));
    const stranger = await openSocket<{ stream?: string }>(`${base}/ws`);
    stranger.ws.send(JSON.stringify({ op: 'subscribe', streams: ['pnl'] }));
    await paperOrder(id, 'buy', '0.1');
    await until(() => messages.some((m) => m.stream === 'pnl'));
    const pushed = messages.find((m) => m.stream === 'pnl')!;
    expect(pushed.data!.accounts).toEqual([
      expect.objectContaining({ accountId: id, openPositions: 1, unrealised: '-1' }),
    ]);
    expect(stranger.messages.filter((m) => m.stream === 'pnl')).toEqual([]);
    ws.close();
    stranger.ws.close();
  });
});
