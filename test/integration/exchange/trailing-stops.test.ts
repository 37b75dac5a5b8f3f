// Trailing stops through the service: orders.place with trailBps, the stop price moving as
// the market trades (stored, shown, kept across a restart), the holds, and the refusals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import {
  balances,
  exchangeOf,
  fund,
  fundTape,
  limit,
  place,
  reconciled,
  rejects,
  tradeAt,
  trader,
} from '../../helpers/exchange';

interface TrailingOrder {
  orderId: number;
  type: string;
  status: string;
  stopPrice: string | null;
  held: string;
  filledQty: string;
  trailing?: {
    bps?: number;
    amount?: string;
    activationPrice: string | null;
    anchorPrice: string | null;
  };
}

/** A refusal as the helpers' rejects() gives it back. */
type Refusal = { message: string; details?: { field?: string } };

let backend: TestBackend;

const trail = (side: 'buy' | 'sell', qty: string, trailBps: number, extra: object = {}) => ({
  symbol: 'BTC/USDT',
  side,
  type: 'stop_market',
  qty,
  trailBps,
  ...extra,
});

const get = (b: TestBackend, orderId: number) =>
  b.invoke('orders.get', { orderId }, trader('alice')) as Promise<TrailingOrder>;

beforeEach(async () => {
  backend = await startTestBackend();
  await fundTape(backend);
});
afterEach(async () => {
  await backend.cleanup();
});

describe('trailing stops', () => {
  it('a sell follows the high, is stored as it moves, and sells when price falls back', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    const placed = (await backend.invoke(
      'orders.place',
      trail('sell', '0.5', 500),
      trader('alice'),
    )) as TrailingOrder;
    expect(placed).toMatchObject({
      type: 'stop_market',
      status: 'new',
      stopPrice: '95.00',
      held: '0.50000000',
      trailing: { bps: 500, activationPrice: null, anchorPrice: '100.00' },
    });
    await tradeAt(backend, '110.00');
    expect(await get(backend, placed.orderId)).toMatchObject({
      stopPrice: '104.50',
      trailing: { anchorPrice: '110.00' },
    });
    await tradeAt(backend, '108.00'); // not a new high: the stop stays
    expect((await get(backend, placed.orderId)).stopPrice).toBe('104.50');
    // Bob bids 1 at 104; a trade at 104.50 triggers the stop, which sells into his bid.
    await fund(backend, 'bob', 'USDT', '1000');
    await place(backend, 'bob', limit('buy', '104.00', '1'));
    await tradeAt(backend, '104.50');
    const sold = await get(backend, placed.orderId);
    expect(sold).toMatchObject({ status: 'filled', filledQty: '0.5000' });
    // 0.5 × 104 = 52 less the 0.2 % taker fee (0.104).
    expect(await balances(backend, 'alice')).toEqual({
      BTC: { available: '0.50000000', held: '0.00000000' },
      USDT: { available: '51.896000', held: '0.000000' },
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it('a restart keeps the stop price, the anchor and the activation, and it trails on', async () => {
    const dataDir = tempDataDir();
    await backend.cleanup();
    const first = await startTestBackend({ dataDir });
    await fundTape(first);
    await fund(first, 'alice', 'BTC', '1');
    await fund(first, 'alice', 'USDT', '1000');
    const sell = await place(first, 'alice', trail('sell', '0.5', 500));
    const buy = await place(first, 'alice', trail('buy', '0.1', 300, { stopPrice: '120.00' }));
    await tradeAt(first, '105.00'); // the trailing sell: 99.75
    const plain = await place(first, 'alice', {
      ...trail('sell', '0.1', 1),
      trailBps: undefined,
      stopPrice: '104.50',
    });
    await tradeAt(first, '110.00'); // the trailing sell moves to 104.50, behind the plain stop
    await exchangeOf(first).flush();
    const snapshot = exchangeOf(first).market('BTC/USDT').engine.snapshot();
    expect(snapshot.stops.map((s) => s.orderId)).toEqual([
      buy.orderId,
      plain.orderId,
      sell.orderId,
    ]);
    await first.close();
    backend = await startTestBackend({ dataDir });
    const engine = exchangeOf(backend).market('BTC/USDT').engine;
    expect(engine.snapshot()).toEqual(snapshot);
    expect(engine.checkInvariants()).toEqual([]);
    expect(await get(backend, buy.orderId)).toMatchObject({
      stopPrice: '120.00',
      trailing: { bps: 300, activationPrice: '120.00', anchorPrice: null },
    });
    await tradeAt(backend, '112.00');
    expect(await get(backend, sell.orderId)).toMatchObject({
      stopPrice: '106.40',
      trailing: { anchorPrice: '112.00' },
    });
    await tradeAt(backend, '121.00'); // activates the buy at 121: stop 124.63
    expect(await get(backend, buy.orderId)).toMatchObject({
      stopPrice: '124.63',
      trailing: { anchorPrice: '121.00' },
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it('holds a buy stop-market by quantity on the highest stop it can have, as orders.test says', async () => {
    await fund(backend, 'alice', 'USDT', '1000');
    const input = trail('buy', '1', 500, { stopPrice: '110.00' });
    const test = (await backend.invoke('orders.test', input, trader('alice'))) as {
      hold: { amount: string };
    };
    // 110 × 1.05 = 115.50, within the ±10 % band: 127.05 and the 0.2 % fee 0.2541.
    expect(test.hold.amount).toBe('127.304100');
    const placed = await place(backend, 'alice', input);
    expect(placed.held).toBe('127.304100');
    await backend.invoke('orders.cancel', { orderId: placed.orderId }, trader('alice'));
    expect((await balances(backend, 'alice')).USDT).toEqual({
      available: '1000.000000',
      held: '0.000000',
    });
  });

  it('refuses what is not a trailing stop, with the field that is wrong', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    const onLimit = await rejects(
      place(backend, 'alice', limit('sell', '120.00', '0.1', { trailBps: 100 })),
      'invalid_order',
    );
    expect(onLimit).toMatchObject({ details: { field: 'trailBps' } });
    for (const trailBps of [0, 5001, 2.5, '100']) {
      await rejects(
        place(backend, 'alice', trail('sell', '0.1', 100, { trailBps })),
        'validation_failed',
      );
    }
    await rejects(
      place(backend, 'alice', { ...trail('sell', '0.1', 100), trailBps: undefined }),
      'invalid_order',
    );
    // ETH/USDT never traded: nothing to trail from without an activation price.
    await fund(backend, 'alice', 'ETH', '1');
    const eth = { ...trail('sell', '0.1', 100), symbol: 'ETH/USDT' };
    const none = await rejects(place(backend, 'alice', eth), 'no_reference_price');
    expect(none.message).toMatch(/give a stopPrice/);
    const waits = await place(backend, 'alice', { ...eth, stopPrice: '90.00' });
    expect(waits).toMatchObject({ status: 'new' });
    expect((await balances(backend, 'alice')).BTC?.held).toBe('0.00000000');
  });

  it('an OCO with a trailing stop leg: one hold, the stop trails, the take-profit stays', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    const list = (await backend.invoke(
      'orders.placeOco',
      {
        symbol: 'BTC/USDT',
        side: 'sell',
        qty: '1',
        price: '110.00',
        stopTrailBps: 500,
        bracket: true,
      },
      trader('alice'),
    )) as { orderListId: number; orders: [TrailingOrder, TrailingOrder] };
    const [tp, sl] = list.orders;
    expect(sl).toMatchObject({ type: 'stop_market', stopPrice: '95.00', trailing: { bps: 500 } });
    expect((await balances(backend, 'alice')).BTC).toEqual({
      available: '0.00000000',
      held: '1.00000000',
    });
    await tradeAt(backend, '105.00');
    expect((await get(backend, sl.orderId)).stopPrice).toBe('99.75');
    // The fall to 99.75 triggers the stop, which sells into bob's bid and ends the take-profit.
    await fund(backend, 'bob', 'USDT', '1000');
    await place(backend, 'bob', limit('buy', '99.00', '2'));
    await tradeAt(backend, '99.75');
    expect(await get(backend, sl.orderId)).toMatchObject({ status: 'filled', filledQty: '1.0000' });
    expect(await get(backend, tp.orderId)).toMatchObject({ status: 'cancelled' });
    expect(await reconciled(backend)).toBe(true);
  });

  it('refuses an OCO without a stopPrice or a stopTrailBps, and one whose limit is on the wrong side of the trailing stop', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    const oco = (input: object) =>
      backend.invoke(
        'orders.placeOco',
        { symbol: 'BTC/USDT', side: 'sell', qty: '1', ...input },
        trader('alice'),
      );
    await rejects(oco({ price: '110.00' }), 'invalid_order');
    for (const stopTrailBps of [0, 5001, 2.5, '100']) {
      await rejects(oco({ price: '110.00', stopTrailBps }), 'validation_failed');
    }
    // The trailing stop starts at 95.00: a take-profit at 94 is below it.
    const wrong = await rejects(oco({ price: '94.00', stopTrailBps: 500 }), 'invalid_price');
    expect(wrong.message).toContain('95.00');
    expect((await balances(backend, 'alice')).BTC?.held).toBe('0.00000000');
  });
});

describe('trailing stops by an amount in price units', () => {
  const byAmount = (
    side: 'buy' | 'sell',
    qty: string,
    trailAmount: string,
    extra: object = {},
  ) => ({
    ...trail(side, qty, 1),
    trailBps: undefined,
    trailAmount,
    ...extra,
  });

  it('a sell trails that far behind the high, kept across a restart; a buy is held on activation + amount', async () => {
    const dataDir = tempDataDir();
    await backend.cleanup();
    const first = await startTestBackend({ dataDir });
    await fundTape(first);
    await fund(first, 'alice', 'BTC', '1');
    await fund(first, 'alice', 'USDT', '1000');
    const sell = (await place(
      first,
      'alice',
      byAmount('sell', '0.5', '2.50'),
    )) as unknown as TrailingOrder;
    expect(sell).toMatchObject({
      stopPrice: '97.50',
      trailing: { amount: '2.50', activationPrice: null, anchorPrice: '100.00' },
    });
    expect(sell.trailing).not.toHaveProperty('bps');
    // A buy waiting for 110: held as a stop at 110 + 5 = 115 banded +10 %, plus the 0.2 % fee.
    const input = byAmount('buy', '1', '5.00', { stopPrice: '110.00' });
    const test = (await first.invoke('orders.test', input, trader('alice'))) as {
      hold: { amount: string };
    };
    expect(test.hold.amount).toBe('126.753000');
    const buy = await place(first, 'alice', input);
    expect(buy.held).toBe('126.753000');
    await tradeAt(first, '106.00');
    expect((await get(first, sell.orderId)).stopPrice).toBe('103.50');
    await exchangeOf(first).flush();
    const snapshot = exchangeOf(first).market('BTC/USDT').engine.snapshot();
    await first.close();
    backend = await startTestBackend({ dataDir });
    expect(exchangeOf(backend).market('BTC/USDT').engine.snapshot()).toEqual(snapshot);
    expect(await get(backend, buy.orderId)).toMatchObject({
      stopPrice: '110.00',
      trailing: { amount: '5.00', activationPrice: '110.00', anchorPrice: null },
    });
    await tradeAt(backend, '108.25');
    expect((await get(backend, sell.orderId)).stopPrice).toBe('105.75');
    await tradeAt(backend, '111.00'); // activates the buy at 111: stop 116.00
    expect(await get(backend, buy.orderId)).toMatchObject({
      stopPrice: '116.00',
      trailing: { anchorPrice: '111.00' },
    });
    // The sell's high is now 111: its stop 108.50; a fall there sells into bob's bid.
    expect((await get(backend, sell.orderId)).stopPrice).toBe('108.50');
    await fund(backend, 'bob', 'USDT', '1000');
    await place(backend, 'bob', limit('buy', '108.00', '1'));
    await tradeAt(backend, '108.50');
    expect(await get(backend, sell.orderId)).toMatchObject({
      status: 'filled',
      filledQty: '0.5000',
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it('refuses an amount with the field named: both units, off the tick, on a limit, or a sell that could never trigger', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    const field = async (input: Record<string, unknown>, code: string) =>
      ((await rejects(place(backend, 'alice', input), code)) as Refusal).details?.field;
    expect(await field(byAmount('sell', '0.1', '2.50', { trailBps: 100 }), 'invalid_order')).toBe(
      'trailAmount',
    );
    const offTick = await rejects(
      place(backend, 'alice', byAmount('sell', '0.1', '2.505')),
      'tick_size',
    );
    expect(offTick).toMatchObject({
      message: 'trailAmount: distance 2.505 is not a multiple of 0.01',
      details: { field: 'trailAmount' },
    });
    expect(await field(byAmount('sell', '0.1', '0'), 'invalid_price')).toBe('trailAmount');
    const onLimit = limit('sell', '120.00', '0.1', { trailAmount: '2.50' });
    expect(await field(onLimit, 'invalid_order')).toBe('trailAmount');
    await rejects(place(backend, 'alice', byAmount('sell', '0.1', '-1')), 'validation_failed');
    // From the last price of 100, or from its activation price of 90.
    const never = await rejects(
      place(backend, 'alice', byAmount('sell', '0.1', '100')),
      'invalid_order',
    );
    expect(never).toMatchObject({ details: { field: 'trailAmount' } });
    expect(never.message).toMatch(/never trigger/);
    const fromActivation = byAmount('sell', '0.1', '90.00', { stopPrice: '90.00' });
    expect(await field(fromActivation, 'invalid_order')).toBe('trailAmount');
    expect(await place(backend, 'alice', byAmount('sell', '1', '95.00'))).toMatchObject({
      stopPrice: '5.00',
    });
    expect((await balances(backend, 'alice')).BTC?.held).toBe('1.00000000');
  });

  it('an OCO stop leg trails by stopTrailAmount', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    const list = (await backend.invoke(
      'orders.placeOco',
      { symbol: 'BTC/USDT', side: 'sell', qty: '1', price: '110.00', stopTrailAmount: '4.00' },
      trader('alice'),
    )) as { orders: [TrailingOrder, TrailingOrder] };
    const [tp, sl] = list.orders;
    expect(sl).toMatchObject({ stopPrice: '96.00', trailing: { amount: '4.00' } });
    await tradeAt(backend, '105.00');
    expect((await get(backend, sl.orderId)).stopPrice).toBe('101.00');
    await fund(backend, 'bob', 'USDT', '1000');
    await place(backend, 'bob', limit('buy', '100.00', '2'));
    await tradeAt(backend, '101.00');
    expect(await get(backend, sl.orderId)).toMatchObject({ status: 'filled' });
    expect(await get(backend, tp.orderId)).toMatchObject({ status: 'cancelled' });
    const both = backend.invoke(
      'orders.placeOco',
      {
        symbol: 'BTC/USDT',
        side: 'sell',
        qty: '0.1',
        price: '105.00',
        stopTrailAmount: '4.00',
        stopTrailBps: 100,
      },
      trader('alice'),
    );
    const offTick = backend.invoke(
      'orders.placeOco',
      { symbol: 'BTC/USDT', side: 'sell', qty: '0.1', price: '105.00', stopTrailAmount: '4.005' },
      trader('alice'),
    );
    expect(await rejects(offTick, 'tick_size')).toMatchObject({
      message: 'stopTrailAmount: distance 4.005 is not a multiple of 0.01',
      details: { field: 'stopTrailAmount' },
    });
    expect(((await rejects(both, 'invalid_order')) as Refusal).details?.field).toBe(
      'stopTrailAmount',
    );
    expect(await reconciled(backend)).toBe(true);
  });
});
