import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BrokerConnector } from '../../../src-main/connectors/broker/port';
import { metatraderDefinition } from '../../../src-main/connectors/metatrader/definition';
import {
  startMetaTraderRig,
  type MetaTraderRig,
  type RigOptions,
} from '../../fakes/metatrader/harness';
import { heartbeatBody } from '../../fakes/metatrader/heartbeat';

/**
 * EA 1.2 hands the results of the commands it ran in with its next poll: a burst costs the EA
 * one round trip per batch (results in, next commands out) instead of an ack, a heartbeat and a
 * poll. The 1.1 EA's separate `/ack` still works.
 */
describe('MetaTrader bridge: results on the next poll', () => {
  let rig: MetaTraderRig;
  let c: BrokerConnector | undefined;
  const open = async (o: RigOptions = {}) => {
    rig = await startMetaTraderRig(o);
    c = metatraderDefinition(rig.hub).create(rig.settings, {}, { now: Date.now });
  };
  afterEach(async () => {
    await c?.close();
    c = undefined;
    await rig?.close();
  });

  const burst = (n: number, prefix: string) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        c!.place({
          clientOrderId: `${prefix}-${i}`,
          symbol: 'EURUSD',
          side: 'buy',
          type: 'limit',
          qty: '0.10',
          price: '1.05000',
        }),
      ),
    );

  it('a burst is placed once each, acknowledged through polls, with no /ack', async () => {
    await open();
    const placed = await burst(6, 'b');
    expect(placed.map((p) => p.status)).toEqual(Array(6).fill('open'));
    expect(rig.terminal.orders.size).toBe(6);
    expect(rig.ea.acks).toEqual([]);
    const handedIn = rig.ea.polls.flatMap((p) => p.results ?? []);
    expect(handedIn).toHaveLength(6);
    expect(rig.hub.pendingCount(rig.accountId)).toBe(0);
  });

  it('EA 1.3: the heartbeat rides on the results poll, which is also the next long-poll', async () => {
    await open();
    await rig.ea.heartbeatNow(); // past the start-up heartbeat
    const apart = rig.ea.heartbeatsApart;
    const placed = await burst(4, 'h');
    expect(placed.map((p) => p.status)).toEqual(Array(4).fill('open'));
    const handing = rig.ea.polls.filter((p) => p.results);
    expect(handing.length).toBeGreaterThan(0);
    for (const p of handing) {
      expect(p.heartbeat?.orders.length).toBeGreaterThan(0);
      expect(p.waitMs).toBeGreaterThan(0);
    }
    // What the orders did is at Bourse without a heartbeat of its own.
    expect(rig.hub.status(rig.accountId).heartbeat?.orders).toHaveLength(4);
    expect(rig.ea.heartbeatsApart).toBe(apart);
  });

  it('EA 1.3 against a Bourse before 1.3: the same results again without the heartbeat', async () => {
    await open({ asBourse12: true });
    const placed = await burst(3, 'o');
    expect(placed.map((p) => p.status)).toEqual(Array(3).fill('open'));
    expect(rig.terminal.orders.size).toBe(3);
    expect(rig.ea.statuses).toContain(400);
    // Once refused, the EA hands results in without a heartbeat and heartbeats apart.
    const after = rig.ea.polls.slice(rig.ea.polls.findIndex((p) => p.heartbeat) + 1);
    expect(after.some((p) => p.results && !p.heartbeat)).toBe(true);
    expect(after.every((p) => !p.heartbeat)).toBe(true);
    expect(rig.ea.acks).toEqual([]);
    // Its heartbeat follows the results poll, after the orders' results were recorded.
    await vi.waitFor(() => expect(rig.hub.status(rig.accountId).heartbeat?.orders).toHaveLength(3));
  });

  it('the 1.1 EA acknowledges apart and trades the same', async () => {
    await open({ ackOnPoll: false });
    const placed = await burst(3, 'a');
    expect(placed.map((p) => p.status)).toEqual(Array(3).fill('open'));
    expect(rig.terminal.orders.size).toBe(3);
    expect(rig.ea.acks.flat()).toHaveLength(3);
    expect(rig.ea.polls.every((p) => p.results === undefined)).toBe(true);
  });
});

describe('MetaTrader bridge: /poll with results over HTTP', () => {
  let rig: MetaTraderRig;
  afterEach(async () => rig?.close());

  const post = async (body: unknown) => {
    const res = await rig.app.inject({
      method: 'POST',
      url: '/bridge/mt/v1/poll',
      headers: { authorization: `Bearer ${rig.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> };
  };
  const ok = {
    ok: true,
    retcode: 10009,
    message: 'done',
    ticket: '7001',
    status: 'open',
    executedAt: 1,
  };

  it('records the results first, then hands out the commands they were blocking', async () => {
    rig = await startMetaTraderRig({ eaOffline: true, leaseMs: 60_000 });
    const first = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    expect((await post({})).body.commands).toMatchObject([{ id: first.id }]);
    const second = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    // Still within the lease: without the result, the second stays blocked.
    expect((await post({})).body.commands).toEqual([]);
    const answer = await post({ results: [{ id: first.id, result: ok }] });
    expect(answer.status).toBe(200);
    expect(answer.body.acked).toEqual([{ id: first.id, status: 'recorded' }]);
    expect(answer.body.commands).toMatchObject([{ id: second.id }]);
    expect(rig.hub.store.command(first.id)?.status).toBe('done');
    const again = await post({
      results: [
        { id: first.id, result: ok },
        { id: 'never-handed-out', result: ok },
      ],
    });
    expect(again.body.acked).toEqual([
      { id: first.id, status: 'duplicate' },
      { id: 'never-handed-out', status: 'unknown' },
    ]);
  });

  it('with a heartbeat: results recorded, then the heartbeat stored; a bad one refuses all', async () => {
    rig = await startMetaTraderRig({ eaOffline: true, leaseMs: 60_000 });
    const cmd = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    await post({});
    const hb = heartbeatBody({ orders: [] });
    const bad = await post({
      results: [{ id: cmd.id, result: ok }],
      heartbeat: { ...hb, account: { ...hb.account, balance: 'lots' } },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('heartbeat');
    expect(rig.hub.store.command(cmd.id)?.status).toBe('sent');
    expect(rig.hub.status(rig.accountId).heartbeat).toBeNull();

    const good = await post({ results: [{ id: cmd.id, result: ok }], heartbeat: hb });
    expect(good.status).toBe(200);
    expect(good.body.acked).toEqual([{ id: cmd.id, status: 'recorded' }]);
    const status = rig.hub.status(rig.accountId);
    expect(status.online).toBe(true);
    expect(status.heartbeat?.account.balance).toBe(hb.account.balance);
    // The heartbeat came after the result: it already shows what the command did.
    expect(rig.hub.resultsSinceHeartbeat(rig.accountId)).toEqual([]);
  });

  it('refuses malformed results with 400 naming the field and records none of them', async () => {
    rig = await startMetaTraderRig({ eaOffline: true, leaseMs: 60_000 });
    const cmd = rig.hub.enqueue(rig.accountId, { action: 'cancel_all' });
    await post({});
    for (const results of [
      [],
      [{ id: cmd.id }],
      [{ id: cmd.id, result: { ...ok, retcode: 'x' } }],
      'x',
    ]) {
      const res = await post({ results });
      expect(res.status, JSON.stringify(results)).toBe(400);
      expect(JSON.stringify(res.body)).toContain('results');
    }
    expect(rig.hub.store.command(cmd.id)?.status).toBe('sent');
  });
});
