import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerConnector, BrokerEvent } from '../../../src-main/connectors/broker/port';
import { metatraderDefinition } from '../../../src-main/connectors/metatrader/definition';
import { registerBridgeRoutes } from '../../../src-main/transports/bridge/routes';
import {
  startMetaTraderRig,
  type MetaTraderRig,
  type RigOptions,
} from '../../fakes/metatrader/harness';

/** Waits for a condition driven by the server or the EA (event-driven, no fixed sleeps). */
async function until<T>(probe: () => T | undefined | false, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Long enough that a passing test never waits it out: the wake is what answers. */
const LONG = 20_000;

/** Awaits an answer that a wake must bring, not the end of its `LONG` wait. */
async function woken<T>(answer: Promise<T>): Promise<T> {
  const started = Date.now();
  const value = await answer;
  expect(Date.now() - started).toBeLessThan(LONG / 4);
  return value;
}

interface PollAnswer {
  status: number;
  body: { serverTime: number; commands: { id: string }[] };
}

describe('MetaTrader bridge long-poll over HTTP', () => {
  let rig: MetaTraderRig;
  let c: BrokerConnector | undefined;
  const open = async (o: RigOptions = {}) => {
    rig = await startMetaTraderRig({ eaOffline: true, ...o });
  };
  afterEach(async () => {
    await c?.close();
    c = undefined;
    await rig?.close();
  });

  const poll = async (body: unknown, signal?: AbortSignal): Promise<PollAnswer> => {
    const res = await fetch(`${rig.baseUrl}/bridge/mt/v1/poll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${rig.token}` },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
    return { status: res.status, body: (await res.json()) as PollAnswer['body'] };
  };
  const held = () => rig.hub.holding(rig.accountId);

  it('a held poll is answered as soon as a command is queued, with the lease taken then', async () => {
    await open();
    const answer = poll({ waitMs: LONG });
    await until(held);
    const cmd = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    const { status, body } = await woken(answer);
    expect(status).toBe(200);
    expect(body.commands.map((x) => x.id)).toEqual([cmd.id]);
    expect(rig.hub.store.command(cmd.id)?.status).toBe('sent');
    expect(held()).toBe(false);
  });

  it('answers empty once waitMs passes; without waitMs it answers at once as before', async () => {
    await open();
    const started = Date.now();
    expect((await poll({ waitMs: 50 })).body.commands).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const cmd = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    expect((await poll({})).body.commands.map((x) => x.id)).toEqual([cmd.id]);
  });

  it("a second poll answers the first at once, empty (a restarted EA is not starved by its predecessor's request)", async () => {
    await open();
    const first = poll({ waitMs: LONG });
    await until(held);
    const second = poll({ waitMs: LONG });
    expect(await woken(first)).toMatchObject({ status: 200, body: { commands: [] } });
    await until(held);
    const cmd = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    expect((await woken(second)).body.commands.map((x) => x.id)).toEqual([cmd.id]);
  });

  it('a client that goes away while held is dropped: no lease is taken for it', async () => {
    await open();
    const gone = new AbortController();
    const answer = poll({ waitMs: LONG }, gone.signal).catch((e: unknown) => e);
    await until(held);
    gone.abort();
    expect(await answer).toBeInstanceOf(Error);
    await until(() => !held());
    const cmd = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    expect(rig.hub.store.command(cmd.id)?.status).toBe('queued');
    expect((await poll({})).body.commands.map((x) => x.id)).toEqual([cmd.id]);
  });

  it('refuses a bad waitMs with 400 problem+json naming the field, and holds nothing', async () => {
    await open();
    for (const waitMs of [-1, 25_001, 1.5, '100', null]) {
      const res = await rig.app.inject({
        method: 'POST',
        url: '/bridge/mt/v1/poll',
        headers: { authorization: `Bearer ${rig.token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ waitMs }),
      });
      expect(res.statusCode, String(waitMs)).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.json() as { code: string; details: { fields: { field: string }[] } };
      expect(problem.code).toBe('validation_failed');
      expect(problem.details.fields.map((f) => f.field)).toContain('waitMs');
    }
    expect(held()).toBe(false);
    const longest = poll({ waitMs: 25_000, max: 1 });
    await until(held);
    rig.hub.release(rig.accountId);
    expect((await woken(longest)).status).toBe(200);
  });

  it('closing the server answers held polls at once instead of waiting them out', async () => {
    await open();
    const answer = poll({ waitMs: LONG });
    await until(held);
    const started = Date.now();
    await rig.app.close();
    expect(await woken(answer)).toMatchObject({ status: 200, body: { commands: [] } });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('the connector closing (account disabled, deleted, re-set up) answers the held poll empty', async () => {
    await open();
    c = metatraderDefinition(rig.hub).create(rig.settings, {}, { now: Date.now });
    const answer = poll({ waitMs: LONG });
    await until(held);
    await c.close();
    expect(await woken(answer)).toMatchObject({ status: 200, body: { commands: [] } });
  });

  it('the EA long-polls: a command reaches it at once although its timer is slow', async () => {
    await open({ eaOffline: false, pollMs: 5_000 });
    c = metatraderDefinition(rig.hub).create(rig.settings, {}, { now: Date.now });
    await until(held);
    // resultTimeoutMs is 300: a plain poll every 5 s would leave the outcome unknown.
    const placed = await c.place({
      clientOrderId: 'lp-1',
      symbol: 'EURUSD',
      side: 'buy',
      type: 'limit',
      qty: '0.10',
      price: '1.05000',
    });
    expect(placed.status).toBe('open');
    expect(rig.ea.polls.some((p) => (p.waitMs ?? 0) > 0)).toBe(true);
    // Capped at the time left to the next heartbeat (100 ms), so heartbeats stay on time.
    expect(rig.ea.polls.every((p) => (p.waitMs ?? 0) <= 100)).toBe(true);
    expect(rig.hub.status(rig.accountId).online).toBe(true);
  });

  it('an EA without long-poll polls as before (no waitMs) and still trades', async () => {
    await open({ eaOffline: false, longPollMs: 0 });
    c = metatraderDefinition(rig.hub).create(rig.settings, {}, { now: Date.now });
    const placed = await c.place({
      clientOrderId: 'pp-1',
      symbol: 'EURUSD',
      side: 'buy',
      type: 'limit',
      qty: '0.10',
      price: '1.05000',
    });
    expect(placed.status).toBe('open');
    expect(rig.ea.polls.length).toBeGreaterThan(0);
    expect(rig.ea.polls.every((p) => p.waitMs === undefined)).toBe(true);
  });
});

describe('MetaTrader bridge long-poll: a token revoked while the poll is held', () => {
  let rig: MetaTraderRig;
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
    await rig?.close();
  });

  it('answers 401 instead of handing out the command, and takes no lease', async () => {
    rig = await startMetaTraderRig({ eaOffline: true });
    let valid = true;
    app = Fastify({ logger: false });
    registerBridgeRoutes(app, {
      hub: rig.hub,
      accountForToken: (t) => (valid && t === rig.token ? rig.accountId : null),
    });
    const answer = app.inject({
      method: 'POST',
      url: '/bridge/mt/v1/poll',
      headers: { authorization: `Bearer ${rig.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ waitMs: LONG }),
    });
    await until(() => rig.hub.holding(rig.accountId));
    valid = false; // the account was disabled
    const cmd = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    const res = await woken(answer);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'unauthenticated' });
    expect(rig.hub.store.command(cmd.id)?.status).toBe('queued');
  });
});

describe('MetaTrader positions carry the terminal current price', () => {
  let rig: MetaTraderRig;
  let c: BrokerConnector;
  afterEach(async () => {
    await c?.close();
    await rig?.close();
  });

  const buy = () =>
    c.place({
      clientOrderId: `mp-${Math.random()}`,
      symbol: 'EURUSD',
      side: 'buy',
      type: 'market',
      qty: '0.20',
    });

  it('priceCurrent becomes markPrice, in reads and in position events as the market moves', async () => {
    rig = await startMetaTraderRig();
    c = metatraderDefinition(rig.hub).create(rig.settings, {}, { now: Date.now });
    const events: BrokerEvent[] = [];
    const stop = c.subscribe((e) => events.push(e));
    await buy();
    await until(() => rig.hub.status(rig.accountId).heartbeat?.positions.length);
    expect(await c.positions()).toEqual([
      expect.objectContaining({
        avgPrice: '1.10010',
        markPrice: '1.10000',
        unrealisedPnl: '-2.00',
      }),
    ]);
    await rig.movePrice('EURUSD', '1.10250');
    const moved = await until(() =>
      events.find((e) => e.type === 'position' && e.position.markPrice === '1.10250'),
    );
    expect(moved).toMatchObject({ position: { symbol: 'EURUSD', unrealisedPnl: '48.00' } });
    expect((await c.positions())[0]).toMatchObject({ markPrice: '1.10250' });
    stop();
  });

  it('an EA before 1.1 sends no priceCurrent: no markPrice, and the heartbeat is still accepted', async () => {
    rig = await startMetaTraderRig({ eaOffline: true });
    rig.terminal.reportsPriceCurrent = false;
    await rig.ea.start();
    c = metatraderDefinition(rig.hub).create(rig.settings, {}, { now: Date.now });
    await buy();
    await until(() => rig.hub.status(rig.accountId).heartbeat?.positions.length);
    const [position] = await c.positions();
    expect(position).toMatchObject({ symbol: 'EURUSD', qty: '0.20' });
    expect(position).not.toHaveProperty('markPrice');
  });

  it('refuses a priceCurrent that is not a decimal string', async () => {
    rig = await startMetaTraderRig({ eaOffline: true });
    await rig.ea.start();
    c = metatraderDefinition(rig.hub).create(rig.settings, {}, { now: Date.now });
    await buy();
    await until(() => rig.hub.status(rig.accountId).heartbeat?.positions.length);
    rig.ea.crash();
    const hb = rig.hub.status(rig.accountId).heartbeat!;
    expect(hb.positions[0]?.priceCurrent).toBe('1.10000');
    for (const priceCurrent of [1.1, '1e5', '', null]) {
      const res = await rig.app.inject({
        method: 'POST',
        url: '/bridge/mt/v1/heartbeat',
        headers: { authorization: `Bearer ${rig.token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ ...hb, positions: [{ ...hb.positions[0], priceCurrent }] }),
      });
      expect(res.statusCode, String(priceCurrent)).toBe(400);
      const fields = (res.json() as { details: { fields: { field: string }[] } }).details.fields;
      expect(fields.map((f) => f.field)).toContain('positions.0.priceCurrent');
    }
  });
});
