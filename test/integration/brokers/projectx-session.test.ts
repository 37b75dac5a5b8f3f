import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BrokerError } from '../../../src-main/connectors/broker/errors';
import type { BrokerEvent } from '../../../src-main/connectors/broker/port';
import { projectxDefinition, type ProjectxConnector } from '../../../src-main/connectors/projectx';
import {
  API_KEY,
  startFakeProjectx,
  USER,
  type FakeProjectx,
  type FakeProjectxOptions,
} from '../../fakes/projectx/server';

/** Session, rate limits and the user hub of the ProjectX connector against the strict fake. */

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(
  opts: FakeProjectxOptions = {},
  settings: Record<string, string> = {},
  now = Date.now,
) {
  const fake = await startFakeProjectx({ now, ...opts });
  const c = projectxDefinition.create({ ...fake.settings, ...settings }, fake.secrets, {
    now,
  }) as ProjectxConnector;
  cleanup.push(
    () => fake.close(),
    () => c.close(),
  );
  return { fake, c };
}

const caught = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as BrokerError,
  );
const logins = (fake: FakeProjectx) => fake.requests.filter((r) => r.path === '/api/Auth/loginKey');
const until = async (pred: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
};

describe('ProjectX session', () => {
  it('logs in with userName and apiKey, then sends the bearer token', async () => {
    const { fake, c } = await setup();
    const report = await c.testConnection();
    expect(JSON.parse(logins(fake)[0]!.raw)).toEqual({ userName: USER, apiKey: API_KEY });
    expect(logins(fake)[0]!.authorization).toBeUndefined();
    const later = fake.requests.filter((r) => r.path !== '/api/Auth/loginKey');
    expect(later.every((r) => /^Bearer eyJ\./.test(r.authorization ?? ''))).toBe(true);
    // 7001 cannot trade, so the default is the first that can.
    expect(report).toMatchObject({
      account: { id: '7002', name: '50KTC-V2-7002', currency: 'USD' },
      permissions: { read: true, trade: true, withdraw: null },
    });
    expect(report.notes).toContain('simulated account');
  });

  it('uses the configured account, and refuses one that is not there', async () => {
    const { fake, c } = await setup({}, { accountId: '7001' });
    const r = await c.testConnection();
    expect(r.account.id).toBe('7001');
    expect(r.permissions.trade).toBe(false);
    const other = projectxDefinition.create({ ...fake.settings, accountId: '999' }, fake.secrets, {
      now: Date.now,
    });
    expect((await caught(other.testConnection()))?.kind).toBe('invalid');
  });

  it('wrong credentials are auth errors that never show the key', async () => {
    const { fake } = await setup();
    const bad = projectxDefinition.create(fake.settings, fake.badSecrets, { now: Date.now });
    const e = await caught(bad.openOrders());
    expect(e?.code).toBe('broker_auth_failed');
    expect(e?.brokerMessage).toMatch(/^3: /);
    expect(JSON.stringify({ m: e?.message, d: e?.details })).not.toContain('pxk_live');
  });

  it('measures clock skew from the Date header', async () => {
    const { c } = await setup({ now: () => Date.now() + 5_000 });
    const r = await c.testConnection();
    expect(r.skewMs).toBeGreaterThan(3_900);
    expect(r.skewMs).toBeLessThanOrEqual(5_100);
  });

  it('renews the token through validate before it expires, and logs in again once expired', async () => {
    let t = Date.parse('2026-12-01T12:00:00Z');
    const now = () => t;
    const { fake, c } = await setup({}, {}, now);
    await c.openOrders();
    const first = fake.requests.at(-1)!.authorization;
    t += 21 * 3_600_000;
    await c.openOrders();
    const validate = fake.requests.filter((r) => r.path === '/api/Auth/validate');
    expect(validate).toHaveLength(1);
    expect(validate[0]!.authorization).toBe(first);
    expect(fake.requests.at(-1)!.authorization).not.toBe(first);
    expect(logins(fake)).toHaveLength(1);
    // A day and more of silence: the token is dead at the gateway; validate gets 401.
    t += 30 * 3_600_000;
    await c.openOrders();
    expect(logins(fake)).toHaveLength(2);
  });

  it('a revoked token (401) logs in again and the call goes through once', async () => {
    const { fake, c } = await setup();
    await c.openOrders();
    fake.revokeTokens();
    const placedBefore = fake.orderCount();
    await c.place({
      clientOrderId: 'revoked-1',
      symbol: 'MNQ',
      side: 'buy',
      type: 'limit',
      qty: '1',
      price: '20000',
    });
    expect(fake.orderCount()).toBe(placedBefore + 1);
    expect(logins(fake)).toHaveLength(2);
    const places = fake.requests.filter((r) => r.path === '/api/Order/place').map((r) => r.status);
    expect(places).toEqual([401, 200]);
  });
});

describe('ProjectX rate limits', () => {
  it('a 429 is rate_limited with the Retry-After when the gateway sends one', async () => {
    const { fake, c } = await setup({ generalLimit: [4, 60_000], retryAfterSeconds: 7 });
    await c.openOrders(); // login, account, contracts, searchOpen = 4
    const e = await caught(c.openOrders());
    expect(e?.kind).toBe('rate_limited');
    expect(e?.retryAfterMs).toBe(7_000);
    expect(fake.requests.at(-1)?.status).toBe(429);
  });

  it("serves the port's candles from retrieveBars (minutes or hours)", async () => {
    const { fake, c } = await setup();
    const since = Date.parse('2026-12-01T14:00:00Z');
    const bars = await c.candles('MCLE', 60, since);
    expect(bars.length).toBeGreaterThan(0);
    const body = JSON.parse(fake.requests.at(-1)!.raw) as Record<string, unknown>;
    expect(body).toMatchObject({
      startTime: '2026-12-01T14:00:00.000Z',
      unit: 3,
      unitNumber: 1,
      includePartialBar: true,
    });
    await c.candles('MCLE', 15, since);
    expect(JSON.parse(fake.requests.at(-1)!.raw)).toMatchObject({ unit: 2, unitNumber: 15 });
  });

  it('bars have their own limit at the gateway, and come back as exact decimals', async () => {
    const { fake, c } = await setup({ historyLimit: [2, 30_000] });
    const req = {
      symbol: 'MCLE',
      startMs: Date.parse('2026-12-01T14:00:00Z'),
      endMs: Date.parse('2026-12-01T14:05:00Z'),
      unit: 2 as const,
      unitNumber: 1,
      limit: 3,
    };
    const bars = await c.bars(req);
    expect(bars).toHaveLength(3);
    expect(bars[1]).toMatchObject({
      open: '61.38',
      high: '61.39',
      low: '61.37',
      time: Date.parse('2026-12-01T14:01:00Z'),
    });
    expect(JSON.parse(fake.requests.at(-1)!.raw)).toEqual({
      contractId: 'CON.F.US.MCLE.F27',
      live: false,
      startTime: '2026-12-01T14:00:00.000Z',
      endTime: '2026-12-01T14:05:00.000Z',
      unit: 2,
      unitNumber: 1,
      limit: 3,
      includePartialBar: false,
    });
    await c.bars(req);
    expect((await caught(c.bars(req)))?.kind).toBe('rate_limited');
    await expect(c.openOrders()).resolves.toBeInstanceOf(Array);
  });
});

describe('ProjectX user hub', () => {
  const watch = (c: ProjectxConnector) => {
    const events: BrokerEvent[] = [];
    const stop = c.subscribe((e) => events.push(e));
    cleanup.push(async () => stop());
    const ups = () => events.filter((e) => e.type === 'connection' && e.state === 'up').length;
    return { events, ups };
  };

  for (const payloadShape of ['wrapped', 'bare'] as const) {
    it(`delivers orders, fills, positions and balances (${payloadShape} payloads)`, async () => {
      const { fake, c } = await setup({ payloadShape });
      const { events, ups } = watch(c);
      await until(() => ups() === 1);
      expect([...fake.hub.calls].sort()).toEqual([
        'SubscribeAccounts',
        'SubscribeOrders:7002',
        'SubscribePositions:7002',
        'SubscribeTrades:7002',
      ]);
      const placed = await c.place({
        clientOrderId: `hub-${payloadShape}`,
        symbol: 'MES',
        side: 'buy',
        type: 'limit',
        qty: '2',
        price: '5990.25',
      });
      await fake.fillPart(placed.orderId, 1);
      await until(() => events.some((e) => e.type === 'fill'));
      const fill = events.find((e) => e.type === 'fill');
      expect(fill).toMatchObject({
        fill: {
          orderId: placed.orderId,
          clientOrderId: `hub-${payloadShape}`,
          symbol: 'MES',
          side: 'buy',
          qty: '1',
          price: '5990.25',
          fee: '0.37',
          feeAsset: 'USD',
        },
      });
      await until(() =>
        events.some((e) => e.type === 'order' && e.order.status === 'partially_filled'),
      );
      await until(() => events.some((e) => e.type === 'position'));
      expect(events.find((e) => e.type === 'position')).toMatchObject({
        position: { symbol: 'MES', side: 'long', qty: '1', avgPrice: '5990.25' },
      });
      await until(() => events.some((e) => e.type === 'balances'));
      await c.cancel(placed.orderId);
      await c.closePosition('MES');
      await until(() => events.some((e) => e.type === 'position_closed' && e.symbol === 'MES'));
      await until(() =>
        events.some(
          (e) =>
            e.type === 'order' &&
            e.order.orderId === placed.orderId &&
            e.order.status === 'cancelled',
        ),
      );
    });
  }

  it('suspended bracket children (status 8) arrive as pending', async () => {
    const { fake, c } = await setup();
    const { events, ups } = watch(c);
    await until(() => ups() === 1);
    await c.place({
      clientOrderId: 'brk',
      symbol: 'MNQ',
      side: 'buy',
      type: 'limit',
      qty: '1',
      price: '20000',
      stopLoss: '19995',
    });
    await until(() => events.some((e) => e.type === 'order' && e.order.clientOrderId === 'brk-SL'));
    const child = events.find((e) => e.type === 'order' && e.order.clientOrderId === 'brk-SL');
    expect(child).toMatchObject({ order: { status: 'pending', side: 'sell', type: 'stop' } });
    expect(fake.book.children(Number((await c.findOrder('brk'))!.orderId))[0]?.status).toBe(8);
  });

  it('subscribes again after a drop, and events flow on the new connection', async () => {
    const { fake, c } = await setup();
    const { events, ups } = watch(c);
    await until(() => ups() === 1);
    fake.dropStreams();
    await until(() => events.some((e) => e.type === 'connection' && e.state === 'down'));
    await until(() => ups() === 2);
    expect(fake.hub.calls.filter((x) => x === 'SubscribeOrders:7002')).toHaveLength(2);
    const placed = await c.place({
      clientOrderId: 'after-drop',
      symbol: 'MNQ',
      side: 'buy',
      type: 'limit',
      qty: '1',
      price: '20000',
    });
    await until(() => events.some((e) => e.type === 'order' && e.order.orderId === placed.orderId));
  });

  it('a refused token on reconnect logs in again; reasons never carry the token', async () => {
    const { fake, c } = await setup();
    const { events, ups } = watch(c);
    await until(() => ups() === 1);
    fake.revokeTokens();
    fake.dropStreams();
    await until(() => ups() === 2, 10_000);
    expect(logins(fake).length).toBeGreaterThanOrEqual(2);
    const reasons = events.map((e) => (e.type === 'connection' ? (e.reason ?? '') : '')).join(' ');
    expect(reasons).not.toMatch(/eyJ\./);
  });

  it('a hub that goes silent counts as lost after hubTimeoutMs, and is replaced', async () => {
    const { fake, c } = await setup({ pingMs: 50 }, { hubTimeoutMs: '300' });
    const { events, ups } = watch(c);
    await until(() => ups() === 1);
    fake.hub.mute();
    await until(() => events.some((e) => e.type === 'connection' && e.state === 'down'));
    await until(() => ups() === 2, 10_000);
  });

  it('a GatewayLogout makes the connector log in again and reconnect', async () => {
    const { fake, c } = await setup();
    const { ups } = watch(c);
    await until(() => ups() === 1);
    const before = logins(fake).length;
    fake.hub.logout();
    await until(() => ups() === 2, 10_000);
    expect(logins(fake).length).toBe(before + 1);
  });

  it('the fake hub refuses a missing token, a wrong protocol and another user’s account', async () => {
    const { fake, c } = await setup();
    await c.openOrders();
    const token = /Bearer (.+)/.exec(fake.requests.at(-1)!.authorization!)![1]!;
    const hubUrl = fake.settings.hubUrl!.replace(/^http/, 'ws');
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(hubUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(refused).toBe(401);
    const talk = (first: string, then?: string) =>
      new Promise<string[]>((resolve) => {
        const got: string[] = [];
        const ws = new WebSocket(`${hubUrl}?access_token=${token}`);
        ws.on('open', () => ws.send(first));
        ws.on('message', (d) => {
          got.push(...d.toString().split('\u001e').filter(Boolean));
          if (then && got.length === 1) ws.send(then);
          if (!then || got.length >= 2) ws.close();
        });
        ws.on('close', () => resolve(got));
      });
    expect((await talk('{"protocol":"messagepack","version":1}\u001e'))[0]).toMatch(/error/);
    const answers = await talk(
      '{"protocol":"json","version":1}\u001e',
      '{"type":1,"invocationId":"0","target":"SubscribeOrders","arguments":[1234]}\u001e',
    );
    expect(answers[0]).toBe('{}');
    expect(JSON.parse(answers[1]!)).toMatchObject({
      type: 3,
      invocationId: '0',
      error: expect.stringMatching(/not yours/),
    });
  });
});
