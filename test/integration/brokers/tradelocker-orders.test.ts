import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TradelockerConnector } from '../../../src-main/connectors/tradelocker';
import { tradelockerDefinition } from '../../../src-main/connectors/tradelocker';
import type { BrokerEvent, BrokerOrderRequest } from '../../../src-main/connectors/broker/port';
import { BrokerError } from '../../../src-main/connectors/broker/errors';
import { divDecimal, mulDecimal, subDecimal } from '../../../src-shared/decimal';
import { startTradelockerFake, type TradelockerFakeHandle } from '../../fakes/tradelocker';
import {
  defaultInstruments,
  type FakeTradelocker,
  type FakeTradelockerOptions,
} from '../../fakes/tradelocker/server';

/**
 * TradeLocker's instruments, orders, positions and the polling stream against the strict
 * fake: the request bodies the fake sees, the state machine, SL/TP, client ids in strategyId
 * and recovery from a fresh connector.
 */
let handle: TradelockerFakeHandle;
let fake: FakeTradelocker;
let c: TradelockerConnector;
const extra: TradelockerConnector[] = [];

const make = () => {
  const made = tradelockerDefinition.create(handle.settings, handle.secrets, {
    now: Date.now,
  }) as TradelockerConnector;
  extra.push(made);
  return made;
};

async function start(opts: FakeTradelockerOptions = {}) {
  handle = await startTradelockerFake(opts);
  fake = handle.fake;
  c = make();
}

beforeEach(() => start());
afterEach(async () => {
  for (const x of extra.splice(0)) await x.close();
  await handle.close();
});

let seq = 0;
const limit = (over: Partial<BrokerOrderRequest> = {}): BrokerOrderRequest => ({
  clientOrderId: `ord-${++seq}`,
  symbol: 'EURUSD',
  side: 'buy',
  type: 'limit',
  qty: '0.05',
  price: '1.0712',
  ...over,
});
const lastPost = () => {
  const r = fake.requests.filter((x) => x.method === 'POST' && x.path.endsWith('/orders')).at(-1)!;
  return { raw: r.body, body: JSON.parse(r.body) as Record<string, unknown> };
};
const kindOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof BrokerError ? e.kind : String(e)),
  );

const until = async (events: BrokerEvent[], pred: (e: BrokerEvent) => boolean) => {
  const end = Date.now() + 5000;
  while (!events.some(pred)) {
    if (Date.now() > end) throw new Error(`no event: ${JSON.stringify(events)}`);
    await new Promise((r) => setImmediate(r));
  }
  return events.find(pred)!;
};

const untilTrue = async (pred: () => boolean) => {
  const end = Date.now() + 5000;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition never held');
    await new Promise((r) => setImmediate(r));
  }
};

describe('TradeLocker instruments', () => {
  it('reads tick, lot step, minimum and contract size from instrument details', async () => {
    const list = await c.instruments();
    expect(list.find((i) => i.symbol === 'EURUSD')).toMatchObject({
      venueId: '206',
      kind: 'forex',
      tickSize: '0.00001',
      lotSize: '0.01',
      minQty: '0.01',
      contractSize: '100000',
      quoteAsset: 'USD',
    });
    expect(list.find((i) => i.symbol === 'XAUUSD')).toMatchObject({
      tickSize: '0.01',
      minQty: '0.1',
    });
  });

  it('probes INFO routes last-first when there are several, and never asks details on the dead one', async () => {
    await c.instruments();
    const details = fake.requests.filter((r) => r.path.endsWith('/trade/instruments/315'));
    expect(details).toHaveLength(1);
    expect(details[0]!.query).toContain('routeId=8012');
    expect(fake.requests.some((r) => r.path.endsWith('/trade/quotes'))).toBe(true);
    const detailUrls = fake.requests.filter((r) => r.path.includes('/trade/instruments/'));
    expect(detailUrls.every((r) => r.accNum === '1')).toBe(true);
  });
});

describe('TradeLocker instruments without a working INFO route', () => {
  it('leaves the instrument out of the list and refuses orders on it', async () => {
    await handle.close();
    const [eurusd] = defaultInstruments();
    await start({
      extraInstruments: [
        {
          ...eurusd!,
          id: '990',
          name: 'DEADUSD',
          infoRoutes: ['7011', '7012'],
          badInfoRoutes: ['7011', '7012'],
        },
      ],
    });
    const symbols = (await c.instruments()).map((i) => i.symbol);
    expect(symbols).toEqual(['EURUSD', 'XAUUSD']);
    expect(await kindOf(c.place(limit({ symbol: 'DEADUSD' })))).toBe('invalid');
  });
});

describe('TradeLocker orders', () => {
  it('posts the documented body: strings for id and qty, exact numbers for prices, GTC, TRADE route, strategyId', async () => {
    const placed = await c.place(
      limit({ clientOrderId: 'abc-1', stopLoss: '1.065', takeProfit: '1.0999' }),
    );
    expect(placed.status).toBe('open');
    const { raw, body } = lastPost();
    expect(body).toEqual({
      tradableInstrumentId: '206',
      qty: '0.05',
      side: 'buy',
      type: 'limit',
      price: 1.0712,
      stopPrice: null,
      validity: 'GTC',
      routeId: '9021',
      stopLoss: 1.065,
      stopLossType: 'absolute',
      takeProfit: 1.0999,
      takeProfitType: 'absolute',
      strategyId: 'abc-1',
    });
    expect(raw).toContain('"price":1.0712,');
  });

  it('a market order is IOC, fills at the ask and opens a position', async () => {
    await c.place(limit({ type: 'market', price: undefined, qty: '0.1' }));
    expect(lastPost().body).toMatchObject({ type: 'market', validity: 'IOC', price: null });
    expect(await c.positions()).toEqual([
      expect.objectContaining({ symbol: 'EURUSD', side: 'long', qty: '0.1', avgPrice: '1.0846' }),
    ]);
    const found = await c.findOrder(`ord-${seq}`);
    expect(found).toMatchObject({ status: 'filled', filledQty: '0.1', avgPrice: '1.0846' });
  });

  it('a stop order carries stopPrice; a stop on the wrong side of the market is rejected', async () => {
    const placed = await c.place(limit({ type: 'stop', price: undefined, stopPrice: '1.0901' }));
    expect(lastPost().body).toMatchObject({
      type: 'stop',
      stopPrice: 1.0901,
      price: null,
      validity: 'GTC',
    });
    expect((await c.openOrders()).find((o) => o.orderId === placed.orderId)).toMatchObject({
      type: 'stop',
      stopPrice: '1.0901',
      price: null,
    });
    expect(
      await kindOf(c.place(limit({ type: 'stop', price: undefined, stopPrice: '1.08' }))),
    ).toBe('rejected');
  });

  it('refuses locally what TradeLocker cannot take, without sending it', async () => {
    await c.instruments();
    const before = fake.requests.length;
    expect(await kindOf(c.place(limit({ type: 'stop_limit', stopPrice: '1.09' })))).toBe('invalid');
    expect(await kindOf(c.place(limit({ qty: '0.015' })))).toBe('invalid');
    expect(await kindOf(c.place(limit({ timeInForce: 'IOC' })))).toBe('invalid');
    expect(await kindOf(c.place(limit({ reduceOnly: true })))).toBe('invalid');
    expect(await kindOf(c.place(limit({ symbol: 'NOPE' })))).toBe('invalid');
    expect(fake.requests.slice(before).filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('validateOnly checks and sends nothing', async () => {
    const before = fake.orderCount();
    const v = await c.place(limit({ validateOnly: true }));
    expect(v.status).toBe('pending');
    expect(fake.orderCount()).toBe(before);
  });

  it('a broker refusal is rejected with its errmsg, and findOrder shows the rejected order', async () => {
    fake.rejectNext('Not enough margin');
    const err = (await c
      .place(limit({ clientOrderId: 'rej-1' }))
      .catch((e: unknown) => e)) as BrokerError;
    expect(err.kind).toBe('rejected');
    expect(err.brokerMessage).toBe('Not enough margin');
    expect(await c.findOrder('rej-1')).toMatchObject({ status: 'rejected' });
  });

  it('a tick-off price is refused by the broker (rejected)', async () => {
    expect(await kindOf(c.place(limit({ price: '1.071234' })))).toBe('rejected');
  });

  it('amends price and qty; an off-step qty is rejected by the broker', async () => {
    const placed = await c.place(limit());
    const amended = await c.amend({ orderId: placed.orderId, price: '1.0705', qty: '0.07' });
    expect(amended).toMatchObject({ price: '1.0705', qty: '0.07', status: 'open' });
    expect(await kindOf(c.amend({ orderId: placed.orderId, qty: '0.075' }))).toBe('rejected');
  });

  it('cancel: a filled order cannot be cancelled (rejected), an unknown one is invalid', async () => {
    const placed = await c.place(limit());
    fake.fill(placed.orderId);
    expect(await kindOf(c.cancel(placed.orderId))).toBe('rejected');
    expect(await kindOf(c.cancel('123'))).toBe('invalid');
    const other = await c.place(limit());
    await c.cancel(other.orderId);
    expect(await kindOf(c.cancel(other.orderId))).toBe('rejected');
    expect(await c.findOrder(`ord-${seq}`)).toMatchObject({ status: 'cancelled' });
  });

  it('cancelAll counts and cancels working orders, by symbol when given', async () => {
    await c.place(limit());
    await c.place(limit());
    await c.place(limit({ symbol: 'XAUUSD', qty: '0.1', price: '2600.5' }));
    expect(await c.cancelAll('XAUUSD')).toBe(1);
    expect(await c.openOrders()).toHaveLength(2);
    expect(await c.cancelAll()).toBe(2);
    expect(await c.openOrders()).toHaveLength(0);
    expect(await c.cancelAll()).toBe(0);
  });

  it('numeric amounts and 64-bit string ids read the same as string amounts', async () => {
    await handle.close();
    await start({ amountStyle: 'number' });
    const placed = await c.place(limit({ clientOrderId: 'num-1' }));
    expect(placed.orderId.length).toBeGreaterThan(16);
    expect(await c.findOrder('num-1')).toMatchObject({
      orderId: placed.orderId,
      qty: '0.05',
      price: '1.0712',
      side: 'buy',
      symbol: 'EURUSD',
    });
  });
});

describe('TradeLocker positions and SL/TP', () => {
  it('closes part of a position with its qty, then all of it with "0"', async () => {
    await c.place(limit({ type: 'market', price: undefined, qty: '0.1' }));
    await c.closePosition('EURUSD', '0.04');
    const closes = fake.requests.filter(
      (r) => r.method === 'DELETE' && r.path.includes('/trade/positions/'),
    );
    expect(JSON.parse(closes.at(-1)!.body)).toEqual({ qty: '0.04' });
    expect(await c.positions()).toEqual([expect.objectContaining({ qty: '0.06' })]);
    await c.closePosition('EURUSD');
    expect(JSON.parse(fake.requests.at(-1)!.body)).toEqual({ qty: '0' });
    expect(await c.positions()).toEqual([]);
    expect(await kindOf(c.closePosition('EURUSD'))).toBe('invalid');
  });

  it('a partial close across positions closes the oldest first', async () => {
    await c.place(limit({ type: 'market', price: undefined, qty: '0.05' }));
    await c.place(limit({ type: 'market', price: undefined, qty: '0.05' }));
    await c.closePosition('EURUSD', '0.07');
    expect((await c.positions()).map((p) => p.qty)).toEqual(['0.03']);
  });

  it('a filled entry with SL/TP gets protective orders; the TP filling closes the position and cancels the SL', async () => {
    await c.place(
      limit({ type: 'market', price: undefined, stopLoss: '1.08', takeProfit: '1.09' }),
    );
    const protective = await c.openOrders();
    expect(protective.map((o) => [o.type, o.side, o.price ?? o.stopPrice]).sort()).toEqual([
      ['limit', 'sell', '1.09'],
      ['stop', 'sell', '1.08'],
    ]);
    expect(await c.cancelAll()).toBe(0); // protective orders belong to the position
    fake.setPrice('EURUSD', '1.0902', '1.0903');
    expect(await c.positions()).toEqual([]);
    expect(await c.openOrders()).toEqual([]);
  });

  it('a stop loss on the wrong side is rejected', async () => {
    expect(await kindOf(c.place(limit({ stopLoss: '1.075' })))).toBe('rejected');
  });
});

describe('TradeLocker client order ids (strategyId)', () => {
  it('a long client id is hashed into 32 characters and still found, by a fresh connector too', async () => {
    const id = `alert-${'x'.repeat(40)}`;
    const placed = await c.place(limit({ clientOrderId: id }));
    const sent = lastPost().body.strategyId as string;
    expect(sent.length).toBeLessThanOrEqual(32);
    expect(placed.clientOrderId).toBe(id);
    expect((await make().findOrder(id))?.orderId).toBe(placed.orderId);
  });

  it('a retried place after a lost answer returns the accepted order instead of sending again', async () => {
    fake.loseNextPlaceAnswer();
    const req = limit({ clientOrderId: 'retry-1' });
    expect(await kindOf(c.place(req))).toBe('unknown_outcome');
    const count = fake.orderCount();
    const again = await c.place(req);
    expect(fake.orderCount()).toBe(count);
    expect(again.clientOrderId).toBe('retry-1');
  });

  it('after a restart, a new connector finds open and filled orders by client id', async () => {
    const open = await c.place(limit({ clientOrderId: 'restart-open' }));
    const done = await c.place(limit({ clientOrderId: 'restart-filled' }));
    fake.fill(done.orderId);
    await c.close();
    const fresh = make();
    expect(await fresh.findOrder('restart-open')).toMatchObject({
      orderId: open.orderId,
      status: 'open',
    });
    expect(await fresh.findOrder('restart-filled')).toMatchObject({
      orderId: done.orderId,
      status: 'filled',
    });
    expect(await fresh.findOrder('never-sent')).toBeNull();
  });
});

describe('TradeLocker polling stream', () => {
  it('emits fills, order changes, positions and position_closed, with the client id', async () => {
    const events: BrokerEvent[] = [];
    const stop = c.subscribe((e) => events.push(e));
    try {
      await until(events, (e) => e.type === 'connection' && e.state === 'up');
      const placed = await c.place(limit({ clientOrderId: 'stream-1' }));
      await until(events, (e) => e.type === 'order' && e.order.orderId === placed.orderId);
      fake.fill(placed.orderId, '0.02');
      const part = await until(
        events,
        (e) => e.type === 'order' && e.order.status === 'partially_filled',
      );
      expect(part).toMatchObject({ order: { filledQty: '0.02', clientOrderId: 'stream-1' } });
      fake.fill(placed.orderId, '0.03');
      const fill = await until(events, (e) => e.type === 'fill' && e.fill.qty === '0.03');
      expect(fill).toMatchObject({
        fill: { orderId: placed.orderId, clientOrderId: 'stream-1', price: '1.0712' },
      });
      await until(events, (e) => e.type === 'order' && e.order.status === 'filled');
      await until(events, (e) => e.type === 'position' && e.position.qty === '0.05');
      await c.closePosition('EURUSD');
      await until(events, (e) => e.type === 'position_closed' && e.symbol === 'EURUSD');
    } finally {
      stop();
    }
  });

  it('reads the prices of watched symbols each poll; the position carries the broker P&L as it moves', async () => {
    const events: BrokerEvent[] = [];
    const stop = c.subscribe((e) => events.push(e));
    try {
      await until(events, (e) => e.type === 'connection' && e.state === 'up');
      await c.place(limit({ type: 'market', price: undefined, qty: '0.1' }));
      const opened = await until(events, (e) => e.type === 'position');
      expect(opened).toMatchObject({ position: { symbol: 'EURUSD', side: 'long' } });
      expect(events.some((e) => e.type === 'quote')).toBe(false);
      c.watchQuotes(['EURUSD', 'NOPE']);
      await until(events, (e) => e.type === 'quote');
      fake.setPrice('EURUSD', '1.0750', '1.0752');
      const q = await until(events, (e) => e.type === 'quote' && e.quote.bid === '1.075');
      expect(q).toMatchObject({ quote: { symbol: 'EURUSD', ask: '1.0752', last: null } });
      const entry = (opened as Extract<BrokerEvent, { type: 'position' }>).position.avgPrice;
      // The fake's P&L: (bid − entry) × 0.1 lot × 100000, the broker's figure, to cents.
      const expected = divDecimal(
        mulDecimal(subDecimal('1.075', entry), '10000'),
        '1',
        2,
        'half_even',
      );
      await until(events, (e) => e.type === 'position' && e.position.unrealisedPnl === expected);
      // Only symbols asked for are read: once none are, polls cost no QUOTES calls.
      c.watchQuotes([]);
      const reads = (path: string) => fake.requests.filter((r) => r.path.endsWith(path)).length;
      const settle = async () => {
        const n = reads('/positions');
        await untilTrue(() => reads('/positions') >= n + 2);
      };
      await settle();
      const before = reads('/trade/quotes');
      await settle();
      expect(reads('/trade/quotes')).toBe(before);
    } finally {
      stop();
    }
  });

  it('reports down when polls fail and up when they recover, without replaying', async () => {
    const events: BrokerEvent[] = [];
    const stop = c.subscribe((e) => events.push(e));
    try {
      await until(events, (e) => e.type === 'connection' && e.state === 'up');
      fake.dropPolls(3);
      await until(events, (e) => e.type === 'connection' && e.state === 'down');
      const placed = await c.place(limit());
      await until(
        events,
        () => events.filter((e) => e.type === 'connection' && e.state === 'up').length === 2,
      );
      // The order placed while down is part of the new baseline, not an event.
      expect(events.some((e) => e.type === 'order' && e.order.orderId === placed.orderId)).toBe(
        false,
      );
    } finally {
      stop();
    }
  });
});
