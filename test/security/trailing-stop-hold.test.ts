import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import { balances, fund, limit, place, reconciled, trader } from '../helpers/exchange';

/**
 * A trailing buy stop-market by quantity holds what its highest possible stop price would cost
 * (its activation price plus the trail, inside the price band). A gap that activates it higher
 * moves its stop above what it holds; an attacker who walks the price there must not make it
 * buy with money it never held (an overdraft, or another order's hold spent). The triggered
 * order stays banded within its hold: what lies beyond is not bought (price_band), the ledger
 * still reconciles and nothing goes negative.
 */
let backend: TestBackend;

/** Carol sells dave 0.1 BTC at `price`: the last price is then `price`. */
async function tradeAt(price: string): Promise<void> {
  await place(backend, 'carol', limit('sell', price, '0.1'));
  await place(backend, 'dave', limit('buy', price, '0.1', { tif: 'IOC' }));
}

beforeEach(async () => {
  backend = await startTestBackend();
  await fund(backend, 'carol', 'BTC', '10');
  await fund(backend, 'dave', 'USDT', '100000');
  await tradeAt('100.00');
});
afterEach(async () => {
  await backend.cleanup();
});

// 5 % of 105 and 5.25 price units over 105 give the same highest stop, 110.25.
it.each([
  ['by percent', { trailBps: 500 }],
  ['by an amount', { trailAmount: '5.25' }],
])('a gap-activated trailing buy stop-market %s never spends beyond its hold', async (_, trail) => {
  // Exactly what the stop holds: 1 BTC × 121.27 (110.25, +10 % band) + 0.2 % fee.
  await fund(backend, 'alice', 'USDT', '121.512540');
  const stop = await place(backend, 'alice', {
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'stop_market',
    qty: '1',
    stopPrice: '105.00',
    ...trail,
  });
  expect(stop.held).toBe('121.512540');
  await tradeAt('110.00'); // activates above 105: anchor 110, stop 115.50 (115.25 by amount)
  await tradeAt('112.00');
  // An ask inside a band around 115.50 (up to 127.05), beyond what the hold covers (121.27).
  await place(backend, 'carol', limit('sell', '121.50', '2'));
  await tradeAt('115.50'); // triggers the stop
  const after = (await backend.invoke(
    'orders.get',
    { orderId: stop.orderId },
    trader('alice'),
  )) as {
    status: string;
    filledQty: string;
    cancelReason: string | null;
  };
  expect(after).toMatchObject({ status: 'cancelled', filledQty: '0.0000' });
  expect(after.cancelReason).toBe('price_band');
  expect(await balances(backend, 'alice')).toEqual({
    USDT: { available: '121.512540', held: '0.000000' },
  });
  expect(await reconciled(backend)).toBe(true);
});
