import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerError } from '../../../src-main/connectors/broker/errors';
import type { BrokerOrderRequest } from '../../../src-main/connectors/broker/port';
import { projectxDefinition, type ProjectxConnector } from '../../../src-main/connectors/projectx';
import { startFakeProjectx, type FakeProjectx } from '../../fakes/projectx/server';

/** ProjectX-specific order behaviour against the strict fake (the shared suite is separate). */

let fake: FakeProjectx;
const open: ProjectxConnector[] = [];
let seq = 0;

const connect = (settings: Record<string, string> = {}) => {
  const c = projectxDefinition.create({ ...fake.settings, ...settings }, fake.secrets, {
    now: Date.now,
  }) as ProjectxConnector;
  open.push(c);
  return c;
};
const tag = () => `px-${process.pid}-${++seq}`;
const limitBuy = (over: Partial<BrokerOrderRequest> = {}): BrokerOrderRequest => ({
  clientOrderId: tag(),
  symbol: 'MNQ',
  side: 'buy',
  type: 'limit',
  qty: '1',
  price: '20000.5',
  ...over,
});
const caught = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as BrokerError,
  );
const lastBody = (path: string) =>
  [...fake.requests].reverse().find((r) => r.path === path)?.raw ?? '';

beforeAll(async () => {
  fake = await startFakeProjectx();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await fake.close();
});

describe('ProjectX orders', () => {
  it('places a limit order with integer enums, the exact price and customTag', async () => {
    const c = connect();
    const req = limitBuy();
    const placed = await c.place(req);
    const body = JSON.parse(lastBody('/api/Order/place')) as Record<string, unknown>;
    expect(body).toEqual({
      accountId: 7002,
      contractId: 'CON.F.US.MNQ.Z26',
      type: 1,
      side: 0,
      size: 1,
      customTag: req.clientOrderId,
      limitPrice: 20000.5,
    });
    expect(lastBody('/api/Order/place')).toContain('"limitPrice":20000.5');
    expect(placed).toMatchObject({ status: 'open', symbol: 'MNQ', price: '20000.5' });
    expect(fake.book.orders.get(Number(placed.orderId))?.customTag).toBe(req.clientOrderId);
  });

  it('resolves the TradingView name, the contract name and the contract id', async () => {
    const c = connect();
    for (const symbol of ['MNQ1!', 'MNQZ6', 'CON.F.US.MNQ.Z26', 'mnq']) {
      const o = await c.place(limitBuy({ symbol }));
      expect(fake.book.orders.get(Number(o.orderId))?.contractId).toBe('CON.F.US.MNQ.Z26');
    }
    const e = await caught(c.place(limitBuy({ symbol: 'ZZZ' })));
    expect(e?.kind).toBe('invalid');
    // Another month by its id: read with searchById, then refused by the gateway as inactive.
    const inactive = await caught(c.place(limitBuy({ symbol: 'CON.F.US.MNQ.H27' })));
    expect(fake.requests.at(-2)?.path).toBe('/api/Contract/searchById');
    expect(inactive).toMatchObject({
      kind: 'invalid',
      brokerMessage: '9: Contract is not active.',
    });
  });

  it('refuses off-tick prices, fractional sizes, IOC and reduce-only before sending', async () => {
    const c = connect();
    await c.instruments();
    const before = fake.requests.length;
    for (const bad of [
      limitBuy({ price: '20000.3' }),
      limitBuy({ qty: '1.5' }),
      limitBuy({ qty: '0' }),
      limitBuy({ timeInForce: 'IOC' }),
      limitBuy({ reduceOnly: true }),
      limitBuy({ type: 'stop', price: undefined }),
    ]) {
      expect((await caught(c.place(bad)))?.kind).toBe('invalid');
    }
    expect(fake.requests.slice(before).filter((r) => r.path === '/api/Order/place')).toHaveLength(
      0,
    );
  });

  it('the fake itself refuses what the gateway refuses (off-tick, unknown contract, other account)', async () => {
    const c = connect();
    await c.instruments();
    const token = /Bearer (.+)/.exec(fake.requests.at(-1)!.authorization!)![1]!;
    const post = async (body: object) => {
      const r = await fetch(`${fake.url}/api/Order/place`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    const base = { accountId: 7002, contractId: 'CON.F.US.MNQ.Z26', type: 1, side: 0, size: 1 };
    expect((await post({ ...base, limitPrice: 20000.3 })).body).toMatchObject({
      success: false,
      errorCode: 2,
    });
    expect(
      (await post({ ...base, contractId: 'CON.F.US.XXX.Z26', limitPrice: 1 })).body,
    ).toMatchObject({ errorCode: 8 });
    expect(
      (await post({ ...base, contractId: 'CON.F.US.MNQ.H27', limitPrice: 1 })).body,
    ).toMatchObject({ errorCode: 9 });
    expect((await post({ ...base, accountId: 1, limitPrice: 1 })).body).toMatchObject({
      errorCode: 1,
    });
    expect((await post({ ...base, accountId: 7001, limitPrice: 1 })).body).toMatchObject({
      success: false,
    });
    const missing = await post({
      accountId: 7002,
      contractId: 'CON.F.US.MNQ.Z26',
      type: 1,
      side: 0,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty('size');
  });

  it('a stop order sends type 4 and stopPrice', async () => {
    const c = connect();
    await c.place(limitBuy({ type: 'stop', price: undefined, stopPrice: '22000' }));
    expect(JSON.parse(lastBody('/api/Order/place'))).toMatchObject({ type: 4, stopPrice: 22000 });
    expect(lastBody('/api/Order/place')).not.toContain('limitPrice');
  });

  it('a filled market order is gone from openOrders but findOrder still finds it', async () => {
    const c = connect();
    const req = limitBuy({ type: 'market', price: undefined });
    const placed = await c.place(req);
    expect((await c.openOrders()).map((o) => o.orderId)).not.toContain(placed.orderId);
    const found = await c.findOrder(req.clientOrderId);
    expect(found).toMatchObject({
      orderId: placed.orderId,
      status: 'filled',
      filledQty: '1',
      avgPrice: '21000.25',
    });
    await c.closePosition('MNQ');
    expect(await c.positions()).toEqual([]);
  });

  it('cancelling a filled order is refused with the broker’s words', async () => {
    const c = connect();
    const placed = await c.place(limitBuy());
    await fake.fill(placed.orderId);
    const e = await caught(c.cancel(placed.orderId));
    expect(e?.kind).toBe('rejected');
    expect(e?.brokerMessage).toMatch(/already filled/);
    const e2 = await caught(c.cancel('424242'));
    expect(e2?.kind).toBe('invalid');
    await c.closePosition('MNQ');
  });

  it('amends price and size, and refuses amending a cancelled order', async () => {
    const c = connect();
    const placed = await c.place(limitBuy());
    const amended = await c.amend({ orderId: placed.orderId, price: '20001.75', qty: '3' });
    expect(amended).toMatchObject({ price: '20001.75', qty: '3', status: 'open' });
    expect(lastBody('/api/Order/modify')).toContain('"limitPrice":20001.75');
    await c.cancel(placed.orderId);
    expect((await caught(c.amend({ orderId: placed.orderId, price: '20000' })))?.kind).toBe(
      'rejected',
    );
  });

  it('cancelAll cancels the open orders of one symbol', async () => {
    const c = connect();
    await c.cancelAll();
    await c.place(limitBuy());
    await c.place(limitBuy());
    await c.place(limitBuy({ symbol: 'MES', price: '5000' }));
    expect(await c.cancelAll('MNQ1!')).toBe(2);
    expect((await c.openOrders()).map((o) => o.symbol)).toEqual(['MES']);
    expect(await c.cancelAll()).toBe(1);
  });

  it('a place whose answer is lost, retried with the same id, makes no second order', async () => {
    const c = connect();
    const req = limitBuy();
    const before = fake.orderCount();
    fake.loseNextPlaceAnswer();
    expect((await caught(c.place(req)))?.kind).toBe('unknown_outcome');
    const again = await c.place(req);
    expect(fake.orderCount()).toBe(before + 1);
    expect(again.clientOrderId).toBe(req.clientOrderId);
    // A new connector (Bourse restarted) has no memory; the gateway's unique customTag
    // refuses the duplicate and the connector answers the existing order.
    const restarted = connect();
    expect((await restarted.findOrder(req.clientOrderId))?.orderId).toBe(again.orderId);
    const third = await restarted.place(req);
    expect(third.orderId).toBe(again.orderId);
    expect(fake.orderCount()).toBe(before + 1);
    await restarted.cancel(again.orderId);
  });

  it('without the gateway’s tag guard, the connector’s own memory still stops a second order', async () => {
    const other = await startFakeProjectx({ uniqueCustomTag: false });
    const c = projectxDefinition.create(other.settings, other.secrets, { now: Date.now });
    try {
      const req = limitBuy();
      other.loseNextPlaceAnswer();
      expect((await caught(c.place(req)))?.kind).toBe('unknown_outcome');
      const again = await c.place(req);
      expect(other.orderCount()).toBe(1);
      expect(again.orderId).toBe(String([...other.book.orders.keys()][0]));
      // Every later retry of that id answers the same order.
      expect((await c.place(req)).orderId).toBe(again.orderId);
      expect(other.orderCount()).toBe(1);
      // A restarted connector has no memory: here only the gateway's tag guard would help.
      const restarted = projectxDefinition.create(other.settings, other.secrets, { now: Date.now });
      await restarted.place(req);
      expect(other.orderCount()).toBe(2);
      await restarted.close();
    } finally {
      await c.close();
      await other.close();
    }
  });

  it('a 5xx on place is an unknown outcome, on a read unavailable', async () => {
    const c = connect();
    await c.openOrders(); // session, account and contracts known: the next request is the place
    fake.failNextRequest();
    expect((await caught(c.place(limitBuy())))?.kind).toBe('unknown_outcome');
    expect(fake.requests.at(-1)?.path).toBe('/api/Order/place');
    fake.failNextRequest();
    expect((await caught(c.positions()))?.kind).toBe('unavailable');
  });
});

describe('ProjectX brackets', () => {
  it('sends signed tick distances and opens the children when the entry fills', async () => {
    const c = connect();
    const req = limitBuy({ price: '20000', stopLoss: '19990', takeProfit: '20010.5' });
    const placed = await c.place(req);
    expect(JSON.parse(lastBody('/api/Order/place'))).toMatchObject({
      stopLossBracket: { ticks: -40, type: 4 },
      takeProfitBracket: { ticks: 42, type: 1 },
    });
    // Suspended children are not in searchOpen (status 8 is stream-only).
    expect(
      (await c.openOrders()).filter((o) => o.clientOrderId?.startsWith(req.clientOrderId)),
    ).toHaveLength(1);
    await fake.fill(placed.orderId);
    const kids = (await c.openOrders()).filter((o) =>
      o.clientOrderId?.startsWith(`${req.clientOrderId}-`),
    );
    expect(
      kids.map((k) => [k.clientOrderId, k.side, k.type, k.price ?? k.stopPrice]).sort(),
    ).toEqual([
      [`${req.clientOrderId}-SL`, 'sell', 'stop', '19990'],
      [`${req.clientOrderId}-TP`, 'sell', 'limit', '20010.5'],
    ]);
    // Only the entry itself answers to its client id.
    expect((await c.findOrder(req.clientOrderId))?.orderId).toBe(placed.orderId);
    await c.cancelAll();
    await c.closePosition('MNQ');
  });

  it('a sell measures the other way; levels on the wrong side are refused', async () => {
    const c = connect();
    await c.place(
      limitBuy({ side: 'sell', price: '22000', stopLoss: '22002.5', takeProfit: '21990' }),
    );
    expect(JSON.parse(lastBody('/api/Order/place'))).toMatchObject({
      stopLossBracket: { ticks: 10 },
      takeProfitBracket: { ticks: -40 },
    });
    expect((await caught(c.place(limitBuy({ stopLoss: '20001' }))))?.kind).toBe('invalid');
    expect(
      (await caught(c.place(limitBuy({ takeProfit: '20000.25', stopLoss: '20000.1' }))))?.kind,
    ).toBe('invalid');
    expect(
      (await caught(c.place(limitBuy({ type: 'market', price: undefined, stopLoss: '1' }))))?.kind,
    ).toBe('invalid');
    await c.cancelAll();
  });

  it('an account on Position Brackets refuses bracket fields', async () => {
    const c = connect({ accountId: '7003' });
    const e = await caught(c.place(limitBuy({ stopLoss: '19990' })));
    expect(e?.kind).toBe('rejected');
    expect(e?.brokerMessage).toMatch(/Position Brackets/);
  });

  it('unsigned ticks, when the gateway wants them (unverified), by setting', async () => {
    const other = await startFakeProjectx({ bracketTicks: 'unsigned' });
    try {
      const mk = (bracketTicks: string) =>
        projectxDefinition.create({ ...other.settings, bracketTicks }, other.secrets, {
          now: Date.now,
        });
      const signed = mk('signed');
      expect((await caught(signed.place(limitBuy({ stopLoss: '19990' }))))?.kind).toBe('rejected');
      const unsigned = mk('unsigned');
      await unsigned.place(limitBuy({ stopLoss: '19990' }));
      expect(other.requests.at(-1)?.raw).toContain('"stopLossBracket":{"ticks":42');
      await Promise.all([signed.close(), unsigned.close()]);
    } finally {
      await other.close();
    }
  });
});

describe('ProjectX positions and P&L', () => {
  it('aggregates one position per contract, closes partly and wholly, sums the day’s P&L exactly', async () => {
    const since = Date.now() - 1;
    const c = connect({ accountId: '7002' });
    const mes = (side: 'buy' | 'sell', price: string, qty = '1') =>
      c.place({ clientOrderId: tag(), symbol: 'MES', side, type: 'limit', qty, price });
    const a = await mes('buy', '5990');
    const b = await mes('buy', '5995.25', '2');
    await fake.fill(a.orderId);
    await fake.fill(b.orderId);
    const [p] = (await c.positions()).filter((x) => x.symbol === 'MES');
    expect(p).toMatchObject({ side: 'long', qty: '3', avgPrice: '5993.5' });
    const sell = await mes('sell', '6001.5');
    await fake.fill(sell.orderId);
    expect((await c.positions()).find((x) => x.symbol === 'MES')?.qty).toBe('2');
    await c.closePosition('MES', '1');
    expect((await c.positions()).find((x) => x.symbol === 'MES')?.qty).toBe('1');
    expect(JSON.parse(lastBody('/api/Position/partialCloseContract'))).toEqual({
      accountId: 7002,
      contractId: 'CON.F.US.MES.Z26',
      size: 1,
    });
    await c.closePosition('MES');
    expect((await c.positions()).find((x) => x.symbol === 'MES')).toBeUndefined();
    // Realised: (6001.5−5993.5)×5 + (6000−5993.5)×5×2 = 40 + 65 = 105; fees 0.37 × 6 sides.
    const trades = fake.book.trades.filter((t) => t.contractId === 'CON.F.US.MES.Z26');
    const expected = trades.reduce((s, t) => s + Number(t.profitAndLoss ?? 0) - Number(t.fees), 0);
    expect(Number(await c.dayPnl(since))).toBeCloseTo(expected, 9);
    expect(await c.dayPnl(since)).toMatch(/^-?\d+(\.\d+)?$/);
    expect(await c.realisedPnlSince(since)).toBe(await c.dayPnl(since));
    expect((await caught(c.closePosition('MES')))?.kind).toBe('rejected');
  });

  it('balances come from the account search as exact text', async () => {
    const c = connect();
    fake.book.account(7002)!.balance = '50123.45';
    expect(await c.balances()).toEqual([
      { asset: 'USD', total: '50123.45', available: '50123.45' },
    ]);
  });
});
