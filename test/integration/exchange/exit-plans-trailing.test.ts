import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import {
  reconciled,
  balances,
  exchangeOf,
  fund,
  limit,
  place,
  rejects,
  trader,
} from '../../helpers/exchange';

/**
 * A trailing stop-loss on an order with exits (`stopLoss: {trailPercent}`): the exit is a
 * trailing stop — the stop leg of the take-profit's bracket pair, or alone — that follows the
 * best price from the moment it is placed; an exit alert that takes it off puts it back trailing.
 */
interface Placed {
  entry: { orderId: number; status: string; filledQty: string };
  plan: { planId: number; status: string; result: Record<string, unknown> | null };
}

let backend: TestBackend;

beforeEach(async () => {
  backend = await startTestBackend();
  // Asks at 100.00 from a maker (the trader's market buy fills there: last 100.00).
  await fund(backend, 'maker', 'BTC', '10');
  await fund(backend, 'maker', 'USDT', '100000');
  await place(backend, 'maker', limit('sell', '100.00', '1'));
  await fund(backend, 'trader', 'USDT', '10000');
});
afterEach(async () => {
  await backend.cleanup();
});

const withExits = (input: Record<string, unknown>) =>
  backend.invoke('orders.placeWithExits', input, trader('trader')) as Promise<Placed>;
const buy = (qty: string) => ({ symbol: 'BTC/USDT', side: 'buy', type: 'market', qty });
const exits = () =>
  exchangeOf(backend)
    .openOrders({ userId: 'trader' })
    .sort((a, b) => a.id - b.id);

/** The maker sells 0.1 to a taker at `price` (its other asks taken off): the last price is `price`. */
async function tradeAt(price: string): Promise<void> {
  await backend.invoke('orders.cancelAll', { symbol: 'BTC/USDT' }, trader('maker'));
  await place(backend, 'maker', limit('sell', price, '0.1'));
  await fund(backend, 'taker', 'USDT', '20');
  await place(backend, 'taker', limit('buy', price, '0.1', { tif: 'IOC' }));
}

describe('trailing stop-loss exits', () => {
  it('with a take-profit: the pair’s stop leg trails, and sells the position when price falls back', async () => {
    const r = await withExits({
      order: buy('0.5'),
      takeProfit: { percent: '10' },
      stopLoss: { trailPercent: '5' },
    });
    expect(r.plan).toMatchObject({
      status: 'placed',
      result: { qty: '0.5000', takeProfit: '110.00', stopLossTrailBps: 500 },
    });
    const [tp, sl] = exits();
    expect([tp!.kind, tp!.price, sl!.kind, sl!.stopPrice]).toEqual([
      'limit',
      11000,
      'stop_market',
      9500,
    ]);
    expect(sl!.trail).toMatchObject({ bps: 500, anchor: 10000 });
    await tradeAt('104.00');
    expect(exits()[1]!.stopPrice).toBe(9880); // 104 × 0.95
    // Bob bids under it; the fall to 98.80 sells the 0.5 to him and ends the take-profit.
    await fund(backend, 'bob', 'USDT', '1000');
    await place(backend, 'bob', limit('buy', '98.00', '1'));
    await tradeAt('98.80');
    expect(exits()).toEqual([]);
    expect((await balances(backend, 'trader')).BTC).toEqual({
      available: '0.00000000',
      held: '0.00000000',
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it('alone: a trailing stop-market for what the entry filled', async () => {
    const r = await withExits({ order: buy('0.2'), stopLoss: { trailPercent: '2.5' } });
    expect(r.plan).toMatchObject({ status: 'placed', result: { stopLossTrailBps: 250 } });
    expect(exits().map((o) => [o.kind, o.side, o.openQty, o.stopPrice, o.trail?.bps])).toEqual([
      ['stop_market', 'sell', 2000, 9750, 250],
    ]);
  });

  it('by an amount: the stop leg trails that many price units, and orders.exitPlans lists it', async () => {
    const r = await withExits({
      order: buy('0.5'),
      takeProfit: { percent: '10' },
      stopLoss: { trailAmount: '3.50' },
    });
    expect(r.plan).toMatchObject({ status: 'placed', result: { stopLossTrailAmount: '3.50' } });
    const sl = exits()[1]!;
    expect([sl.kind, sl.stopPrice, sl.trail]).toMatchObject([
      'stop_market',
      9650,
      { bps: 0, amount: 350, anchor: 10000 },
    ]);
    await tradeAt('104.00');
    expect(exits()[1]!.stopPrice).toBe(10050);
    const listed = (await backend.invoke('orders.exitPlans', {}, trader('trader'))) as {
      items: Array<{ planId: number; stopLoss: unknown }>;
    };
    expect(listed.items.find((p) => p.planId === r.plan.planId)).toMatchObject({
      stopLoss: { trailAmount: '3.50' },
    });
    const both = withExits({
      order: buy('0.2'),
      stopLoss: { trailAmount: '3', trailPercent: '1' },
    });
    await rejects(both, 'validation_failed');
  });

  it('refuses a trailing take-profit and a distance finer than 0.01 %, placing nothing', async () => {
    const e1 = await rejects(
      withExits({ order: buy('0.2'), takeProfit: { trailPercent: '2' } }),
      'invalid_bracket',
    );
    expect(e1.message).toContain('take-profit cannot trail');
    const e2 = await rejects(
      withExits({ order: buy('0.2'), stopLoss: { trailPercent: '0.005' } }),
      'invalid_bracket',
    );
    expect(e2.message).toContain('at most two decimals');
    // Outside the schema: not a positive decimal, or beside another level field.
    for (const stopLoss of [{ trailPercent: '-1' }, { trailPercent: 'abc' }, { trailPercent: 2 }]) {
      await rejects(withExits({ order: buy('0.2'), stopLoss }), 'validation_failed');
    }
    await rejects(
      withExits({ order: buy('0.2'), stopLoss: { trailPercent: '2', price: '90.00' } }),
      'validation_failed',
    );
    await rejects(
      withExits({ order: buy('0.2'), stopLoss: { trailPercent: '50.01' } }),
      'invalid_bracket',
    );
    expect(exits()).toEqual([]);
    expect((await balances(backend, 'trader')).BTC).toBeUndefined();
  });

  it('an exit alert takes the trailing stop off and puts it back trailing for what is left', async () => {
    const r = await withExits({
      order: buy('0.5'),
      takeProfit: { price: '108.00' },
      stopLoss: { trailPercent: '5' },
    });
    await tradeAt('104.00');
    const keeper = backend.features.exitPlans;
    const released = await keeper.releaseExits('trader', 'BTC/USDT', 'x1');
    expect(released).toEqual([
      {
        planId: r.plan.planId,
        side: 'sell',
        lots: 5000,
        round: 'x1',
        takeProfit: '108.00',
        stopLossTrailBps: 500,
      },
    ]);
    expect(exits()).toEqual([]);
    await tradeAt('106.00'); // under the take-profit: it would have stayed
    await keeper.restoreExits('trader', 'BTC/USDT', released);
    const [tp, sl] = exits();
    expect(tp).toMatchObject({
      kind: 'limit',
      price: 10800,
      clientOrderId: `brk-${r.plan.planId}-rx1-tp`,
    });
    // Trailing again, from the last price when it was put back (106 × 0.95 = 100.70).
    expect(sl).toMatchObject({ kind: 'stop_market', stopPrice: 10070, trail: { bps: 500 } });
  });
});
