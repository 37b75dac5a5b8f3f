import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../../src-main/db/database';
import { BridgeHub } from '../../../../src-main/connectors/metatrader/hub';
import { SqliteBridgeStore } from '../../../../src-main/features/accounts/bridge-store';
import { SymbolMap } from '../../../../src-main/connectors/metatrader/mapping';
import { streamEvents } from '../../../../src-main/connectors/metatrader/stream';
import { metatraderDefinition } from '../../../../src-main/connectors/metatrader/definition';
import type { BrokerEvent } from '../../../../src-main/connectors/broker/port';
import type {
  HeartbeatBody,
  MtOrder,
  MtPosition,
} from '../../../../src-main/connectors/metatrader/protocol';
import { addAccount } from '../../../fakes/metatrader/harness';
import { heartbeatBody } from '../../../fakes/metatrader/heartbeat';

const A = 'acct-s';

const order = (ticket: string, price = '1.05000'): MtOrder => ({
  ticket,
  symbol: 'EURUSD.r',
  side: 'buy',
  type: 'limit',
  volume: '0.10',
  price,
  stopPrice: null,
  sl: null,
  tp: null,
  comment: `c-${ticket}`,
  magic: 1,
  setupTime: 1,
});

const position = (ticket: string, volume = '0.10'): MtPosition => ({
  ticket,
  symbol: 'EURUSD.r',
  side: 'buy',
  volume,
  openPrice: '1.05000',
  sl: null,
  tp: null,
  profit: '0.00',
  comment: '',
  magic: 1,
  openTime: 1,
});

const hb = (over: Partial<HeartbeatBody>): HeartbeatBody =>
  heartbeatBody(over, { heartbeatMs: 1_000, pollMs: 100, gmtTime: 1 });

describe('MetaTrader stream: heartbeat differences as broker events', () => {
  let db: DatabaseHandle;
  let t: number;
  let hub: BridgeHub;
  let events: BrokerEvent[];
  let stop: () => void;
  beforeEach(async () => {
    db = openDatabase({ file: ':memory:', synchronous: 'NORMAL', migrationsDir: 'drizzle' });
    addAccount(db, A);
    t = 1_000_000;
    hub = new BridgeHub({ store: new SqliteBridgeStore(db), now: () => t });
    events = [];
    stop = streamEvents(hub, A, new SymbolMap('.r'), (e) => events.push(e));
    await Promise.resolve(); // the initial state
  });
  afterEach(() => {
    stop();
    db.close();
  });

  it('starts with the EA state, then up/down as it comes and goes', () => {
    expect(events).toEqual([
      { type: 'connection', state: 'down', reason: 'the EA has never connected' },
    ]);
    hub.heartbeat(A, hb({}));
    t += 3_001;
    hub.sweep();
    expect(events.slice(1)).toEqual([
      { type: 'connection', state: 'up' },
      {
        type: 'connection',
        state: 'down',
        reason: `EA offline since ${new Date(1_000_000).toISOString()} (no heartbeat)`,
      },
    ]);
  });

  it('a pending order that goes with a deal is filled, without one cancelled', () => {
    hub.heartbeat(A, hb({ orders: [order('10'), order('11')] }));
    events.length = 0;
    const deal = {
      ticket: '90',
      order: '10',
      positionId: '10',
      symbol: 'EURUSD.r',
      side: 'buy' as const,
      volume: '0.10',
      price: '1.05000',
      entry: 'in' as const,
      comment: 'c-10',
      time: 2,
    };
    hub.heartbeat(A, hb({ orders: [], positions: [position('10')], deals: [deal] }));
    expect(events).toEqual([
      {
        type: 'fill',
        fill: {
          fillId: '90',
          orderId: '10',
          clientOrderId: null,
          symbol: 'EURUSD',
          side: 'buy',
          qty: '0.10',
          price: '1.05000',
          time: 2_000,
        },
      },
      expect.objectContaining({
        type: 'order',
        order: expect.objectContaining({ orderId: '10', status: 'filled', filledQty: '0.10' }),
      }),
      expect.objectContaining({
        type: 'order',
        order: expect.objectContaining({ orderId: '11', status: 'cancelled' }),
      }),
      expect.objectContaining({
        type: 'position',
        position: expect.objectContaining({ symbol: 'EURUSD', qty: '0.10', side: 'long' }),
      }),
    ]);
  });

  it('reports moved orders, changed positions, closed symbols and balances', () => {
    hub.heartbeat(A, hb({ orders: [order('10')], positions: [position('20'), position('21')] }));
    events.length = 0;
    hub.heartbeat(A, hb({ orders: [order('10', '1.04000')], positions: [position('20', '0.05')] }));
    expect(events.map((e) => e.type)).toEqual(['order', 'position']); // 21 closed, 20 still open
    events.length = 0;
    hub.heartbeat(
      A,
      hb({ orders: [order('10', '1.04000')], account: { ...hb({}).account, balance: '101.50' } }),
    );
    expect(events).toEqual([
      { type: 'position_closed', symbol: 'EURUSD' },
      { type: 'balances', balances: [{ asset: 'USD', total: '101.50', available: '100.00' }] },
    ]);
  });

  it('reports an order whose stop-loss or take-profit moved, with its closes', () => {
    hub.heartbeat(A, hb({ orders: [order('10')] }));
    events.length = 0;
    hub.heartbeat(A, hb({ orders: [order('10')] }));
    expect(events).toEqual([]);
    hub.heartbeat(A, hb({ orders: [{ ...order('10'), sl: '1.04000', tp: '1.09000' }] }));
    const none = { offset: null, limitPrice: null, trailPercent: null, trailAmount: null };
    expect(events).toEqual([
      expect.objectContaining({
        type: 'order',
        order: expect.objectContaining({
          orderId: '10',
          closes: [
            { ...none, type: 'stop_loss', price: '1.04000' },
            { ...none, type: 'take_profit', price: '1.09000' },
          ],
        }),
      }),
    ]);
    events.length = 0;
    hub.heartbeat(A, hb({ orders: [{ ...order('10'), sl: '1.04000' }] }));
    expect(events).toEqual([
      expect.objectContaining({
        order: expect.objectContaining({
          closes: [{ ...none, type: 'stop_loss', price: '1.04000' }],
        }),
      }),
    ]);
  });
});

describe('metatraderDefinition', () => {
  it('describes the venue and checks its settings', () => {
    const db = openDatabase({ file: ':memory:', synchronous: 'NORMAL', migrationsDir: 'drizzle' });
    const def = metatraderDefinition(new BridgeHub({ store: new SqliteBridgeStore(db) }));
    expect(def).toMatchObject({ venue: 'metatrader', positions: true, modes: ['demo', 'live'] });
    expect(def.fields.map((f) => [f.name, f.secret])).toEqual([
      ['platform', false],
      ['symbolSuffix', false],
      ['commandExpirySec', false],
      ['resultTimeoutMs', false],
      ['commandsPer10s', false],
    ]);
    // The pacing and the result wait are tuning, under the form's "Advanced".
    expect(def.fields.filter((f) => f.advanced).map((f) => f.name)).toEqual([
      'resultTimeoutMs',
      'commandsPer10s',
    ]);
    const deps = { now: Date.now, accountId: 'a' };
    expect(() => def.create({ platform: 'MT6' }, {}, deps)).toThrow(/MT5 or MT4/);
    expect(() => def.create({ symbolSuffix: 'a b' }, {}, deps)).toThrow(/suffix/);
    expect(() => def.create({ commandExpirySec: '0' }, {}, deps)).toThrow(/whole number/);
    expect(() => def.create({}, {}, { now: Date.now })).toThrow(/account id/);
    expect(def.create({ platform: 'MT4' }, {}, deps).venue).toBe('metatrader');
    db.close();
  });
});
