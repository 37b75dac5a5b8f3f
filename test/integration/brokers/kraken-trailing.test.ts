import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KrakenConnector } from '../../../src-main/connectors/kraken';
import type { BrokerEvent } from '../../../src-main/connectors/broker/port';
import { FakeKraken } from '../../fakes/kraken/server';
import { KrakenRefusal } from '../../fakes/kraken/book';
import { BrokerError } from '../../../src-main/connectors/broker/errors';

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
const clientId = () => `tr-${Date.now().toString(36)}-${++seq}`;

/**
 * Kraken's native trailing stops, against the strict fake: a `trailing-stop` order with a
 * `+percent` price (add.yaml), its trigger following the market, its fill over the
 * WebSocket, and a trailing stop-loss attached as the conditional close.
 */
describe('kraken: trailing stops', () => {
  let fake: FakeKraken;
  let c: KrakenConnector;
  const events: BrokerEvent[] = [];

  beforeEach(async () => {
    fake = await FakeKraken.start();
    c = new KrakenConnector(
      {
        baseUrl: fake.settings.baseUrl!,
        wsUrl: fake.settings.wsUrl!,
        tier: 'starter',
        timeoutMs: 2000,
        pingMs: 1000,
      },
      { apiKey: fake.secrets.apiKey!, apiSecret: fake.secrets.apiSecret! },
      { now: Date.now, random: () => 0 },
    );
    events.length = 0;
  });
  afterEach(async () => {
    await c.close();
    await fake.close();
  });

  it('places a trailing sell stop that follows the high and fills when the price turns', async () => {
    await c.subscribe((e) => events.push(e));
    const placed = await c.place({
      clientOrderId: clientId(),
      symbol: 'BTC/USD',
      side: 'sell',
      type: 'stop',
      qty: '0.001',
      trailPercent: '2',
    });
    expect(placed).toMatchObject({ type: 'stop', trailPercent: '2', stopPrice: null });
    const sent = new URLSearchParams(
      fake.requests.find((r) => r.path === '/0/private/AddOrder')!.body,
    );
    expect(sent.get('ordertype')).toBe('trailing-stop');
    expect(sent.get('price')).toBe('+2%');
    expect(sent.has('price2')).toBe(false);

    // From the fake's last price of 60,000: the trigger starts 2 % under it.
    const trigger = async () => (await c.openOrders()).find((o) => o.orderId === placed.orderId);
    expect(await trigger()).toMatchObject({ stopPrice: '58800', trailPercent: '2' });
    fake.tradeAt('XXBTZUSD', '62000');
    expect(await trigger()).toMatchObject({ stopPrice: '60760' });
    fake.tradeAt('XXBTZUSD', '61000'); // a lower price never lowers a sell's trigger
    expect(await trigger()).toMatchObject({ stopPrice: '60760' });

    fake.tradeAt('XXBTZUSD', '60700');
    const fill = await waitFor(
      events,
      (e) => e.type === 'fill' && e.fill.orderId === placed.orderId,
    );
    expect(fill).toMatchObject({ fill: { price: '60700', qty: '0.001', side: 'sell' } });
    expect(await trigger()).toBeUndefined();
  });

  it('a buy trailing stop follows the low', async () => {
    const placed = await c.place({
      clientOrderId: clientId(),
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'stop',
      qty: '0.001',
      trailPercent: '1.5',
    });
    const stop = async () =>
      (await c.openOrders()).find((o) => o.orderId === placed.orderId)?.stopPrice;
    expect(await stop()).toBe('60900'); // 60,000 × 1.015
    fake.tradeAt('XXBTZUSD', '58000');
    expect(await stop()).toBe('58870');
    fake.tradeAt('XXBTZUSD', '58500'); // higher than the low, under the trigger: nothing moves
    expect(await stop()).toBe('58870');
    fake.tradeAt('XXBTZUSD', '58870'); // at the trigger: a buy stop fires
    expect(await stop()).toBeUndefined();
    expect([...fake.book.trades.values()].at(-1)).toMatchObject({ side: 'buy', price: '58870' });
  });

  it('a trailing stop-loss rides on the order and trails once the entry fills', async () => {
    await c.subscribe((e) => events.push(e));
    const entry = await c.place({
      clientOrderId: clientId(),
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'market',
      qty: '0.001',
      stopLossTrailPercent: '1',
    });
    const sent = new URLSearchParams(
      fake.requests.find((r) => r.path === '/0/private/AddOrder')!.body,
    );
    expect(sent.get('close[ordertype]')).toBe('trailing-stop');
    expect(sent.get('close[price]')).toBe('+1%');
    const stopLoss = await waitFor(
      events,
      (e) => e.type === 'order' && e.order.orderId !== entry.orderId && e.order.side === 'sell',
    );
    expect(stopLoss).toMatchObject({
      order: { type: 'stop', trailPercent: '1', stopPrice: '59400', qty: '0.001' },
    });
    const open = await c.openOrders();
    expect(open).toEqual([expect.objectContaining({ side: 'sell', trailPercent: '1' })]);
  });

  it('the fake refuses trailing prices Kraken refuses (so the + above is tested)', () => {
    const add = (price: string) =>
      fake.book.add({
        pair: 'XBTUSD',
        type: 'sell',
        ordertype: 'trailing-stop',
        volume: '0.001',
        price,
      });
    for (const price of ['2%', '58800', '-2%', '+0%', '+x%']) {
      expect(() => add(price), price).toThrow(KrakenRefusal);
    }
    expect(() =>
      fake.book.add({
        pair: 'XBTUSD',
        type: 'buy',
        ordertype: 'market',
        volume: '0.001',
        'close[ordertype]': 'trailing-stop',
        'close[price]': '1%',
      }),
    ).toThrow('close[price]');
    expect(add('+2%').txid).toBeTruthy();
  });

  it('places a trailing sell stop by an amount that follows the high and fills when the price turns', async () => {
    await c.subscribe((e) => events.push(e));
    const placed = await c.place({
      clientOrderId: clientId(),
      symbol: 'BTC/USD',
      side: 'sell',
      type: 'stop',
      qty: '0.001',
      trailAmount: '50',
    });
    expect(placed).toMatchObject({ type: 'stop', trailAmount: '50', stopPrice: null });
    const sent = new URLSearchParams(
      fake.requests.find((r) => r.path === '/0/private/AddOrder')!.body,
    );
    expect(sent.get('ordertype')).toBe('trailing-stop');
    expect(sent.get('price')).toBe('+50');

    // Kraken shows the offset back at the pair's price decimals, without `%`.
    const raw = await c.rest.private<{ open: Record<string, { descr: { price: string } }> }>(
      'OpenOrders',
    );
    expect(raw.open[placed.orderId]!.descr.price).toBe('+50.0');
    // On the stream: price_type quote, the trigger in actual_price.
    const streamed = await waitFor(
      events,
      (e) => e.type === 'order' && e.order.orderId === placed.orderId,
    );
    expect(streamed).toMatchObject({ order: { trailAmount: '50', stopPrice: '59950' } });
    expect((streamed as { order: { trailPercent?: unknown } }).order.trailPercent).toBeUndefined();

    const trigger = async () => (await c.openOrders()).find((o) => o.orderId === placed.orderId);
    expect(await trigger()).toMatchObject({ stopPrice: '59950', trailAmount: '50' });
    fake.tradeAt('XXBTZUSD', '62000');
    expect(await trigger()).toMatchObject({ stopPrice: '61950', trailAmount: '50' });
    fake.tradeAt('XXBTZUSD', '61960'); // lower, above the trigger: nothing moves, nothing fires
    expect(await trigger()).toMatchObject({ stopPrice: '61950' });

    fake.tradeAt('XXBTZUSD', '61950');
    const fill = await waitFor(
      events,
      (e) => e.type === 'fill' && e.fill.orderId === placed.orderId,
    );
    expect(fill).toMatchObject({ fill: { price: '61950', qty: '0.001', side: 'sell' } });
    expect(await trigger()).toBeUndefined();
    // ClosedOrders reads it back by amount too.
    const closed = (await c.closedOrders()).find((o) => o.orderId === placed.orderId);
    expect(closed).toMatchObject({ status: 'filled', trailAmount: '50' });
  });

  it('a buy trailing stop by an amount follows the low', async () => {
    const placed = await c.place({
      clientOrderId: clientId(),
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'stop',
      qty: '0.001',
      trailAmount: '75.5',
    });
    const stop = async () =>
      (await c.openOrders()).find((o) => o.orderId === placed.orderId)?.stopPrice;
    expect(await stop()).toBe('60075.5');
    fake.tradeAt('XXBTZUSD', '58000');
    expect(await stop()).toBe('58075.5');
    fake.tradeAt('XXBTZUSD', '58075.4'); // under the trigger: a buy stop waits
    expect(await stop()).toBe('58075.5');
    fake.tradeAt('XXBTZUSD', '58075.5');
    expect(await stop()).toBeUndefined();
    expect([...fake.book.trades.values()].at(-1)).toMatchObject({
      side: 'buy',
      price: '58075.5',
    });
  });

  it('a trailing stop-loss by an amount rides on the order and trails once the entry fills', async () => {
    await c.subscribe((e) => events.push(e));
    const entry = await c.place({
      clientOrderId: clientId(),
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'market',
      qty: '0.001',
      stopLossTrailAmount: '120',
    });
    const sent = new URLSearchParams(
      fake.requests.find((r) => r.path === '/0/private/AddOrder')!.body,
    );
    expect(sent.get('close[ordertype]')).toBe('trailing-stop');
    expect(sent.get('close[price]')).toBe('+120');
    const stopLoss = await waitFor(
      events,
      (e) => e.type === 'order' && e.order.orderId !== entry.orderId && e.order.side === 'sell',
    );
    expect(stopLoss).toMatchObject({
      order: { type: 'stop', trailAmount: '120', stopPrice: '59880', qty: '0.001' },
    });
    fake.tradeAt('XXBTZUSD', '60500');
    expect(await c.openOrders()).toEqual([
      expect.objectContaining({ side: 'sell', trailAmount: '120', stopPrice: '60380' }),
    ]);
  });

  it('refuses an amount finer than the pair before sending anything', async () => {
    for (const r of [
      { type: 'stop' as const, trailAmount: '50.05' },
      { type: 'market' as const, side: 'buy' as const, stopLossTrailAmount: '0.01' },
      { type: 'stop' as const, trailAmount: '50', trailPercent: '2' },
    ]) {
      const e: unknown = await c
        .place({ clientOrderId: clientId(), symbol: 'BTC/USD', side: 'sell', qty: '0.001', ...r })
        .then(
          () => null,
          (x: unknown) => x,
        );
      expect(e, JSON.stringify(r)).toBeInstanceOf(BrokerError);
      expect((e as BrokerError).kind).toBe('invalid');
    }
    expect(fake.requests.filter((r) => r.path === '/0/private/AddOrder')).toHaveLength(0);
  });

  it('the fake refuses absolute offsets Kraken refuses', () => {
    const add = (price: string, extra: Record<string, string> = {}) =>
      fake.book.add({
        pair: 'XBTUSD',
        type: 'sell',
        ordertype: 'trailing-stop',
        volume: '0.001',
        price,
        ...extra,
      });
    for (const price of ['50', '-50', '+0', '+0.0', '#50', '+50.', '+ 50']) {
      expect(() => add(price), price).toThrow('EGeneral:Invalid arguments:price');
    }
    expect(() => add('+50.05')).toThrow(
      'EOrder:Invalid price:XXBTZUSD price can only be specified up to 1 decimals.',
    );
    const close = (price: string) =>
      fake.book.add({
        pair: 'XBTUSD',
        type: 'buy',
        ordertype: 'market',
        volume: '0.001',
        'close[ordertype]': 'trailing-stop',
        'close[price]': price,
      });
    expect(() => close('120')).toThrow('close[price]');
    expect(() => close('-120')).toThrow('close[price]');
    expect(() => close('+0')).toThrow('close[price]');
    expect(() => close('+0.01')).toThrow('up to 1 decimals');
    expect(add('+50').txid).toBeTruthy();
    expect(add('+50.5').txid).toBeTruthy();
  });
});
