import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssumptionsInput, StrategyContext } from '../../../src-main/domain/backtest';
import { runBacktest } from '../../../src-main/domain/backtest';
import type { Step } from './helpers';
import { flat, scripted } from './helpers';

/** An ES-like contract: $50 a point, $12,000 initial margin, $2.50 per contract per fill. */
const ES: AssumptionsInput = {
  initialCash: 100_000,
  instrument: { kind: 'future', multiplier: 50, initialMargin: 12_000, commissionPerContract: 2.5 },
};

interface Seen {
  cash: number;
  margin: number;
  equity: number;
}

/** Runs a scripted plan and records cash, margin and equity as the strategy sees them. */
function run(prices: number[], plan: Record<number, Step[]>, assumptions: AssumptionsInput = ES) {
  const seen: Seen[] = [];
  const inner = scripted(plan);
  const r = runBacktest({
    candles: flat(prices),
    strategy: {
      ...inner,
      create: (p) => {
        const s = inner.create(p);
        return {
          ...s,
          onBar(ctx: StrategyContext) {
            seen.push({ cash: ctx.cash, margin: ctx.margin, equity: ctx.equity });
            s.onBar(ctx);
          },
        };
      },
    },
    assumptions: { closeAtEnd: false, ...assumptions },
  });
  return { r, seen };
}

describe('futures-style instruments (hand-computed, ES-like contract)', () => {
  // Market orders fill at the next bar's open (= its close on flat bars).
  const prices = [4000, 4000, 4010, 3990, 4020];
  const plan: Record<number, Step[]> = {
    0: [{ side: 'buy', quantity: 2 }], // fills bar 1 at 4000
    2: [{ side: 'sell', quantity: 1 }], // fills bar 3 at 3990
    3: ['close'], // fills bar 4 at 4020
  };

  it('holds margin instead of the notional, marks to market, settles realised P&L', () => {
    const { r, seen } = run(prices, plan);
    // Bar 1: fee 2 × 2.50; 2 × 12,000 margin moves out of cash; 400,000 notional does not.
    expect(seen[1]).toEqual({ cash: 75_995, margin: 24_000, equity: 99_995 });
    // Bar 2: +10 points × 2 × 50 = +1,000 unrealised; cash and margin unchanged.
    expect(seen[2]).toEqual({ cash: 75_995, margin: 24_000, equity: 100_995 });
    // Bar 3: one contract closed at 3990: −500 realised, −2.50 fee, 12,000 margin released;
    // the other is −500 unrealised.
    expect(seen[3]).toEqual({ cash: 87_492.5, margin: 12_000, equity: 98_992.5 });
    // Bar 4: the last closed at 4020: +1,000 realised, −2.50 fee, margin released.
    expect(seen[4]).toEqual({ cash: 100_490, margin: 0, equity: 100_490 });
    expect(Array.from(r.equity)).toEqual([100_000, 99_995, 100_995, 98_992.5, 100_490]);
    expect(r.trades.map((t) => [t.quantity, t.grossPnlMinor, t.feesMinor, t.netPnlMinor])).toEqual([
      [1, -50_000, 500, -50_500],
      [1, 100_000, 500, 99_500],
    ]);
    expect(r.finalCashMinor).toBe(10_049_000);
    expect(r.totalFeesMinor).toBe(1_000);
    expect(r.assumptions.contractMultiplier).toBe(50);
    expect(r.assumptions.instrument).toEqual(ES.instrument);
  });

  it('a short gains when the price falls; reversing keeps margin on the new side only', () => {
    const { r, seen } = run([4000, 4000, 3980, 3980, 3990], {
      0: [{ side: 'sell', quantity: 1 }], // short 1 at 4000 (bar 1)
      2: [{ side: 'buy', quantity: 3 }], // at 3980: cover 1 (+1,000), long 2 (bar 3)
    });
    expect(seen[2]).toEqual({ cash: 87_997.5, margin: 12_000, equity: 100_997.5 });
    // cover: +1,000 gross; fee 3 × 2.50 = 7.50; margin 12,000 → 24,000
    expect(seen[3]).toEqual({ cash: 76_990, margin: 24_000, equity: 100_990 });
    expect(seen[4]!.equity).toBe(100_990 + 2 * 10 * 50);
    expect(r.trades[0]).toMatchObject({ side: 'short', grossPnlMinor: 100_000, feesMinor: 500 });
  });

  it('refuses a fill whose initial margin exceeds equity after fees (spot-style rule)', () => {
    const small = { ...ES, initialCash: 24_000 };
    const { r } = run([4000, 4000, 4000], { 0: [{ side: 'buy', quantity: 2 }] }, small);
    expect(r.orders[0]!.status).toBe('rejected');
    expect(r.orders[0]!.reason).toBe(
      'insufficient margin: initial margin 24000.00 > equity 23995.00',
    );
    const one = run([4000, 4000, 4000], { 0: [{ side: 'buy', quantity: 1 }] }, small).r;
    expect(one.orders[0]!.status).toBe('filled');
    // Reducing is always allowed, even when the margin no longer fits.
    const down = run(
      [4000, 4000, 3000, 3000],
      {
        0: [{ side: 'buy', quantity: 1 }],
        2: [{ side: 'sell', quantity: 1 }],
      },
      small,
    ).r;
    expect(down.orders[1]!.status).toBe('filled');
  });

  it('sizes orders without a quantity by margin + per-contract commission (clipped down)', () => {
    const qty = (sizing: AssumptionsInput['sizing']) =>
      run([4000, 4000, 4000], { 0: [{ side: 'buy' }] }, { ...ES, sizing }).r.orders[0]!
        .filledQuantity;
    expect(qty({ kind: 'percent-equity', percent: 100 })).toBe(8); // 100,000 / 12,002.50
    expect(qty({ kind: 'fixed-cash', amount: 30_000 })).toBe(2);
    expect(qty({ kind: 'fixed-cash', amount: 12_000 })).toBe(0); // fee does not fit: cancelled
  });

  it('spot with the same multiplier still debits the full notional', () => {
    const { seen } = run(
      [4000, 4000, 4000],
      { 0: [{ side: 'buy', quantity: 2 }] },
      {
        initialCash: 100_000,
        contractMultiplier: 50,
        leverage: 5,
        commission: { kind: 'per-unit', amount: 2.5 },
      },
    );
    expect(seen[1]).toEqual({ cash: -300_005, margin: 0, equity: 99_995 });
  });

  it('refuses knobs that mean something else for a future', () => {
    const bad = (a: AssumptionsInput) => () => run([1, 1], {}, { ...ES, ...a });
    expect(bad({ leverage: 10 })).toThrow(/leverage does not apply to a future/);
    expect(bad({ contractMultiplier: 5 })).toThrow(/differs from instrument.multiplier/);
    expect(bad({ quantityStep: 0.5 })).toThrow(/whole number for a future/);
    expect(
      bad({
        instrument: { kind: 'future', multiplier: 50, initialMargin: 0, commissionPerContract: 1 },
      }),
    ).toThrow(/initialMargin must be a positive/);
    expect(
      bad({
        instrument: { kind: 'future', multiplier: 50, initialMargin: 1, commissionPerContract: -1 },
      }),
    ).toThrow(/commissionPerContract must be >= 0/);
  });

  it('property: when flat, cash − initial = Σ net P&L exactly and equity = cash', () => {
    const step = fc.oneof(
      fc.constant<Step>('close'),
      fc.record({
        side: fc.constantFrom('buy' as const, 'sell' as const),
        quantity: fc.integer({ min: 1, max: 4 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 3_900, max: 4_100 }).map((p) => p + 0.25 * (p % 4)),
          { minLength: 4, maxLength: 30 },
        ),
        fc.array(fc.option(step, { nil: undefined }), { maxLength: 30 }),
        (prices, steps) => {
          const plan: Record<number, Step[]> = {};
          steps.forEach((s, i) => {
            if (s !== undefined) plan[i] = [s];
          });
          const r = runBacktest({
            candles: flat(prices),
            strategy: scripted(plan),
            assumptions: { ...ES, commission: { kind: 'per-order', amount: 1.13 } },
          });
          const net = r.trades.reduce((a, t) => a + t.netPnlMinor, 0);
          expect(r.finalCashMinor - r.initialCashMinor).toBe(net);
          expect(r.equity[r.equity.length - 1]).toBe(r.finalCashMinor / 100);
          for (const t of r.trades) {
            const sign = t.side === 'long' ? 1 : -1;
            // Within a minor unit: an averaged entry's prorated cash is rounded once.
            const points = sign * (t.exitPrice - t.entryPrice) * t.quantity * 50 * 100;
            expect(Math.abs(t.grossPnlMinor - points)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 200, seed: 27 },
    );
  });
});
