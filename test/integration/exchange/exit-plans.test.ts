import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { exchangeOf, fund, limit, place, rejects, trader } from '../../helpers/exchange';

/**
 * orders.placeWithExits / orders.exitPlans: an order placed by hand with a take-profit and a
 * stop-loss, placed for what it fills (the same keeper alerts use; parts of a resting order:
 * exit-plans-parts.test.ts).
 */
interface PlanOut {
  planId: number;
  status: string;
  entryOrderId: number | null;
  result: Record<string, unknown> | null;
}
interface Placed {
  entry: { orderId: number; status: string; filledQty: string };
  plan: PlanOut;
}

let backend: TestBackend;

beforeEach(async () => {
  backend = await startTestBackend();
  // Asks at 100.00 and bids at 99.00 from a maker; the trader has USDT.
  await fund(backend, 'maker', 'BTC', '10');
  await fund(backend, 'maker', 'USDT', '100000');
  await place(backend, 'maker', limit('sell', '100.00', '1'));
  await place(backend, 'maker', limit('buy', '99.00', '1'));
  await fund(backend, 'trader', 'USDT', '10000');
});
afterEach(async () => {
  await backend.cleanup();
});

const withExits = (input: Record<string, unknown>) =>
  backend.invoke('orders.placeWithExits', input, trader('trader')) as Promise<Placed>;
const plans = (input: Record<string, unknown> = {}) =>
  backend.invoke('orders.exitPlans', input, trader('trader')) as Promise<{ items: PlanOut[] }>;
const openKinds = () =>
  exchangeOf(backend)
    .openOrders({ userId: 'trader' })
    .map((o) => `${o.side} ${o.kind}`)
    .sort();

describe('orders.placeWithExits', () => {
  it('a market buy: filled at once, its OCO sell placed before the answer', async () => {
    const r = await withExits({
      order: { symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.5' },
      takeProfit: { price: '110.00' },
      stopLoss: { percent: '5' },
    });
    expect(r.entry).toMatchObject({ status: 'filled', filledQty: '0.5000' });
    expect(r.plan).toMatchObject({
      status: 'placed',
      entryOrderId: r.entry.orderId,
      result: { qty: '0.5000', takeProfit: '110.00', stopLoss: '95.00' },
    });
    expect(openKinds()).toEqual(['sell limit', 'sell stop_market']);
  });

  it('a take profit filled in part leaves the stop loss on the rest (a bracket pair)', async () => {
    await withExits({
      order: { symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.5' },
      takeProfit: { price: '105.00' },
      stopLoss: { price: '95.00' },
    });
    await fund(backend, 'buyer', 'USDT', '1000');
    // The maker's 0.5 left at 100 first, then 0.2 of the take profit at 105.
    await place(backend, 'buyer', { ...limit('buy', '105.00', '0.7'), tif: 'IOC' });
    const legs = exchangeOf(backend)
      .openOrders({ userId: 'trader' })
      .map((o) => `${o.side} ${o.kind} ${o.openQty}`)
      .sort();
    expect(legs).toEqual(['sell limit 3000', 'sell stop_market 3000']);
  });

  it('measures the levels of a take-profit market entry from its trigger, not from the book', async () => {
    // A buy take-profit triggered at 95 buys around 95: a take-profit at 97 is above that
    // entry (under the best ask, 100), and a stop-loss at 96 is not below it.
    const order = {
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'take_profit_market',
      stopPrice: '95.00',
      qty: '0.5',
    };
    const r = await withExits({ order, takeProfit: { price: '97.00' } });
    expect(r.plan.status).toBe('waiting');
    const refused = await rejects(
      withExits({ order: { ...order, clientOrderId: 'tp-2' }, stopLoss: { price: '96.00' } }),
      'invalid_bracket',
    );
    expect(refused.message).toMatch(/stop-loss must be below the entry \(95\.00\)/);
  });

  it('a retry with the same clientOrderId answers the same entry and plan, and places nothing more', async () => {
    const input = {
      order: {
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'market',
        qty: '0.5',
        clientOrderId: 'entry-1',
      },
      stopLoss: { amount: '3' },
    };
    const first = await withExits(input);
    const again = await withExits(input);
    expect(again.entry.orderId).toBe(first.entry.orderId);
    expect(again.plan.planId).toBe(first.plan.planId);
    expect(openKinds()).toEqual(['sell stop_market']);
    expect((await plans()).items).toHaveLength(1);
  });

  it('a resting limit buy: the plan waits, listed as waiting, and is placed when the buy fills', async () => {
    const r = await withExits({
      order: { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '98.00', qty: '0.3' },
      takeProfit: { percent: '10' },
    });
    expect(r.plan.status).toBe('waiting');
    expect((await plans({ status: 'waiting' })).items.map((p) => p.planId)).toEqual([
      r.plan.planId,
    ]);
    await fund(backend, 'seller', 'BTC', '5');
    await place(backend, 'seller', { ...limit('sell', '98.00', '1.3'), tif: 'IOC' });
    await vi.waitFor(() => expect(openKinds()).toEqual(['sell limit']));
    const [done] = (await plans()).items;
    expect(done).toMatchObject({ status: 'placed', result: { takeProfit: '107.80' } });
  });

  it('drops a waiting plan on request: the order stays, nothing is placed when it fills', async () => {
    const r = await withExits({
      order: { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '98.00', qty: '0.3' },
      stopLoss: { price: '90.00' },
    });
    const dropped = (await backend.invoke(
      'orders.cancelExitPlan',
      { planId: r.plan.planId },
      trader('trader'),
    )) as PlanOut;
    expect(dropped).toMatchObject({ status: 'cancelled', result: { reason: 'user' } });
    expect(openKinds()).toEqual(['buy limit']);
    await fund(backend, 'seller', 'BTC', '5');
    await place(backend, 'seller', { ...limit('sell', '98.00', '1.3'), tif: 'IOC' });
    await vi.waitFor(() => expect(openKinds()).toEqual([]));
    await rejects(
      backend.invoke('orders.cancelExitPlan', { planId: r.plan.planId }, trader('trader')),
      'exit_plan_not_waiting',
    );
  });

  it('refuses an order with no level, and levels on the wrong side, placing nothing', async () => {
    const order = { symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.5' };
    await rejects(withExits({ order }), 'invalid_bracket');
    await rejects(withExits({ order, takeProfit: { price: '95.00' } }), 'invalid_bracket');
    await rejects(
      withExits({
        order: { ...order, type: 'limit', price: '98.00' },
        stopLoss: { price: '99.00' },
      }),
      'invalid_bracket',
    );
    expect(openKinds()).toEqual([]);
    expect((await plans()).items).toEqual([]);
    expect(exchangeOf(backend).holdings('trader', 'USDT').held).toBe(0n);
  });

  it('refuses inputs outside the schemas as validation_failed, placing and storing nothing', async () => {
    const order = { symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.5' };
    const bad: Array<[string, Record<string, unknown>]> = [
      ['orders.placeWithExits', { order, takeProfit: { price: '110.00', percent: '5' } }],
      ['orders.placeWithExits', { order, stopLoss: {} }],
      ['orders.placeWithExits', { order, stopLoss: { price: '-1' } }],
      ['orders.placeWithExits', { order: { ...order, colour: 'red' }, stopLoss: { price: '90' } }],
      ['orders.placeWithExits', { order, stopLoss: { price: '90' }, trailing: true }],
      ['orders.exitPlans', { limit: 501 }],
      ['orders.exitPlans', { status: 'open' }],
      ['orders.cancelExitPlan', { planId: 0 }],
      ['orders.cancelExitPlan', {}],
    ];
    for (const [name, input] of bad) {
      await rejects(backend.invoke(name, input, trader('trader')), 'validation_failed');
    }
    expect(openKinds()).toEqual([]);
    expect((await plans()).items).toEqual([]);
  });

  it('an entry priced off the tick is refused for its own price (tick_size), not as an error', async () => {
    await rejects(
      withExits({
        order: { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '98.005', qty: '0.1' },
        stopLoss: { percent: '5' },
      }),
      'tick_size',
    );
  });

  it('an entry the exchange refuses ends its plan (cancelled, with the reason)', async () => {
    await rejects(
      withExits({
        order: { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '98.00', qty: '500' },
        stopLoss: { price: '90.00' },
      }),
      'insufficient_funds',
    );
    const [p] = (await plans()).items;
    expect(p).toMatchObject({
      status: 'cancelled',
      entryOrderId: null,
      result: { reason: 'entry_refused' },
    });
  });

  it('plans are their owner’s: another user lists none', async () => {
    await withExits({
      order: { symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.1' },
      stopLoss: { price: '90.00' },
    });
    const theirs = (await backend.invoke('orders.exitPlans', {}, trader('maker'))) as {
      items: unknown[];
    };
    expect(theirs.items).toEqual([]);
  });
});
