import { describe, expect, it } from 'vitest';
import type { AssumptionsInput, Order } from '../../../src-main/domain/backtest';
import { defineStrategy, runBacktest } from '../../../src-main/domain/backtest';
import type { Step } from './helpers';
import { bars, flat, scripted } from './helpers';

const run = (
  c: ReturnType<typeof bars>,
  plan: Record<number, Step[]>,
  assumptions: AssumptionsInput = {},
  updates: Order[] = [],
) =>
  runBacktest({
    candles: c,
    strategy: scripted(plan, updates),
    assumptions: { closeAtEnd: false, ...assumptions },
  });

// open, high, low, close
const path = bars([
  [100, 101, 99, 100], // 0
  [102, 104, 101, 103], // 1
  [103, 105, 97, 98], // 2
  [95, 96, 90, 91], // 3 gaps down
  [99, 110, 98, 108], // 4 gaps up
  [108, 109, 107, 108], // 5
]);

describe('fill rules: one scenario per row', () => {
  const cases: Array<[string, Step, AssumptionsInput, number, number]> = [
    // [name, order submitted at bar 0, assumptions, expected fill bar, expected fill price]
    ['market buy fills at the next open', { side: 'buy', quantity: 1 }, {}, 1, 102],
    [
      'market at next close when asked',
      { side: 'buy', quantity: 1 },
      { marketFill: 'next-close' },
      1,
      103,
    ],
    ['market buy pays half the spread', { side: 'buy', quantity: 1 }, { spread: 0.5 }, 1, 102.25],
    [
      'market sell receives open minus half spread',
      { side: 'sell', quantity: 1 },
      { spread: 0.5 },
      1,
      101.75,
    ],
    [
      'market buy with 10 bps slippage',
      { side: 'buy', quantity: 1 },
      { slippage: { kind: 'bps', bps: 10 } },
      1,
      102.102,
    ],
    [
      'market sell with 2 ticks slippage',
      { side: 'sell', quantity: 1 },
      { slippage: { kind: 'ticks', ticks: 2 }, tickSize: 0.25 },
      1,
      101.5,
    ],
    [
      'limit buy fills when touched, at the limit',
      { side: 'buy', type: 'limit', price: 98, quantity: 1 },
      {},
      2,
      98,
    ],
    [
      'limit buy fills at the open when the bar gaps through',
      { side: 'buy', type: 'limit', price: 96, quantity: 1 },
      {},
      3,
      95,
    ],
    [
      'limit buy touched only when the ask reaches it',
      { side: 'buy', type: 'limit', price: 97.1, quantity: 1 },
      { spread: 0.4 },
      3,
      95.2,
    ],
    [
      'limit sell fills when touched, at the limit',
      { side: 'sell', type: 'limit', price: 104.5, quantity: 1 },
      {},
      2,
      104.5,
    ],
    [
      'limit sell fills at the open on a gap up',
      { side: 'sell', type: 'limit', price: 97, quantity: 1 },
      {},
      1,
      102,
    ],
    [
      'stop buy fills at the stop when touched',
      { side: 'buy', type: 'stop', price: 104, quantity: 1 },
      {},
      1,
      104,
    ],
    [
      'stop buy fills at the open on a gap',
      { side: 'buy', type: 'stop', price: 101.5, quantity: 1 },
      {},
      1,
      102,
    ],
    [
      'stop buy adds slippage',
      { side: 'buy', type: 'stop', price: 104, quantity: 1 },
      { slippage: { kind: 'ticks', ticks: 1 } },
      1,
      104.01,
    ],
    [
      'stop sell fills at the stop when touched',
      { side: 'sell', type: 'stop', price: 99, quantity: 1 },
      {},
      2,
      99,
    ],
    [
      'stop sell fills at the open when the bar gaps below',
      { side: 'sell', type: 'stop', price: 96, quantity: 1 },
      {},
      3,
      95,
    ],
  ];
  it.each(cases)('%s', (_name, step, assumptions, bar, price) => {
    const r = run(path, { 0: [step] }, assumptions);
    const o = r.orders[0]!;
    expect(o.status).toBe('filled');
    expect(o.doneIndex).toBe(bar);
    expect(o.fillPrice).toBeCloseTo(price, 10);
  });

  it('an order never fills on the bar that created it', () => {
    const r = run(path, { 1: [{ side: 'buy', type: 'limit', price: 102, quantity: 1 }] });
    expect(r.orders[0]!.doneIndex).toBe(2);
  });

  it('unfilled orders stay open and are cancelled at the end of data', () => {
    const r = run(path, { 0: [{ side: 'buy', type: 'limit', price: 50, quantity: 1 }] });
    expect(r.orders[0]).toMatchObject({ status: 'cancelled', reason: 'end of data' });
  });
});

describe('money is exact to the cent', () => {
  it('buys 3 at 0.10 for exactly 0.30 and 1 at 1.005 for 1.01 (half away from zero)', () => {
    const r = run(flat([0.1, 0.1]), { 0: [{ side: 'buy', quantity: 3 }] }, { initialCash: 1 });
    expect(r.finalCashMinor).toBe(70);
    const r2 = run(
      flat([1.005, 1.005]),
      { 0: [{ side: 'buy', quantity: 1 }] },
      { initialCash: 10 },
    );
    expect(r2.finalCashMinor).toBe(1000 - 101);
  });

  it('rounds notional and commission separately per fill', () => {
    // 7 x 12.345 = 86.415 → 86.42; 0.1 % of it = 0.086415 → 0.09.
    const r = run(
      flat([12.345, 12.345]),
      { 0: [{ side: 'buy', quantity: 7 }] },
      {
        initialCash: 1000,
        commission: { kind: 'percent', rate: 0.001 },
      },
    );
    expect(r.orders[0]!.feeMinor).toBe(9);
    expect(r.finalCashMinor).toBe(100_000 - 8642 - 9);
  });

  it('applies each commission model', () => {
    const fee = (commission: AssumptionsInput['commission']): number =>
      run(flat([10, 10]), { 0: [{ side: 'buy', quantity: 30 }] }, { commission }).orders[0]!
        .feeMinor;
    expect(fee({ kind: 'none' })).toBe(0);
    expect(fee({ kind: 'per-order', amount: 4.95 })).toBe(495);
    expect(fee({ kind: 'per-unit', amount: 0.005, minimum: 1 })).toBe(100);
    expect(fee({ kind: 'per-unit', amount: 0.05 })).toBe(150);
    expect(fee({ kind: 'percent', rate: 0.0025 })).toBe(75);
  });

  it('partial exits split entry cost and fees pro rata, and the parts sum exactly', () => {
    const c = flat([10, 10.01, 10.37, 10.5, 10.5]);
    const r = run(
      c,
      {
        0: [{ side: 'buy', quantity: 3 }],
        1: [{ side: 'sell', quantity: 1 }],
        2: [{ side: 'sell', quantity: 2 }],
      },
      {
        commission: { kind: 'per-order', amount: 1 },
      },
    );
    expect(r.trades.map((t) => t.quantity)).toEqual([1, 2]);
    // Entry 3 x 10.01 = 30.03 (+1.00 fee): 1/3 share 10.01 and 0.33 fee; 2/3 share 20.02, 0.67.
    expect(r.trades[0]).toMatchObject({
      grossPnlMinor: 1037 - 1001,
      feesMinor: 33 + 100,
      netPnlMinor: 36 - 133,
    });
    expect(r.trades[1]).toMatchObject({
      grossPnlMinor: 2100 - 2002,
      feesMinor: 67 + 100,
      netPnlMinor: 98 - 167,
    });
    const net = r.trades.reduce((s, t) => s + t.netPnlMinor, 0);
    expect(r.finalCashMinor - r.initialCashMinor).toBe(net);
  });
});

describe('positions, sizing, shorts and leverage', () => {
  it('sizes percent-of-equity entries net of commission, rounded down to the step', () => {
    const r = run(
      flat([100, 100]),
      { 0: [{ side: 'buy' }] },
      {
        initialCash: 10_000,
        sizing: { kind: 'percent-equity', percent: 50 },
        commission: { kind: 'percent', rate: 0.01 },
      },
    );
    // Budget 5,000: q = floor(5000 / (100 x 1.01)) = 49.
    expect(r.orders[0]!.filledQuantity).toBe(49);
    const frac = run(
      flat([3, 3]),
      { 0: [{ side: 'buy' }] },
      {
        initialCash: 10,
        sizing: { kind: 'fixed-cash', amount: 1 },
        quantityStep: 0.001,
      },
    );
    expect(frac.orders[0]!.filledQuantity).toBe(0.333);
  });

  it('shorts profit when the price falls and a flip records the closed part', () => {
    const c = flat([100, 100, 90, 95, 95]);
    const r = run(c, {
      0: [{ side: 'sell', quantity: 10 }],
      1: [{ side: 'buy', quantity: 15 }],
      3: ['close'],
    });
    expect(r.trades[0]).toMatchObject({
      side: 'short',
      quantity: 10,
      entryPrice: 100,
      exitPrice: 90,
      netPnlMinor: 10_000,
    });
    expect(r.trades[1]).toMatchObject({
      side: 'long',
      quantity: 5,
      entryPrice: 90,
      exitPrice: 95,
      netPnlMinor: 2_500,
    });
    expect(r.finalCashMinor).toBe(r.initialCashMinor + 12_500);
  });

  it('rejects shorts when shorting is disabled and exposure beyond leverage', () => {
    const updates: Order[] = [];
    const r = run(
      flat([100, 100, 100]),
      {
        0: [
          { side: 'sell', quantity: 1 },
          { side: 'buy', quantity: 1500 },
        ],
      },
      { allowShort: false, initialCash: 100_000 },
      updates,
    );
    expect(r.orders.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(r.orders[0]!.reason).toContain('allowShort');
    expect(r.orders[1]!.reason).toContain('insufficient margin');
    expect(updates.map((u) => u.status)).toEqual(['rejected', 'rejected']);
    const lev = run(
      flat([100, 100, 100]),
      { 0: [{ side: 'buy', quantity: 1500 }] },
      { leverage: 2 },
    );
    expect(lev.orders[0]!.status).toBe('filled');
    expect(lev.finalCashMinor).toBe(10_000_000 - 15_000_000);
  });

  it('futures multiplier scales P&L and margin', () => {
    const r = run(
      flat([4000, 4000, 4010]),
      { 0: [{ side: 'buy', quantity: 2 }], 1: ['close'] },
      {
        contractMultiplier: 50,
        leverage: 20,
        initialCash: 50_000,
      },
    );
    expect(r.trades[0]!.netPnlMinor).toBe(2 * 10 * 50 * 100);
  });

  it('closes at the end by default, as a trade with exit reason "end"', () => {
    const c = flat([10, 11, 12]);
    const r = runBacktest({
      candles: c,
      strategy: scripted({ 0: [{ side: 'buy', quantity: 5 }] }),
    });
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ exitReason: 'end', exitPrice: 12, netPnlMinor: 500 });
    expect(r.equity[2]).toBe(r.finalCashMinor / 100);
    expect(r.position[2]).toBe(0);
  });

  it('liquidates and stops when equity reaches zero', () => {
    const c = flat([100, 100, 70, 40, 30]);
    const r = run(c, { 0: [{ side: 'buy', quantity: 300 }] }, { leverage: 5, initialCash: 10_000 });
    expect(r.bankrupt).toBe(true);
    expect(r.barsProcessed).toBe(4); // equity at bar 3: 10,000 - 30,000 + 300 x 40 < 0
    expect(r.equity[3]).toBe(-8000);
    expect(r.trades[0]!.exitReason).toBe('bankrupt');
  });

  it('cancels on request, and rejects malformed orders immediately', () => {
    const updates: Order[] = [];
    const r = run(
      path,
      {
        0: [
          { side: 'buy', type: 'limit', price: 1, quantity: 1 },
          { side: 'buy', type: 'limit', quantity: 1 },
        ],
        1: [{ cancel: 1 }],
      },
      {},
      updates,
    );
    expect(updates.map((u) => [u.id, u.status])).toEqual([
      [2, 'rejected'],
      [1, 'cancelled'],
    ]);
    expect(r.orders[1]!.reason).toContain('price');
  });
});

describe('strategy API in use', () => {
  it('a stop-loss placed in onOrderUpdate protects the entry from the next bar on', () => {
    const c = bars([
      [100, 100, 100, 100],
      [100, 101, 99, 100], // entry at 100; the stop at 98 must not be checked on this bar
      [99, 100, 97, 98], // stop touched: sell at 98
      [98, 99, 97, 98],
    ]);
    const def = defineStrategy({
      id: 'stop-demo',
      name: 'stop demo',
      description: '',
      params: [],
      create: () => ({
        onBar(ctx) {
          if (ctx.index === 0) ctx.buy({ quantity: 10, tag: 'entry' });
        },
        onOrderUpdate(o, ctx) {
          if (o.tag === 'entry' && o.status === 'filled') {
            ctx.sell({ type: 'stop', price: 98, quantity: o.filledQuantity, tag: 'stop-loss' });
          }
        },
      }),
    });
    const r = runBacktest({ candles: c, strategy: def, assumptions: { closeAtEnd: false } });
    const stop = r.orders.find((o) => o.tag === 'stop-loss')!;
    expect(stop).toMatchObject({
      status: 'filled',
      submittedIndex: 1,
      doneIndex: 2,
      fillPrice: 98,
    });
    expect(r.trades[0]).toMatchObject({ netPnlMinor: -2000, tag: 'stop-loss', barsHeld: 1 });
    // Results cross threads: they must survive structured cloning (worker postMessage).
    expect(structuredClone(r)).toEqual(r);
  });
});
