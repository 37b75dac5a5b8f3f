// Take-profit orders through the service: orders.place with take_profit_market /
// take_profit_limit, the holds, the trigger when the price moves for the order, a restart
// with take-profits and stops waiting side by side, and the refusals with their fields.
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

interface Order {
  orderId: number;
  type: string;
  status: string;
  price: string | null;
  stopPrice: string | null;
  held: string;
  filledQty: string;
  filledQuote: string;
}

let backend: TestBackend;

const takeProfit = (side: 'buy' | 'sell', qty: string, stopPrice: string, extra: object = {}) => ({
  symbol: 'BTC/USDT',
  side,
  type: 'price' in extra ? 'take_profit_limit' : 'take_profit_market',
  qty,
  stopPrice,
  ...extra,
});

const placeAsAlice = (input: object) =>
  backend.invoke('orders.place', input, trader('alice')) as Promise<Order>;
const get = (b: TestBackend, orderId: number) =>
  b.invoke('orders.get', { orderId }, trader('alice')) as Promise<Order>;

beforeEach(async () => {
  backend = await startTestBackend();
  await fundTape(backend);
});
afterEach(async () => {
  await backend.cleanup();
});

describe('take-profit orders', () => {
  it('a sell take-profit limit waits for the price to rise to it, then sells at its limit', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    const placed = await placeAsAlice(takeProfit('sell', '0.5', '110.00', { price: '109.00' }));
    expect(placed).toMatchObject({
      type: 'take_profit_limit',
      status: 'new',
      stopPrice: '110.00',
      price: '109.00',
      held: '0.50000000',
    });
    await tradeAt(backend, '95.00'); // a fall: a stop would trigger here, a take-profit waits
    await tradeAt(backend, '104.00');
    await tradeAt(backend, '109.99');
    expect(await get(backend, placed.orderId)).toMatchObject({
      status: 'new',
      filledQty: '0.0000',
    });
    await fund(backend, 'bob', 'USDT', '1000');
    await place(backend, 'bob', limit('buy', '109.50', '1'));
    await tradeAt(backend, '110.00');
    // Triggered at 110, its limit at 109 sold into Bob's bid at 109.50.
    expect(await get(backend, placed.orderId)).toMatchObject({
      status: 'filled',
      filledQty: '0.5000',
      filledQuote: '54.750000',
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it('holds a buy take-profit market by quantity on the band around its trigger, and releases it', async () => {
    await fund(backend, 'alice', 'USDT', '1000');
    const input = takeProfit('buy', '1', '92.00');
    const test = (await backend.invoke('orders.test', input, trader('alice'))) as {
      hold: { amount: string };
    };
    // 92 × 1.1 (the ±10 % band) = 101.20, and the 0.2 % taker fee 0.2024.
    expect(test.hold.amount).toBe('101.402400');
    const placed = await placeAsAlice(input);
    expect(placed).toMatchObject({ status: 'new', held: '101.402400' });
    await place(backend, 'carol', limit('sell', '91.50', '2'));
    // Carol's ask at 91.50 trades with nobody yet; a trade there (dave) triggers Alice's buy.
    await place(backend, 'dave', limit('buy', '91.50', '0.1', { tif: 'IOC' }));
    expect(await get(backend, placed.orderId)).toMatchObject({
      status: 'filled',
      filledQty: '1.0000',
      filledQuote: '91.500000',
    });
    // 91.50 and its fee 0.183 spent; the rest of the hold is back.
    expect((await balances(backend, 'alice')).USDT).toEqual({
      available: '908.317000',
      held: '0.000000',
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it('a restart keeps take-profits and stops waiting in their trigger order', async () => {
    const dataDir = tempDataDir();
    await backend.cleanup();
    const first = await startTestBackend({ dataDir });
    await fundTape(first);
    await fund(first, 'alice', 'BTC', '1');
    await fund(first, 'alice', 'USDT', '1000');
    const sellTp = await place(first, 'alice', takeProfit('sell', '0.1', '104.00'));
    const buyStop = await place(first, 'alice', {
      ...takeProfit('buy', '0.1', '103.00'),
      type: 'stop_market',
    });
    const buyTp = await place(
      first,
      'alice',
      takeProfit('buy', '0.1', '96.00', { price: '96.00' }),
    );
    const sellStop = await place(first, 'alice', {
      ...takeProfit('sell', '0.1', '97.00'),
      type: 'stop_market',
    });
    await exchangeOf(first).flush();
    const snapshot = exchangeOf(first).market('BTC/USDT').engine.snapshot();
    // Rising (buy stops, sell take-profits) lowest first, then falling highest first.
    expect(snapshot.stops.map((s) => s.orderId)).toEqual([
      buyStop.orderId,
      sellTp.orderId,
      sellStop.orderId,
      buyTp.orderId,
    ]);
    await first.close();
    backend = await startTestBackend({ dataDir });
    const engine = exchangeOf(backend).market('BTC/USDT').engine;
    expect(engine.snapshot()).toEqual(snapshot);
    expect(engine.checkInvariants()).toEqual([]);
    await tradeAt(backend, '104.00');
    expect((await get(backend, sellTp.orderId)).status).not.toBe('new');
    expect((await get(backend, buyTp.orderId)).status).toBe('new');
    expect(await reconciled(backend)).toBe(true);
  });

  it('refuses what a take-profit cannot be, naming the field', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    const trails = await rejects(
      place(backend, 'alice', takeProfit('sell', '0.1', '110.00', { trailBps: 100 })),
      'invalid_order',
    );
    expect(trails).toMatchObject({ details: { field: 'trailBps' } });
    expect(trails.message).toMatch(/only stop orders trail/);
    const noStop = await rejects(
      place(backend, 'alice', { ...takeProfit('sell', '0.1', '110.00'), stopPrice: undefined }),
      'invalid_order',
    );
    expect(noStop).toMatchObject({ details: { field: 'stopPrice' } });
    expect(noStop.message).toMatch(/take-profit orders need a stopPrice/);
    const priced = await rejects(
      place(backend, 'alice', { ...takeProfit('sell', '0.1', '110.00'), price: '109.00' }),
      'invalid_order',
    );
    expect(priced).toMatchObject({ details: { field: 'price' } });
    const noLimit = await rejects(
      place(backend, 'alice', {
        ...takeProfit('sell', '0.1', '110.00'),
        type: 'take_profit_limit',
      }),
      'invalid_order',
    );
    expect(noLimit).toMatchObject({ details: { field: 'price' } });
    const postOnly = await rejects(
      place(
        backend,
        'alice',
        takeProfit('sell', '0.1', '110.00', { price: '109', postOnly: true }),
      ),
      'invalid_order',
    );
    expect(postOnly).toMatchObject({ details: { field: 'postOnly' } });
    const offTick = await rejects(
      place(backend, 'alice', takeProfit('sell', '0.1', '110.001')),
      'tick_size',
    );
    expect(offTick).toMatchObject({ details: { field: 'stopPrice' } });
    expect((await balances(backend, 'alice')).BTC?.held).toBe('0.00000000');
  });
});
