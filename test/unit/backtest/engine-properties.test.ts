import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Candles } from '../../../src-main/domain/candles';
import { parseCandles, sliceCandles } from '../../../src-main/domain/candles';
import type { AssumptionsInput } from '../../../src-main/domain/backtest';
import type { StrategyDefinition } from '../../../src-main/domain/backtest';
import {
  BUILT_IN_STRATEGIES,
  detectLookahead,
  runBacktest,
} from '../../../src-main/domain/backtest';
import { sma } from '../../../src-main/domain/indicators';
import { readBars } from '../candles/fixtures';
import type { Step } from './helpers';
import { bars, scripted } from './helpers';

let daily: Candles;
beforeAll(() => {
  daily = parseCandles(readBars('2006-day-001.txt')).candles;
});

const barArb = fc
  .tuple(
    fc.integer({ min: 50, max: 150 }),
    fc.integer({ min: 0, max: 10 }),
    fc.integer({ min: 0, max: 10 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([mid, up, down, fo, fc2]) => {
    const high = mid + up;
    const low = mid - down;
    const at = (f: number): number => Math.round((low + f * (high - low)) * 100) / 100;
    return [at(fo), high, low, at(fc2)] as const;
  });

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    side: fc.constantFrom('buy' as const, 'sell' as const),
    quantity: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    side: fc.constantFrom('buy' as const, 'sell' as const),
    type: fc.constantFrom('limit' as const, 'stop' as const),
    price: fc.integer({ min: 40, max: 160 }),
  }),
  fc.constant('close' as const),
);

const assumptionsArb: fc.Arbitrary<AssumptionsInput> = fc.record({
  commission: fc.constantFrom(
    { kind: 'none' as const },
    { kind: 'percent' as const, rate: 0.0013 },
    { kind: 'per-order' as const, amount: 1.37 },
  ),
  spread: fc.constantFrom(0, 0.03),
  slippage: fc.constantFrom({ kind: 'none' as const }, { kind: 'bps' as const, bps: 7 }),
  sizing: fc.constantFrom(
    { kind: 'percent-equity' as const, percent: 30 },
    { kind: 'fixed-cash' as const, amount: 777.77 },
  ),
  leverage: fc.constantFrom(1, 3),
});

const scenario = fc.record({
  ohlc: fc.array(barArb, { minLength: 2, maxLength: 40 }),
  plan: fc.dictionary(
    fc.integer({ min: 0, max: 39 }).map(String),
    fc.array(stepArb, { maxLength: 3 }),
  ),
  assumptions: assumptionsArb,
});

describe('engine invariants (property-based)', () => {
  it('is deterministic: the same inputs give identical results', () => {
    fc.assert(
      fc.property(scenario, ({ ohlc, plan, assumptions }) => {
        const c = bars(ohlc);
        const a = runBacktest({ candles: c, strategy: scripted(plan), assumptions });
        const b = runBacktest({ candles: c, strategy: scripted(plan), assumptions });
        expect(b).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });

  it('cash moves exactly by the trades when flat at the end; fills are never early', () => {
    fc.assert(
      fc.property(scenario, ({ ohlc, plan, assumptions }) => {
        const c = bars(ohlc);
        const r = runBacktest({ candles: c, strategy: scripted(plan), assumptions });
        const net = r.trades.reduce((s, t) => s + t.netPnlMinor, 0);
        const fees = r.trades.reduce((s, t) => s + t.feesMinor, 0);
        expect(Number.isInteger(r.finalCashMinor)).toBe(true);
        if (!r.bankrupt) {
          expect(r.finalCashMinor - r.initialCashMinor).toBe(net);
          expect(fees).toBe(r.totalFeesMinor);
          expect(r.position[r.position.length - 1]).toBe(0);
        }
        for (const o of r.orders) {
          if (o.status === 'filled') {
            // Only the engine's own end-of-data / liquidation closes fill on their bar (its close).
            if (o.tag === 'end' || o.tag === 'bankrupt') expect(o.doneIndex).toBe(o.submittedIndex);
            else expect(o.doneIndex).toBeGreaterThan(o.submittedIndex);
            const i = o.doneIndex;
            const half = (r.assumptions.spread ?? 0) / 2;
            if (o.type === 'limit' && o.side === 'buy')
              expect(o.fillPrice).toBeLessThanOrEqual(o.price);
            if (o.type === 'limit' && o.side === 'sell')
              expect(o.fillPrice).toBeGreaterThanOrEqual(o.price);
            expect(o.fillPrice).toBeLessThanOrEqual(c.high[i]! + half + 1);
            expect(o.fillPrice).toBeGreaterThanOrEqual(c.low[i]! - half - 1);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('built-in strategies on the real daily bars', () => {
  it('buy and hold matches a hand computation', () => {
    const def = BUILT_IN_STRATEGIES.find((s) => s.id === 'buy-and-hold')!;
    const r = runBacktest({ candles: daily, strategy: def });
    const open1 = daily.open[1]!;
    const last = daily.close[daily.length - 1]!;
    const q = Math.floor(100_000 / open1);
    expect(r.trades[0]).toMatchObject({
      quantity: q,
      entryPrice: open1,
      exitPrice: last,
      entryIndex: 1,
    });
    expect(r.finalCashMinor).toBe(Math.round((100_000 - q * open1 + q * last) * 100));
  });

  it('MA crossover enters the bar after each cross, as a plain loop finds them', () => {
    const def = BUILT_IN_STRATEGIES.find((s) => s.id === 'ma-crossover')!;
    const r = runBacktest({ candles: daily, strategy: def, params: { fast: 5, slow: 20 } });
    const f = sma(daily.close, 5);
    const s = sma(daily.close, 20);
    const ups: number[] = [];
    for (let i = 1; i < daily.length - 1; i++)
      if (f[i]! > s[i]! && f[i - 1]! <= s[i - 1]!) ups.push(i + 1);
    expect(r.trades.map((t) => t.entryIndex)).toEqual(ups);
    expect(ups.length).toBeGreaterThan(2);
  });

  it('every built-in runs with its defaults and keeps the cash invariant', () => {
    for (const def of BUILT_IN_STRATEGIES) {
      const r = runBacktest({
        candles: daily,
        strategy: def,
        params: def.params.some((p) => p.name === 'allowShort') ? { allowShort: true } : {},
        assumptions: { commission: { kind: 'percent', rate: 0.0005 } },
      });
      expect(r.status).toBe('completed');
      expect(r.finalCashMinor - r.initialCashMinor).toBe(
        r.trades.reduce((a, t) => a + t.netPnlMinor, 0),
      );
      expect(r.trades.length, def.id).toBeGreaterThan(0);
    }
  });
});

describe('no lookahead in the engine or the built-ins', () => {
  it('a run over a prefix of the data equals the same prefix of the full run', () => {
    for (const def of BUILT_IN_STRATEGIES) {
      const full = runBacktest({
        candles: daily,
        strategy: def,
        assumptions: { closeAtEnd: false },
      });
      for (const k of [40, 120, 200]) {
        const part = runBacktest({
          candles: sliceCandles(daily, 0, k),
          strategy: def,
          assumptions: { closeAtEnd: false },
        });
        expect(Array.from(part.equity), `${def.id} @${k}`).toEqual(
          Array.from(full.equity.subarray(0, k)),
        );
        const fills = (r: typeof full) =>
          r.orders
            .filter((o) => o.status === 'filled' && o.doneIndex < k)
            .map((o) => [o.doneIndex, o.fillPrice, o.filledQuantity]);
        expect(fills(part)).toEqual(fills(full));
      }
    }
  });

  it('detectLookahead passes the built-ins and catches a strategy peeking at the next close', () => {
    for (const def of BUILT_IN_STRATEGIES) {
      expect(detectLookahead({ candles: daily, strategy: def }).ok, def.id).toBe(true);
    }
    const cheat: StrategyDefinition = {
      id: 'cheat',
      name: 'cheat',
      description: 'buys when tomorrow closes higher',
      params: [],
      create: () => ({
        onBar(ctx) {
          const next = ctx.candles.close[ctx.index + 1];
          if (next === undefined) return;
          if (next > ctx.candles.close[ctx.index]! && ctx.position === 0) ctx.buy();
          else if (next < ctx.candles.close[ctx.index]! && ctx.position > 0) ctx.closePosition();
        },
      }),
    };
    const report = detectLookahead({ candles: daily, strategy: cheat });
    expect(report.ok).toBe(false);
    expect(report.divergence!.bar).toBeLessThan(report.divergence!.cut);
  });

  it('handles empty and one-bar inputs', () => {
    const def = BUILT_IN_STRATEGIES.find((s) => s.id === 'buy-and-hold')!;
    const empty = runBacktest({ candles: sliceCandles(daily, 0, 0), strategy: def });
    expect(empty).toMatchObject({
      status: 'completed',
      barsProcessed: 0,
      interval: null,
      trades: [],
    });
    expect(empty.metrics.totalReturn).toBe(0);
    const one = runBacktest({ candles: sliceCandles(daily, 0, 1), strategy: def });
    expect(one.orders[0]).toMatchObject({ status: 'cancelled', reason: 'end of data' });
    expect(one.finalCashMinor).toBe(one.initialCashMinor);
  });
});

describe('progress and cancellation', () => {
  it('reports progress every pollEvery bars and stops when cancelled', () => {
    const def = BUILT_IN_STRATEGIES.find((s) => s.id === 'ma-crossover')!;
    const seen: Array<[number, number]> = [];
    let polls = 0;
    const r = runBacktest({
      candles: daily,
      strategy: def,
      assumptions: { pollEvery: 50 },
      onProgress: (d, t) => seen.push([d, t]),
      isCancelled: () => ++polls >= 3,
    });
    expect(r.status).toBe('cancelled');
    expect(r.barsProcessed).toBe(150);
    expect(r.equity).toHaveLength(150);
    expect(seen).toEqual([
      [50, 255],
      [100, 255],
      [150, 255],
      [150, 255],
    ]);
    const full: number[] = [];
    runBacktest({
      candles: daily,
      strategy: def,
      assumptions: { pollEvery: 100 },
      onProgress: (d) => full.push(d),
    });
    expect(full).toEqual([100, 200, 255]);
  });
});
