import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../../src-main/db/database';
import {
  BridgeHub,
  QUEUE_MAX,
  type HubEvent,
} from '../../../../src-main/connectors/metatrader/hub';
import { SqliteBridgeStore } from '../../../../src-main/features/accounts/bridge-store';
import type {
  CommandResult,
  HeartbeatBody,
} from '../../../../src-main/connectors/metatrader/protocol';
import { hubOnMemory } from '../../../fakes/metatrader/harness';
import { heartbeatBody } from '../../../fakes/metatrader/heartbeat';

const A = 'acct-a';
const B = 'acct-b';

const heartbeat = (over: Partial<HeartbeatBody> = {}): HeartbeatBody => heartbeatBody(over);

const done = (over: Partial<CommandResult> = {}): CommandResult => ({
  ok: true,
  retcode: 10009,
  message: 'done',
  executedAt: 1,
  ...over,
});

describe('BridgeHub', () => {
  let db: DatabaseHandle;
  let t: number;
  let hub: BridgeHub;
  beforeEach(() => {
    t = 1_000_000;
    ({ db, hub } = hubOnMemory(() => t));
  });
  afterEach(() => db.close());

  const cancelAll = { action: 'cancel_all' as const };

  it('hands commands out in seq order, per account, and marks them sent', () => {
    hub.enqueue(A, cancelAll);
    hub.enqueue(B, cancelAll);
    hub.enqueue(A, { action: 'cancel', ticket: '7' });
    expect(hub.poll(A).map((c) => [c.id, c.seq])).toEqual([
      ['c1', 1],
      ['c3', 2],
    ]);
    expect(hub.poll(B).map((c) => c.id)).toEqual(['c2']);
    expect(hub.store.command('c1')).toMatchObject({ status: 'sent', sentAt: t });
  });

  it('a handed-out command blocks the queue for its lease, then comes back with the same id', () => {
    hub.enqueue(A, cancelAll);
    expect(hub.poll(A).map((c) => c.id)).toEqual(['c1']);
    hub.enqueue(A, cancelAll);
    t += 9_999;
    expect(hub.poll(A)).toEqual([]); // c1 still leased: c2 must not overtake it
    t += 1;
    expect(hub.poll(A).map((c) => c.id)).toEqual(['c1', 'c2']);
  });

  it('poll hands out at most `max`, the rest after those are acknowledged', () => {
    for (let i = 0; i < 5; i++) hub.enqueue(A, cancelAll);
    expect(hub.poll(A, 2).map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(hub.poll(A, 10)).toEqual([]); // c1, c2 leased: nothing overtakes them
    hub.ack(A, 'c1', done());
    hub.ack(A, 'c2', done());
    expect(hub.poll(A, 10).map((c) => c.id)).toEqual(['c3', 'c4', 'c5']);
  });

  it('ack records once: the second ack of an id is a duplicate and changes nothing', async () => {
    hub.enqueue(A, cancelAll);
    const waiting = hub.result('c1', 60_000);
    hub.poll(A);
    expect(hub.ack(A, 'c1', done({ count: 1 }))).toBe('recorded');
    expect(hub.ack(A, 'c1', done({ count: 2 }))).toBe('duplicate');
    expect((await waiting).status).toBe('done');
    expect(hub.store.command('c1')?.result?.count).toBe(1);
    expect(hub.poll(A)).toEqual([]);
  });

  it('refuses acks of ids never handed out or of another account', () => {
    hub.enqueue(A, cancelAll);
    expect(hub.ack(A, 'c1', done())).toBe('unknown'); // still queued
    hub.poll(A);
    expect(hub.ack(B, 'c1', done())).toBe('unknown');
    expect(hub.ack(A, 'zzz', done())).toBe('unknown');
  });

  it('a failed result is `failed`; the EA saying expired is `expired`', async () => {
    hub.enqueue(A, cancelAll);
    hub.enqueue(A, cancelAll);
    hub.poll(A);
    hub.ack(A, 'c1', done({ ok: false, retcode: 10019 }));
    hub.ack(A, 'c2', done({ ok: false, bridgeError: 'expired' }));
    expect((await hub.result('c1', 10)).status).toBe('failed');
    expect((await hub.result('c2', 10)).status).toBe('expired');
  });

  it('expires queued commands past their expiry (waiters told), never sent ones', async () => {
    hub.enqueue(A, cancelAll, 1_000);
    hub.enqueue(A, cancelAll, 1_000);
    hub.poll(A, 1); // c1 sent
    const waiting = hub.result('c2', 60_000);
    t += 1_000;
    hub.sweep();
    expect((await waiting).status).toBe('expired');
    expect(hub.store.command('c1')?.status).toBe('sent');
    t += 10_000;
    // c1 comes back after its lease; the EA decides (it refuses to run it late).
    expect(hub.poll(A).map((c) => [c.id, c.expiresAt])).toEqual([['c1', 1_001_000]]);
  });

  it('result() times out with the row as it stands', async () => {
    hub.enqueue(A, cancelAll);
    const o = await hub.result('c1', 5);
    expect(o).toMatchObject({ status: 'timeout', row: { status: 'queued' } });
  });

  it('withdraw cancels only what the EA has not taken', async () => {
    hub.enqueue(A, cancelAll);
    hub.enqueue(A, cancelAll);
    hub.poll(A, 1);
    expect(hub.withdraw('c1')).toBe(false);
    expect(hub.withdraw('c2')).toBe(true);
    expect((await hub.result('c2', 5)).status).toBe('cancelled');
  });

  it('refuses to queue beyond QUEUE_MAX per account', () => {
    for (let i = 0; i < QUEUE_MAX; i++) hub.enqueue(A, cancelAll);
    expect(() => hub.enqueue(A, cancelAll)).toThrow(/queue full/);
    expect(() => hub.enqueue(B, cancelAll)).not.toThrow();
  });

  it('online on a heartbeat, offline after three silent intervals or a goodbye', () => {
    const events: HubEvent['type'][] = [];
    hub.on(A, (e) => events.push(e.type));
    expect(hub.status(A)).toMatchObject({ online: false, lastHeartbeatAt: null });
    hub.heartbeat(A, heartbeat());
    expect(hub.status(A)).toMatchObject({ online: true, lastHeartbeatAt: t });
    t += 15_000;
    hub.sweep();
    expect(hub.status(A).online).toBe(true);
    t += 1;
    hub.sweep();
    expect(hub.status(A)).toMatchObject({ online: false, offlineSince: 1_000_000 });
    hub.heartbeat(A, heartbeat());
    hub.heartbeat(A, heartbeat({ state: 'stopping' }));
    expect(hub.status(A).online).toBe(false);
    expect(events).toEqual([
      'heartbeat',
      'online',
      'offline',
      'heartbeat',
      'online',
      'heartbeat',
      'offline',
    ]);
  });

  it('keeps the last symbols when a heartbeat leaves them out, and reports each deal once', () => {
    const deals: HubEvent[] = [];
    hub.on(A, (e) => e.type === 'heartbeat' && deals.push(e));
    const symbol = {
      name: 'EURUSD',
      digits: 5,
      tickSize: '0.00001',
      tickValue: '1',
      volumeStep: '0.01',
      volumeMin: '0.01',
      contractSize: '100000',
      forex: true,
    };
    const deal = {
      ticket: '9',
      order: '5',
      positionId: '5',
      symbol: 'EURUSD',
      side: 'buy' as const,
      volume: '0.10',
      price: '1.1',
      entry: 'in' as const,
      comment: '',
      time: 1,
    };
    hub.heartbeat(A, heartbeat({ symbols: [symbol], deals: [deal] }));
    hub.heartbeat(A, heartbeat({ deals: [deal] }));
    expect(hub.status(A).heartbeat?.symbols).toEqual([symbol]);
    expect(deals.map((e) => (e as { newDeals: unknown[] }).newDeals.length)).toEqual([1, 0]);
    expect(hub.filledOrders(A).get('5')).toBe('0.10');
  });

  it('lays results that arrived after the last heartbeat over it, until the next one', () => {
    hub.heartbeat(A, heartbeat());
    hub.enqueue(A, cancelAll);
    hub.poll(A);
    hub.ack(A, 'c1', done());
    expect(hub.resultsSinceHeartbeat(A).map((r) => r.id)).toEqual(['c1']);
    hub.heartbeat(A, heartbeat());
    expect(hub.resultsSinceHeartbeat(A)).toEqual([]);
  });

  it('a new hub over the same database sees the stored heartbeat and the queue', () => {
    hub.heartbeat(A, heartbeat());
    hub.enqueue(A, cancelAll);
    const again = new BridgeHub({ store: new SqliteBridgeStore(db), now: () => t + 1_000 });
    expect(again.status(A)).toMatchObject({ online: true, heartbeat: { account: { login: '1' } } });
    expect(again.poll(A).map((c) => c.id)).toEqual(['c1']);
    const later = new BridgeHub({ store: new SqliteBridgeStore(db), now: () => t + 60_000 });
    expect(later.status(A)).toMatchObject({ online: false, offlineSince: t });
  });
});
