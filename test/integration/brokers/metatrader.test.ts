import { afterEach, describe, expect, it } from 'vitest';
import { BrokerError } from '../../../src-main/connectors/broker/errors';
import type { BrokerConnector, BrokerEvent } from '../../../src-main/connectors/broker/port';
import { BridgeHub } from '../../../src-main/connectors/metatrader/hub';
import { SqliteBridgeStore } from '../../../src-main/features/accounts/bridge-store';
import { metatraderDefinition } from '../../../src-main/connectors/metatrader/definition';
import { brokerConformance } from '../../helpers/broker-conformance';
import {
  startMetaTraderRig,
  type MetaTraderRig,
  type RigOptions,
} from '../../fakes/metatrader/harness';

let hubForSuite: BridgeHub | undefined;

brokerConformance('MetaTrader bridge (MT5 EA)', {
  // The hub is the rig's; the definition reads it when the suite creates a connector.
  definition: {
    ...metatraderDefinition(undefined as unknown as BridgeHub),
    create: (settings, secrets, deps) =>
      metatraderDefinition(hubForSuite!).create(settings, secrets, deps),
  },
  start: async () => {
    const rig = await startMetaTraderRig();
    hubForSuite = rig.hub;
    return rig;
  },
  skip: {
    'refuses wrong credentials with broker_auth_failed':
      'the user enters no credentials; a wrong EA token is refused by the bridge routes (401), tested below',
    'an outage answers broker_unavailable, and the next call works':
      'reads come from the last heartbeat, so an outage lasts until the EA is back, not one request; tested below with an EA that goes and returns',
  },
});

/** Waits for a condition driven by the EA's loop (event-driven, no fixed sleeps). */
async function until<T>(probe: () => T | undefined | false, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const kindOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof BrokerError ? e.kind : String(e)),
  );

describe('MetaTrader bridge: connector ↔ EA over the bridge routes', () => {
  let rig: MetaTraderRig;
  let c: BrokerConnector;
  const open = async (o: RigOptions = {}) => {
    rig = await startMetaTraderRig(o);
    c = metatraderDefinition(rig.hub).create(rig.settings, {}, { now: Date.now });
  };
  afterEach(async () => {
    await c?.close();
    await rig?.close();
  });

  const limit = (clientOrderId: string, price = '1.05000') => ({
    clientOrderId,
    symbol: 'EURUSD',
    side: 'buy' as const,
    type: 'limit' as const,
    qty: '0.10',
    price,
  });

  it('reports the EA online with its terminal and account, offline once it says goodbye', async () => {
    await open();
    const r = await c.testConnection();
    expect(r.account).toEqual({
      id: '5012345',
      name: 'Demo Trader @ FakeBroker-Demo',
      currency: 'USD',
    });
    expect(r.permissions).toEqual({ read: true, trade: true, withdraw: null });
    expect(r.notes).toContain('demo account');
    await rig.ea.stop();
    const err = await c.testConnection().catch((e: unknown) => e as BrokerError);
    expect(err).toMatchObject({ kind: 'unavailable' });
    expect((err as BrokerError).message).toMatch(/EA offline since \d{4}-/);
    await expect(c.openOrders()).rejects.toMatchObject({ code: 'broker_unavailable' });
  });

  it('an EA that falls silent is offline after three heartbeats, and reads work once it is back', async () => {
    await open();
    const events: BrokerEvent[] = [];
    const stop = c.subscribe((e) => events.push(e));
    rig.ea.pauseFor(600);
    await until(() => events.some((e) => e.type === 'connection' && e.state === 'down'));
    await expect(c.positions()).rejects.toMatchObject({ kind: 'unavailable' });
    await until(() => rig.hub.status(rig.accountId).online);
    await expect(c.positions()).resolves.toEqual([]);
    expect(
      events.filter((e) => e.type === 'connection').map((e) => (e as { state: string }).state),
    ).toEqual(['up', 'down', 'up']);
    stop();
  });

  it('commands queued while the EA is offline run in order once it comes online', async () => {
    await open({ eaOffline: true });
    const a = kindOf(c.place(limit('q-1', '1.05000')));
    const b = kindOf(c.place(limit('q-2', '1.04000')));
    expect(await a).toBe('unknown_outcome');
    expect(await b).toBe('unknown_outcome');
    expect(rig.terminal.executions).toBe(0);
    await rig.ea.start();
    const first = await c.findOrder('q-1');
    const second = await c.findOrder('q-2');
    expect(first?.status).toBe('open');
    expect(second?.status).toBe('open');
    expect(BigInt(first!.orderId)).toBeLessThan(BigInt(second!.orderId));
    expect(rig.terminal.ordersCreated).toBe(2);
  });

  it('an EA that restarts mid-queue re-reports what it ran and never runs it twice', async () => {
    await open({ eaOffline: true, leaseMs: 150 });
    const body = (n: number) => ({
      action: 'open' as const,
      clientOrderId: `r-${n}`,
      comment: `r-${n}`,
      symbol: 'EURUSD',
      side: 'buy' as const,
      type: 'limit' as const,
      volume: '0.10',
      price: `1.0${n}000`,
    });
    const ids = [1, 2, 3].map((n) => rig.hub.enqueue(rig.accountId, body(n)).id);
    rig.ea.crashAfterNextExecute();
    await rig.ea.start();
    await until(() => rig.terminal.executions === 1 && !rig.hub.status(rig.accountId).online);
    expect(rig.hub.store.command(ids[0]!)?.status).toBe('sent'); // ran, never acknowledged
    await rig.restartEa();
    const outcomes = await Promise.all(ids.map((id) => rig.hub.result(id, 5_000)));
    expect(outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done']);
    expect(rig.terminal.executions).toBe(3);
    expect(rig.terminal.ordersCreated).toBe(3);
    expect(rig.terminal.orders.size).toBe(3);
  });

  it('an EA that dies inside OrderSend recovers the order by its comment, or says the outcome is unknown', async () => {
    await open({ leaseMs: 150 });
    rig.ea.crashDuringNextExecute('afterSend');
    expect(await kindOf(c.place(limit('mid-1')))).toBe('unknown_outcome');
    await rig.restartEa();
    const found = await c.findOrder('mid-1');
    expect(found).toMatchObject({ status: 'open', clientOrderId: 'mid-1' });
    expect(rig.terminal.orders.has(found!.orderId)).toBe(true);
    expect(rig.terminal.ordersCreated).toBe(1);

    rig.ea.crashDuringNextExecute('beforeSend');
    expect(await kindOf(c.place(limit('mid-2', '1.04000')))).toBe('unknown_outcome');
    await rig.restartEa();
    // The EA reports the outcome unknown (MT5 10012); the terminal shows no such order.
    expect(await c.findOrder('mid-2')).toBeNull();
    expect(await kindOf(c.place(limit('mid-2', '1.04000')))).toBe('unknown_outcome');
    expect(rig.terminal.ordersCreated).toBe(1);
  });

  it('a queued command past its expiry is expired and never handed out', async () => {
    await open({ eaOffline: true });
    const cmd = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' }, 30);
    const outcome = await rig.hub.result(cmd.id, 2_000);
    expect(outcome.status).toBe('expired');
    await rig.ea.start();
    await rig.ea.tick();
    expect(rig.terminal.executions).toBe(0);
    expect(rig.hub.store.command(cmd.id)?.status).toBe('expired');
  });

  it('a command handed out but lost in transit is refused by the EA once past its expiry', async () => {
    let offset = 0;
    await open({ eaOffline: true, leaseMs: 1_000, now: () => Date.now() + offset });
    const cmd = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' }, 5_000);
    // A poll whose answer never reached the EA: the hub marked it sent.
    const lost = await rig.app.inject({
      method: 'POST',
      url: '/bridge/mt/v1/poll',
      headers: { authorization: `Bearer ${rig.token}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(lost.json()).toMatchObject({ commands: [{ id: cmd.id }] });
    offset = 10_000; // past the lease and the expiry
    await rig.ea.start();
    const outcome = await rig.hub.result(cmd.id, 3_000);
    expect(outcome.status).toBe('expired');
    expect(rig.terminal.executions).toBe(0);
  });

  it('stop and stop-limit orders carry their trigger and limit both ways', async () => {
    await open();
    const placed = await c.place({
      clientOrderId: 'sl-1',
      symbol: 'EURUSD',
      side: 'buy',
      type: 'stop_limit',
      qty: '0.10',
      price: '1.19990',
      stopPrice: '1.20000',
    });
    const held = rig.terminal.orders.get(placed.orderId);
    expect(held).toMatchObject({ type: 'stop_limit', price: '1.19990', stopPrice: '1.20000' });
    await c.place({
      clientOrderId: 'st-1',
      symbol: 'EURUSD',
      side: 'sell',
      type: 'stop',
      qty: '0.10',
      stopPrice: '1.09000',
    });
    await until(() => rig.hub.status(rig.accountId).heartbeat?.orders.length === 2);
    const listed = await c.openOrders();
    expect(listed.find((o) => o.clientOrderId === 'sl-1')).toMatchObject({
      type: 'stop_limit',
      price: '1.19990',
      stopPrice: '1.20000',
    });
    expect(listed.find((o) => o.clientOrderId === 'st-1')).toMatchObject({
      type: 'stop',
      price: null,
      stopPrice: '1.09000',
    });
  });

  it('a lost result: place is unknown_outcome, findOrder waits for the re-report, one order only', async () => {
    await open();
    rig.loseNextPlaceAnswer();
    expect(await kindOf(c.place(limit('lost-1')))).toBe('unknown_outcome');
    const found = await c.findOrder('lost-1');
    expect(found).toMatchObject({ clientOrderId: 'lost-1', status: 'open' });
    // A retry with the same client id answers the same order.
    const again = await c.place(limit('lost-1'));
    expect(again.orderId).toBe(found!.orderId);
    expect(rig.terminal.ordersCreated).toBe(1);
  });

  it('a new connector (and a new hub over the same database) finds orders by client id', async () => {
    await open();
    const placed = await c.place(limit('restart-1'));
    const fresh = metatraderDefinition(rig.hub).create(rig.settings, {}, { now: Date.now });
    expect((await fresh.findOrder('restart-1'))?.orderId).toBe(placed.orderId);
    await fresh.close();
    const hub2 = new BridgeHub({ store: new SqliteBridgeStore(rig.db) });
    const afterRestart = metatraderDefinition(hub2).create(rig.settings, {}, { now: Date.now });
    expect((await afterRestart.findOrder('restart-1'))?.orderId).toBe(placed.orderId);
    expect(await afterRestart.findOrder('never-placed')).toBeNull();
  });

  it('market orders fill into positions; closing realises them', async () => {
    await open();
    const events: BrokerEvent[] = [];
    const stop = c.subscribe((e) => events.push(e));
    const o = await c.place({
      clientOrderId: 'mkt-1',
      symbol: 'EURUSD',
      side: 'buy',
      type: 'market',
      qty: '0.20',
    });
    expect(o).toMatchObject({ status: 'filled', filledQty: '0.20', avgPrice: '1.10010' });
    await until(() => events.find((e) => e.type === 'fill' && e.fill.orderId === o.orderId));
    const positions = await c.positions();
    expect(positions).toEqual([
      expect.objectContaining({
        symbol: 'EURUSD',
        side: 'long',
        qty: '0.20',
        positionId: o.orderId,
      }),
    ]);
    const close = await c.closePosition('EURUSD', '0.05');
    expect(close).toMatchObject({ side: 'sell', status: 'filled', avgPrice: '1.10000' });
    await until(() => rig.hub.status(rig.accountId).heartbeat?.positions[0]?.volume === '0.15');
    await c.closePosition('EURUSD');
    await until(() => events.find((e) => e.type === 'position_closed'));
    expect(await c.positions()).toEqual([]);
    stop();
  });

  it('maps the terminal refusals to broker error kinds', async () => {
    await open();
    rig.terminal.failNext(10019, 'No money');
    const noMoney = await c.place(limit('rj-1')).catch((e: unknown) => e as BrokerError);
    expect(noMoney).toMatchObject({ kind: 'rejected', brokerMessage: 'retcode 10019' });
    expect(await c.findOrder('rj-1')).toMatchObject({ status: 'rejected', reason: 'No money' });
    expect(await kindOf(c.place({ ...limit('rj-2'), qty: '0.015' }))).toBe('invalid');
    expect(await kindOf(c.place({ ...limit('rj-3'), price: '1.20000' }))).toBe('invalid'); // buy limit above ask
    expect(await kindOf(c.place({ ...limit('rj-4'), symbol: 'NOPE' }))).toBe('invalid');
    expect(await kindOf(c.place({ ...limit('rj-8'), price: '1e5' }))).toBe('invalid');
    expect(await kindOf(c.cancel('not-a-ticket'))).toBe('invalid');
    expect(await kindOf(c.amend({ orderId: '1' }))).toBe('invalid');
    rig.terminal.failNext(10024, 'Too many requests');
    expect(await kindOf(c.place(limit('rj-5')))).toBe('rate_limited');
    rig.terminal.tradeAllowed = false;
    expect(await kindOf(c.place(limit('rj-6')))).toBe('permission');
    rig.terminal.tradeAllowed = true;
    rig.terminal.connected = false;
    expect(await kindOf(c.place(limit('rj-7')))).toBe('unavailable');
    rig.terminal.connected = true;
    expect(rig.terminal.ordersCreated).toBe(0);
  });

  it('cancel of a filled order and amend of the volume are refused; amend moves the price', async () => {
    await open();
    const o = await c.place(limit('am-1'));
    const moved = await c.amend({ orderId: o.orderId, price: '1.04500' });
    expect(moved.price).toBe('1.04500');
    await until(() => rig.hub.status(rig.accountId).heartbeat?.orders[0]?.price === '1.04500');
    expect((await c.openOrders())[0]).toMatchObject({
      orderId: o.orderId,
      price: '1.04500',
      clientOrderId: 'am-1',
    });
    expect(await kindOf(c.amend({ orderId: o.orderId, qty: '0.2' }))).toBe('invalid');
    await rig.fill(o.orderId);
    expect(await kindOf(c.cancel(o.orderId))).toBe('invalid');
    expect(await c.findOrder('am-1')).toMatchObject({ status: 'filled', filledQty: '0.10' });
  });

  it('cancels all pending orders of a symbol', async () => {
    await open();
    await c.place(limit('ca-1'));
    await c.place(limit('ca-2', '1.04000'));
    expect(await c.cancelAll('EURUSD')).toBe(2);
    expect(await c.openOrders()).toEqual([]);
  });

  it('a partial market fill reports partially_filled with the filled volume', async () => {
    await open();
    rig.terminal.fillPartiallyNext();
    const o = await c.place({
      clientOrderId: 'pf-1',
      symbol: 'EURUSD',
      side: 'sell',
      type: 'market',
      qty: '0.30',
    });
    expect(o).toMatchObject({ status: 'partially_filled', filledQty: '0.15', qty: '0.30' });
  });

  it('lists instruments with the symbol suffix removed', async () => {
    await open({ settings: { symbolSuffix: '.r' } });
    rig.terminal.addSymbol({
      name: 'GBPUSD.r',
      digits: 5,
      bid: '1.25000',
      ask: '1.25010',
      forex: true,
    });
    await rig.restartEa(); // symbols are sent on the EA's first heartbeat
    const list = await c.instruments();
    expect(list.find((i) => i.symbol === 'GBPUSD')).toMatchObject({
      venueId: 'GBPUSD.r',
      tickSize: '0.00001',
      lotSize: '0.01',
      minQty: '0.01',
      kind: 'forex',
    });
    const placed = await c.place({ ...limit('sfx-1', '1.20000'), symbol: 'GBPUSD' });
    expect(placed.symbol).toBe('GBPUSD');
    expect(rig.terminal.orders.get(placed.orderId)?.symbol).toBe('GBPUSD.r');
  });

  it('refuses more commands than the queue holds with rate_limited', async () => {
    await open({ eaOffline: true });
    for (let i = 0; i < 200; i++) rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    expect(await kindOf(c.cancelAll())).toBe('rate_limited');
  });

  it('MT4: its own error numbers, and no stop-limit orders', async () => {
    await open({ platform: 'MT4' });
    const o = await c.place(limit('mt4-1'));
    expect(o.status).toBe('open');
    rig.terminal.failNext(134, 'not enough money');
    expect(await kindOf(c.place(limit('mt4-2')))).toBe('rejected');
    rig.terminal.failNext(6, 'no connection');
    expect(await kindOf(c.place(limit('mt4-3')))).toBe('unavailable');
    expect(await kindOf(c.place({ ...limit('mt4-4'), type: 'stop_limit', stopPrice: '1.2' }))).toBe(
      'invalid',
    );
  });
});

describe('MetaTrader bridge routes: authentication and strict bodies', () => {
  let rig: MetaTraderRig;
  afterEach(async () => {
    await rig?.close();
  });
  const post = (path: string, body: unknown, token?: string) =>
    rig.app.inject({
      method: 'POST',
      url: `/bridge/mt/v1/${path}`,
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      payload: JSON.stringify(body),
    });
  const terminals = () =>
    (rig.db.sqlite.prepare('SELECT count(*) AS n FROM bridge_terminals').get() as { n: number }).n;
  const heartbeat = () => {
    const snap = rig.terminal.snapshot();
    return {
      ea: { version: '1.0.0', platform: 'MT5', build: 4620, heartbeatMs: 5000, pollMs: 1000 },
      terminal: {
        company: 'X',
        name: 'MetaTrader 5',
        connected: true,
        tradeAllowed: true,
        gmtTime: 1_765_000_000,
      },
      account: snap.account,
      positions: [],
      orders: [],
    };
  };

  it('a wrong or missing token answers 401 problem+json and stores nothing', async () => {
    rig = await startMetaTraderRig({ eaOffline: true });
    for (const token of [undefined, 'mtb_wrong-token-000000000000', rig.token.slice(0, -1) + 'x']) {
      const res = await post('heartbeat', heartbeat(), token);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    }
    expect(terminals()).toBe(0);
    expect((await post('heartbeat', heartbeat(), rig.token)).statusCode).toBe(200);
    expect(terminals()).toBe(1);
  });

  it('an address that keeps sending wrong tokens is refused before any lookup', async () => {
    rig = await startMetaTraderRig({ eaOffline: true });
    let lookups = 0;
    const app = (await import('fastify')).default({ logger: false });
    (await import('../../../src-main/transports/bridge/routes')).registerBridgeRoutes(app, {
      hub: rig.hub,
      accountForToken: () => {
        lookups++;
        return null;
      },
      failuresPerMinute: 3,
    });
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/bridge/mt/v1/poll',
        headers: {
          authorization: 'Bearer mtb_guess-guess-guess-guess',
          'content-type': 'application/json',
        },
        payload: '{}',
      });
    for (let i = 0; i < 3; i++) expect((await send()).statusCode).toBe(401);
    const refused = await send();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(lookups).toBe(3);
    await app.close();
  });

  it('malformed bodies answer 400 naming the field, and nothing is stored', async () => {
    rig = await startMetaTraderRig({ eaOffline: true });
    const hb = heartbeat();
    const cases: [string, unknown, string][] = [
      ['heartbeat', { ...hb, account: { ...hb.account, balance: 10000.5 } }, 'account.balance'],
      ['heartbeat', { ...hb, account: { ...hb.account, balance: '1e5' } }, 'account.balance'],
      ['heartbeat', { ...hb, extra: 1 }, 'extra'],
      ['heartbeat', { ...hb, ea: { ...hb.ea, platform: 'MT6' } }, 'ea.platform'],
      ['heartbeat', { ...hb, positions: [{ ticket: '1' }] }, 'positions.0.symbol'],
      ['poll', { max: 99 }, 'max'],
      ['ack', { results: [] }, 'results'],
      [
        'ack',
        { results: [{ id: 'x', result: { ok: true, retcode: 10009, message: '' } }] },
        'results.0.result.executedAt',
      ],
    ];
    for (const [path, body, field] of cases) {
      const res = await post(path, body, rig.token);
      expect(res.statusCode, `${path} ${field}`).toBe(400);
      const fields = (res.json() as { details: { fields: { field: string }[] } }).details.fields;
      expect(fields.map((f) => f.field)).toContain(field);
    }
    const notJson = await rig.app.inject({
      method: 'POST',
      url: '/bridge/mt/v1/heartbeat',
      headers: { authorization: `Bearer ${rig.token}`, 'content-type': 'application/json' },
      payload: '{"ea":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(terminals()).toBe(0);
  });

  it('acks are idempotent: a second ack of an id is accepted and ignored; unknown ids say so', async () => {
    rig = await startMetaTraderRig({ eaOffline: true });
    const cmd = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    const polled = await post('poll', {}, rig.token);
    expect(polled.json()).toMatchObject({
      commands: [{ id: cmd.id, action: 'cancel_all', seq: 1 }],
    });
    const result = {
      ok: true,
      retcode: 10009,
      message: 'done',
      count: 0,
      executedAt: 1_765_000_000,
    };
    const first = await post('ack', { results: [{ id: cmd.id, result }] }, rig.token);
    expect(first.json()).toEqual({ results: [{ id: cmd.id, status: 'recorded' }] });
    const second = await post(
      'ack',
      { results: [{ id: cmd.id, result: { ...result, count: 9 } }] },
      rig.token,
    );
    expect(second.json()).toEqual({ results: [{ id: cmd.id, status: 'duplicate' }] });
    expect(rig.hub.store.command(cmd.id)?.result?.count).toBe(0);
    const unknown = await post('ack', { results: [{ id: 'nope', result }] }, rig.token);
    expect(unknown.json()).toEqual({ results: [{ id: 'nope', status: 'unknown' }] });
  });
});
