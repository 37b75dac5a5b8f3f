import { afterEach, describe, expect, it } from 'vitest';
import type { TradelockerConnector } from '../../../src-main/connectors/tradelocker';
import { tradelockerDefinition } from '../../../src-main/connectors/tradelocker';
import type { BrokerDeps } from '../../../src-main/connectors/broker/port';
import type { BrokerError } from '../../../src-main/connectors/broker/errors';
import { startTradelockerFake, type TradelockerFakeHandle } from '../../fakes/tradelocker';
import type { FakeTradelockerOptions } from '../../fakes/tradelocker/server';

/**
 * TradeLocker's session against the strict fake: login, refresh and re-login with a shared
 * injected clock, the accNum header rules, account choice, rate limits and outages.
 */
const MIN = 60_000;
let handle: TradelockerFakeHandle | null = null;
const open: TradelockerConnector[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await handle?.close();
  handle = null;
});

async function setup(
  opts: FakeTradelockerOptions = {},
  settings: Record<string, string> = {},
  deps: Partial<BrokerDeps> = {},
) {
  handle = await startTradelockerFake(opts);
  const make = (more: Record<string, string> = {}, secrets = handle!.secrets) => {
    const c = tradelockerDefinition.create({ ...handle!.settings, ...settings, ...more }, secrets, {
      now: opts.now ?? Date.now,
      ...deps,
    }) as TradelockerConnector;
    open.push(c);
    return c;
  };
  return { fake: handle.fake, make, c: make() };
}

function manualClock() {
  let t = Date.parse('2026-12-06T04:00:00Z');
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TradeLocker login and tokens', () => {
  it('logs in with email, password and server, lists accounts without accNum, then sends accNum on every /trade call', async () => {
    const { fake, c } = await setup();
    await c.openOrders();
    const login = fake.requests.find((r) => r.path.endsWith('/auth/jwt/token'))!;
    expect(JSON.parse(login.body)).toEqual({
      email: 'trader@example.com',
      password: 'correct-horse-42',
      server: 'KOT-DEMO',
    });
    const all = fake.requests.find((r) => r.path.endsWith('/auth/jwt/all-accounts'))!;
    expect(all.accNum).toBeUndefined();
    const trade = fake.requests.filter((r) => r.path.includes('/trade/'));
    expect(trade.length).toBeGreaterThan(0);
    expect(trade.every((r) => r.accNum === '1')).toBe(true);
  });

  it('the fake refuses an accNum on all-accounts and a /trade call without one', async () => {
    const { fake, c } = await setup();
    await c.testConnection();
    const token = (
      (await await fetch(`${fake.baseUrl}/auth/jwt/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'trader@example.com',
          password: 'correct-horse-42',
          server: 'KOT-DEMO',
        }),
      }).then((r) => r.json())) as { accessToken: string }
    ).accessToken;
    const withAccNum = await fetch(`${fake.baseUrl}/auth/jwt/all-accounts`, {
      headers: { authorization: `Bearer ${token}`, accNum: '1' },
    });
    expect(withAccNum.status).toBe(400);
    const without = await fetch(`${fake.baseUrl}/trade/accounts/712001/orders`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(without.status).toBe(400);
    expect(await without.json()).toEqual({ s: 'error', errmsg: 'accNum header is required' });
  });

  it('picks the account named by accountId (its accNum), and refuses an unknown one', async () => {
    const { fake, make } = await setup();
    const second = make({ accountId: '712002' });
    const report = await second.testConnection();
    expect(report.account).toEqual({ id: '712002', name: 'Demo 2', currency: 'USD' });
    expect(
      fake.requests.filter((r) => r.path.includes('/trade/')).every((r) => r.accNum === '2'),
    ).toBe(true);
    const wrong = make({ accountId: '999' });
    await expect(wrong.testConnection()).rejects.toMatchObject({ code: 'broker_invalid_request' });
  });

  it('refuses a wrong server name as an auth failure, without the password in the error', async () => {
    const { make } = await setup();
    const err = (await make({ server: 'NOPE-DEMO' })
      .testConnection()
      .catch((e: unknown) => e)) as BrokerError;
    expect(err.kind).toBe('auth');
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain('correct-horse-42');
  });

  it('refreshes the access token when less than 30 minutes are left, once for concurrent calls', async () => {
    const clock = manualClock();
    const { fake, c } = await setup({ now: clock.now, accessTtlMs: 60 * MIN });
    await c.openOrders();
    expect(fake.stats).toMatchObject({ logins: 1, refreshes: 0 });
    clock.advance(25 * MIN);
    await c.openOrders();
    expect(fake.stats.refreshes).toBe(0);
    clock.advance(10 * MIN); // 25 min left
    await Promise.all([c.openOrders(), c.positions(), c.openOrders(), c.balances()]);
    expect(fake.stats).toMatchObject({ logins: 1, refreshes: 1 });
    // The used refresh token is single-use: the next refresh must carry the new one.
    clock.advance(40 * MIN);
    await c.openOrders();
    expect(fake.stats).toMatchObject({ logins: 1, refreshes: 2 });
  });

  it('logs in again when the refresh token has expired', async () => {
    const clock = manualClock();
    const { fake, c } = await setup({
      now: clock.now,
      accessTtlMs: 60 * MIN,
      refreshTtlMs: 45 * MIN,
    });
    await c.openOrders();
    clock.advance(50 * MIN);
    await c.openOrders();
    expect(fake.stats).toMatchObject({ logins: 2, refreshes: 0 });
  });

  it('after a server-side logout, a refused call re-authenticates (refresh refused → login) and goes through once', async () => {
    const { fake, c } = await setup();
    await c.openOrders();
    fake.revokeSessions();
    await expect(c.openOrders()).resolves.toBeInstanceOf(Array);
    expect(fake.stats.logins).toBe(2);
  });

  it('concurrent calls refused after a server-side logout share one new login', async () => {
    const { fake, c } = await setup();
    await c.openOrders();
    fake.revokeSessions();
    const results = await Promise.all([
      c.openOrders(),
      c.positions(),
      c.balances(),
      c.openOrders(),
    ]);
    expect(results).toHaveLength(4);
    expect(fake.stats.logins).toBe(2);
  });

  it('concurrent first calls share one login', async () => {
    const { fake, c } = await setup();
    await Promise.all([c.openOrders(), c.positions(), c.balances(), c.openOrders()]);
    expect(fake.stats.logins).toBe(1);
    expect(fake.requests.filter((r) => r.path.endsWith('/trade/config'))).toHaveLength(1);
  });

  it('reports clock skew from the Date header', async () => {
    const { c } = await setup({ now: () => Date.now() + 120_000 }, {}, { now: Date.now });
    const { skewMs } = await c.serverTime();
    expect(skewMs).toBeGreaterThan(118_000);
    expect(skewMs).toBeLessThan(122_000);
  });
});

describe('TradeLocker balances and account state', () => {
  it('reads balance and available funds by column name', async () => {
    const { c } = await setup({ amountStyle: 'number' });
    expect(await c.balances()).toEqual([{ asset: 'USD', total: '10000', available: '10000' }]);
  });
});

describe('TradeLocker rate limits and outages', () => {
  it('models /trade/config rateLimits per route so the fake never has to refuse', async () => {
    const rateLimits = [
      { rateLimitType: 'GET_ORDERS', measure: 'SECONDS' as const, intervalNum: 1, limit: 2 },
    ];
    const { fake, c } = await setup({ rateLimits });
    const started = Date.now();
    for (let i = 0; i < 3; i++) await c.openOrders();
    expect(fake.stats.rateLimited).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('maps the broker’s 429 to rate_limited with Retry-After', async () => {
    const { fake, c } = await setup();
    await c.openOrders();
    fake.rateLimitNext();
    const err = (await c.openOrders().catch((e: unknown) => e)) as BrokerError;
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(1000);
  });

  it('recognises a rate-limit refusal sent with another status by its errmsg', async () => {
    const { fake, c } = await setup({ rateLimitStatus: 403 });
    await c.openOrders();
    fake.rateLimitNext();
    await expect(c.openOrders()).rejects.toMatchObject({ code: 'broker_rate_limited' });
  });

  it('a 5xx on a read is unavailable, on a place an unknown outcome', async () => {
    const { fake, c } = await setup();
    await c.instruments();
    fake.failNextRequest();
    await expect(c.positions()).rejects.toMatchObject({ code: 'broker_unavailable' });
    fake.failNextRequest();
    const err = (await c
      .place({
        clientOrderId: 'fail-5xx',
        symbol: 'EURUSD',
        side: 'buy',
        type: 'limit',
        qty: '0.01',
        price: '1.07',
      })
      .catch((e: unknown) => e)) as BrokerError;
    expect(err.kind).toBe('unknown_outcome');
  });

  it('a read that times out is unavailable (nothing changed at the broker)', async () => {
    const { fake, c } = await setup();
    await c.openOrders();
    fake.holdNextRequest();
    await expect(c.openOrders()).rejects.toMatchObject({ code: 'broker_unavailable' });
  });

  it('a login that cannot reach the host is unavailable', async () => {
    const { make, fake } = await setup();
    await fake.close();
    await expect(make().testConnection()).rejects.toMatchObject({ code: 'broker_unavailable' });
  });
});
