import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KrakenConnector, krakenDefinition } from '../../../src-main/connectors/kraken';
import type { BrokerEvent, BrokerOrderRequest } from '../../../src-main/connectors/broker/port';
import { FakeKraken } from '../../fakes/kraken/server';
import { HEADROOM } from '../../../src-main/connectors/kraken/rate-limit';

const waitFor = async (events: BrokerEvent[], pred: (e: BrokerEvent) => boolean) => {
  const end = Date.now() + 5_000;
  for (;;) {
    const hit = events.find(pred);
    if (hit) return hit;
    if (Date.now() > end) throw new Error(`no matching event: ${JSON.stringify(events)}`);
    await new Promise((r) => setImmediate(r));
  }
};

let seq = 0;
const limitBuy = (over: Partial<BrokerOrderRequest> = {}): BrokerOrderRequest => ({
  clientOrderId: `t-${Date.now().toString(36)}-${++seq}`,
  symbol: 'BTC/USD',
  side: 'buy',
  type: 'limit',
  qty: '0.001',
  price: '30000',
  ...over,
});

/** Kraken order operations, errors, rate limits, outages and the stream, against the fake. */
describe('kraken: orders, limits and outages', () => {
  let fake: FakeKraken;
  let c: KrakenConnector;
  const extra: KrakenConnector[] = [];
  const make = (
    o: {
      now?: () => number;
      sleep?: (ms: number) => Promise<void>;
      pingMs?: number;
      fetch?: typeof fetch;
      shared?: Map<string, unknown>;
    } = {},
  ) => {
    const k = new KrakenConnector(
      {
        baseUrl: fake.settings.baseUrl!,
        wsUrl: fake.settings.wsUrl!,
        tier: 'starter',
        timeoutMs: 300,
        pingMs: o.pingMs ?? 1000,
      },
      { apiKey: fake.secrets.apiKey!, apiSecret: fake.secrets.apiSecret! },
      { now: o.now ?? Date.now, random: () => 0, fetch: o.fetch, shared: o.shared },
      { sleep: o.sleep },
    );
    extra.push(k);
    return k;
  };

  beforeEach(async () => {
    fake = await FakeKraken.start();
    c = make();
  });
  afterEach(async () => {
    for (const k of extra.splice(0)) await k.close();
    await fake.close();
  });

  it('places with cl_ord_id, shows it open with the hold, amends it in place and cancels it', async () => {
    const req = limitBuy();
    const placed = await c.place(req);
    const sent = new URLSearchParams(
      fake.requests.find((r) => r.path === '/0/private/AddOrder')!.body,
    );
    expect(sent.get('cl_ord_id')).toBe(req.clientOrderId);
    expect(sent.get('pair')).toBe('XXBTZUSD');
    expect((await c.balances()).find((b) => b.asset === 'USD')).toEqual({
      asset: 'USD',
      total: '100000',
      available: '99970',
    });
    const amended = await c.amend({ orderId: placed.orderId, price: '31000.5', qty: '0.002' });
    expect(amended).toMatchObject({
      orderId: placed.orderId,
      price: '31000.5',
      qty: '0.002',
      clientOrderId: req.clientOrderId,
    });
    await c.cancel(placed.orderId);
    const found = await c.findOrder(req.clientOrderId);
    expect(found).toMatchObject({ status: 'cancelled', reason: 'User requested' });
    await expect(c.cancel(placed.orderId)).rejects.toMatchObject({
      kind: 'invalid',
      brokerMessage: 'EOrder:Unknown order',
    });
    await expect(c.cancel('OUNKNO-WNXXX-XXXXXX')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('refuses orders the way Kraken does', async () => {
    const cases: [Partial<BrokerOrderRequest>, string][] = [
      [{ qty: '0.00001' }, 'EOrder:Order minimum not met'],
      [{ price: '30000.05' }, 'EOrder:Tick size check failed'],
      [{ qty: '100' }, 'EOrder:Insufficient funds'],
      [{ qty: '0.000000001' }, 'EGeneral:Invalid arguments:volume'],
    ];
    for (const [over, msg] of cases) {
      const e = await c.place(limitBuy(over)).catch((x: unknown) => x);
      expect(e, msg).toMatchObject({ brokerMessage: msg });
    }
    await expect(c.place(limitBuy({ symbol: 'DOGE/EUR' }))).rejects.toMatchObject({
      kind: 'invalid',
    });
    expect(fake.orderCount()).toBe(0);
  });

  it('validateOnly checks without placing', async () => {
    const r = await c.place(limitBuy({ validateOnly: true }));
    expect(r).toMatchObject({ orderId: '', status: 'pending' });
    expect(fake.orderCount()).toBe(0);
  });

  it('a market order fills at once and shows in trade history', async () => {
    const req = limitBuy({ type: 'market', price: undefined, qty: '0.01' });
    await c.place(req);
    const found = await c.findOrder(req.clientOrderId);
    expect(found).toMatchObject({ status: 'filled', filledQty: '0.01', avgPrice: '60000' });
    const fills = await c.trades();
    expect(fills[0]).toMatchObject({
      orderId: found!.orderId,
      qty: '0.01',
      price: '60000',
      symbol: 'BTC/USD',
    });
    expect((await c.balances()).find((b) => b.asset === 'BTC')?.total).toBe('10.01');
    // The market falls through a limit buy: it fills at once, at the market price.
    fake.setPrice('XXBTZUSD', '29000');
    const marketable = limitBuy();
    await c.place(marketable);
    expect(await c.findOrder(marketable.clientOrderId)).toMatchObject({
      status: 'filled',
      avgPrice: '29000',
    });
  });

  it('streams a partial fill with exact decimals, then the rest', async () => {
    const events: BrokerEvent[] = [];
    const stop = c.subscribe((e) => events.push(e));
    await waitFor(events, (e) => e.type === 'connection' && e.state === 'up');
    const placed = await c.place(limitBuy({ qty: '0.003' }));
    await waitFor(
      events,
      (e) => e.type === 'order' && e.order.orderId === placed.orderId && e.order.status === 'open',
    );
    fake.partialFill(placed.orderId, '0.001');
    const f = await waitFor(events, (e) => e.type === 'fill' && e.fill.orderId === placed.orderId);
    expect(f).toMatchObject({
      fill: { qty: '0.001', price: '30000', fee: '0.078', feeAsset: 'USD' },
    });
    expect(await c.findOrder(placed.clientOrderId!)).toMatchObject({
      status: 'partially_filled',
      filledQty: '0.001',
    });
    await fake.fill(placed.orderId);
    await waitFor(
      events,
      (e) =>
        e.type === 'order' &&
        e.order.orderId === placed.orderId &&
        e.order.status === 'filled' &&
        e.order.filledQty === '0.003',
    );
    stop();
  });

  it('drops a connection that stops answering pings, and reconnects with a fresh token', async () => {
    const k = make({ pingMs: 100 });
    const events: BrokerEvent[] = [];
    const stop = k.subscribe((e) => events.push(e));
    await waitFor(events, (e) => e.type === 'connection' && e.state === 'up');
    fake.muteStreams();
    await waitFor(
      events,
      (e) => e.type === 'connection' && e.state === 'down' && e.reason === 'no answer to ping',
    );
    await waitFor(
      events,
      () => events.filter((e) => e.type === 'connection' && e.state === 'up').length === 2,
    );
    expect(fake.requests.filter((r) => r.path === '/0/private/GetWebSocketsToken')).toHaveLength(2);
    stop();
  });

  it('cancelAll on one pair, on all, and the dead-man switch', async () => {
    const a = await c.place(limitBuy());
    await c.place(limitBuy());
    expect(await c.cancelAll('XBTUSD')).toBe(2);
    expect(await c.openOrders()).toEqual([]);
    await c.place(limitBuy());
    expect(await c.cancelAll()).toBe(1);
    expect(a.status).toBe('open');

    let t = Date.now();
    await fake.close();
    fake = await FakeKraken.start({ clock: () => t });
    const k = make({ now: () => t });
    await k.place(limitBuy());
    const dms = await k.cancelAllOrdersAfter(60);
    expect(Date.parse(dms.triggerTime) - Date.parse(dms.currentTime)).toBe(60_000);
    t += 61_000;
    expect(await k.openOrders()).toEqual([]);
    await expect(k.cancelAllOrdersAfter(86_400)).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('spot has no positions', async () => {
    expect(await c.positions()).toEqual([]);
    await expect(c.closePosition('BTC/USD')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('reads OHLC bars, assets and status', async () => {
    const bars = await c.ohlc('BTC/USD', 60);
    expect(bars[0]).toMatchObject({
      time: 1548115200000,
      open: '3533.4',
      volume: '83.09287787',
      count: 232,
    });
    const q = new URL(fake.requests.at(-1)!.path, 'http://x');
    expect(q.pathname).toBe('/0/public/OHLC');
    await expect(c.ohlc('BTC/USD', 7)).rejects.toMatchObject({ kind: 'invalid' });
    expect((await c.assets()).XXBT?.altname).toBe('XBT');
    expect((await c.systemStatus()).status).toBe('online');
    expect(await c.balanceTotals()).toMatchObject({ BTC: '10', USD: '100000' });
    expect(await c.tradeBalance()).toMatchObject({ eb: '100000' });
  });

  it("serves the port's candles from OHLC (times in ms)", async () => {
    const bars = await c.candles('BTC/USD', 60, 1548115200000);
    expect(bars[0]).toEqual({
      time: 1548115200000,
      open: '3533.4',
      high: expect.any(String),
      low: expect.any(String),
      close: expect.any(String),
      volume: '83.09287787',
    });
    expect(fake.requests.at(-1)!.path).toBe('/0/public/OHLC');
  });

  it('keeps under the REST counter by waiting, so the fake never refuses, even with latency', async () => {
    let t = Date.now();
    await fake.close();
    fake = await FakeKraken.start({ clock: () => t });
    let slept = 0;
    const k = make({
      now: () => t,
      sleep: (ms) => {
        slept += ms;
        t += ms;
        return Promise.resolve();
      },
      // Each request reaches Kraken 100 ms after Bourse counted it.
      fetch: (url, init) => {
        t += 100;
        return fetch(url, init);
      },
    });
    for (let i = 0; i < 25; i++) await k.balances();
    expect(slept).toBeGreaterThanOrEqual(Math.floor(((25 - 15) / 0.33) * 1000) - 50);
    expect(fake.requests.filter((r) => r.path === '/0/private/BalanceEx')).toHaveLength(25);
  });

  it('an order never waits behind a read that waits for the REST counter', async () => {
    let t = Date.now();
    await fake.close();
    fake = await FakeKraken.start({ clock: () => t });
    // The sleep of a read waiting for the counter stays pending until the test releases it.
    const waiting: Array<() => void> = [];
    const k = make({
      now: () => t,
      sleep: (ms) =>
        new Promise<void>((r) =>
          waiting.push(() => {
            t += ms;
            r();
          }),
        ),
    });
    // The starter tier's counter (15, less Bourse's point of headroom) is full after 14 reads.
    for (let i = 0; i < 15 - HEADROOM; i++) await k.balances();
    const read = k.balances();
    await new Promise((r) => setImmediate(r));
    expect(waiting).toHaveLength(1);
    // AddOrder costs the REST counter nothing: it goes out while the read still waits.
    const placed = await k.place({
      clientOrderId: 'hol-1',
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'limit',
      qty: '0.01',
      price: '1000',
    });
    expect(placed.status).toBe('open');
    expect(waiting).toHaveLength(1);
    waiting.shift()!();
    await read;
    expect(fake.requests.map((r) => r.path).slice(-2)).toEqual([
      '/0/private/AddOrder',
      '/0/private/BalanceEx',
    ]);
  });

  it('keeps under the per-pair trading counter (cancels of fresh orders cost 8)', async () => {
    let t = Date.now();
    await fake.close();
    fake = await FakeKraken.start({ clock: () => t });
    let slept = 0;
    const k = make({
      now: () => t,
      sleep: (ms) => {
        slept += ms;
        t += ms;
        return Promise.resolve();
      },
    });
    for (let i = 0; i < 8; i++) await k.cancel((await k.place(limitBuy())).orderId);
    expect(slept).toBeGreaterThan(0);
    expect(fake.orderCount()).toBe(8);
  });

  it('connectors on one key share its trading counter: orders placed by one, cancelled by another', async () => {
    let t = Date.now();
    await fake.close();
    fake = await FakeKraken.start({ clock: () => t });
    let slept = 0;
    const shared = new Map<string, unknown>();
    const opts = {
      now: () => t,
      sleep: (ms: number) => {
        slept += ms;
        t += ms;
        return Promise.resolve();
      },
      shared,
    };
    const session = make(opts);
    const other = make(opts);
    for (let i = 0; i < 8; i++) await other.cancel((await session.place(limitBuy())).orderId);
    // The second knew each order's age (no lookup) and waited as Kraken would charge: a
    // refusal by the fake's counter would have thrown (mutating calls are never retried).
    expect(slept).toBeGreaterThan(0);
    expect(fake.requests.filter((r) => r.path === '/0/private/QueryOrders')).toHaveLength(0);
    expect(fake.orderCount()).toBe(8);
  });

  it('maps Kraken’s rate-limit answers to broker_rate_limited; waits out short ones on reads only', async () => {
    let t = Date.now();
    await fake.close();
    fake = await FakeKraken.start({ clock: () => t });
    const slept: number[] = [];
    const k = make({
      now: () => t,
      sleep: (ms) => {
        slept.push(ms);
        t += ms;
        return Promise.resolve();
      },
    });
    const count = (path: string) => fake.requests.filter((r) => r.path === path).length;
    // Another program filled the key's counter: the read waits for it to decay, then works.
    fake.exhaustRestCounter(fake.secrets.apiKey!);
    await expect(k.balances()).resolves.toBeInstanceOf(Array);
    expect(count('/0/private/BalanceEx')).toBe(2);
    expect(slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3_000);

    // A long throttle is reported, not waited out.
    fake.throttleNext(Math.floor(t / 1000) + 60);
    const e = await k.openOrders().catch((x: unknown) => x);
    expect(e).toMatchObject({
      kind: 'rate_limited',
      brokerMessage: expect.stringMatching(/^EService: Throttled: \d+$/),
    });
    expect((e as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(55_000);

    // The pair's trading counter is full: the place is refused once and never retried.
    await k.instruments();
    fake.book.exhaustTrading('XXBTZUSD');
    const before = count('/0/private/AddOrder');
    await expect(k.place(limitBuy())).rejects.toMatchObject({
      kind: 'rate_limited',
      brokerMessage: 'EOrder:Rate limit exceeded',
    });
    expect(count('/0/private/AddOrder') - before).toBe(1);
    expect(fake.orderCount()).toBe(0);
    // …and the connector's own model now waits before the next place on that pair.
    const waited = slept.length;
    await k.place(limitBuy());
    expect(slept.length).toBeGreaterThan(waited);
    expect(fake.orderCount()).toBe(1);
  });

  it('outages: a read is unavailable, a place whose gateway failed is an unknown outcome', async () => {
    await c.instruments();
    fake.failNextRequest('http503');
    await expect(c.openOrders()).rejects.toMatchObject({ kind: 'unavailable' });
    fake.failNextRequest('http503');
    await expect(c.place(limitBuy())).rejects.toMatchObject({ kind: 'unknown_outcome' });
    fake.failNextRequest('EService:Unavailable');
    await expect(c.place(limitBuy())).rejects.toMatchObject({ kind: 'unknown_outcome' });
    expect(await c.balances()).toBeInstanceOf(Array);
  });

  it('a timed-out place is resolved by a NEW connector (restart) through cl_ord_id', async () => {
    const req = limitBuy();
    fake.loseNextPlaceAnswer();
    await expect(c.place(req)).rejects.toMatchObject({ kind: 'unknown_outcome' });
    await c.close();
    const restarted = krakenDefinition.create(fake.settings, fake.secrets, { now: Date.now });
    const found = await restarted.findOrder(req.clientOrderId);
    expect(found).toMatchObject({
      clientOrderId: req.clientOrderId,
      status: 'open',
      qty: '0.001',
      price: '30000',
    });
    expect(await restarted.findOrder('never-sent')).toBeNull();
    expect(fake.orderCount()).toBe(1);
    await restarted.close();
  });

  it('reads both error envelopes', async () => {
    await fake.close();
    fake = await FakeKraken.start({ errorEnvelope: 'without-result' });
    const k = make();
    await expect(k.place(limitBuy({ qty: '0.00001' }))).rejects.toMatchObject({
      brokerMessage: 'EOrder:Order minimum not met',
      kind: 'rejected',
    });
  });
});
