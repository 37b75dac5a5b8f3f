import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KrakenConnector } from '../../../src-main/connectors/kraken';
import type { BrokerEvent } from '../../../src-main/connectors/broker/port';
import { FakeKraken } from '../../fakes/kraken/server';
import { KrakenRefusal } from '../../fakes/kraken/book';

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
});
