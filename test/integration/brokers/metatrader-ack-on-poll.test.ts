import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerConnector } from '../../../src-main/connectors/broker/port';
import { metatraderDefinition } from '../../../src-main/connectors/metatrader/definition';
import {
  startMetaTraderRig,
  type MetaTraderRig,
  type RigOptions,
} from '../../fakes/metatrader/harness';

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
