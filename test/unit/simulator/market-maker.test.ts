import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MakerConfig, OwnQuote } from '../../../src-main/domain/simulator';
import { Prng, desiredQuotes, planQuotes } from '../../../src-main/domain/simulator';
import { testConfig } from './helpers';

const makerArb = fc.record({
  spreadBps: fc.double({ min: 0.01, max: 200, noNaN: true }),
  levels: fc.integer({ min: 0, max: 12 }),
  levelSpacingBps: fc.double({ min: 0, max: 50, noNaN: true }),
  sizePerLevel: fc.integer({ min: 1, max: 10_000 }),
  sizeJitter: fc.double({ min: 0, max: 0.99, noNaN: true }),
  inventorySkewBps: fc.double({ min: 0, max: 500, noNaN: true }),
  maxInventory: fc.integer({ min: 1, max: 10_000 }),
  refreshThresholdBps: fc.double({ min: 0, max: 50, noNaN: true }),
});

const sides = (qs: readonly { side: string; price: number }[], side: string): number[] =>
  qs.filter((q) => q.side === side).map((q) => q.price);
const maker = (): MakerConfig => testConfig().maker;

describe('market maker quotes', () => {
  it('never cross the reference or the book, and ladder strictly', () => {
    fc.assert(
      fc.property(
        makerArb,
        fc.integer({ min: 1, max: 1e8 }),
        fc.integer({ min: -20_000, max: 20_000 }),
        fc.integer(),
        fc.option(fc.integer({ min: 1, max: 1e8 }), { nil: undefined }),
        (cfg, ref, inv, seed, bestAsk) => {
          const qs = desiredQuotes(ref, inv, cfg, Prng.fromSeed(seed), { bestAsk });
          const bids = sides(qs, 'buy');
          const asks = sides(qs, 'sell');
          expect(
            bids.every((p) => p >= 1 && p < ref && (bestAsk === undefined || p < bestAsk)),
          ).toBe(true);
          expect(asks.every((p) => p > ref)).toBe(true);
          expect(bids.every((p, i) => i === 0 || p < bids[i - 1]!)).toBe(true);
          expect(asks.every((p, i) => i === 0 || p > asks[i - 1]!)).toBe(true);
          expect(
            qs.every(
              (q) => Number.isSafeInteger(q.price) && Number.isSafeInteger(q.qty) && q.qty >= 1,
            ),
          ).toBe(true);
        },
      ),
    );
  });

  it('skew against inventory: long moves both sides down, short moves them up', () => {
    const ref = 1_000_000;
    const best = (inv: number): [number, number] => {
      const qs = desiredQuotes(ref, inv, maker(), Prng.fromSeed(7));
      return [Math.max(...sides(qs, 'buy')), Math.min(...sides(qs, 'sell'))];
    };
    const [flatBid, flatAsk] = best(0);
    const [longBid, longAsk] = best(500);
    const [shortBid, shortAsk] = best(-500);
    expect(longBid).toBeLessThan(flatBid);
    expect(longAsk).toBeLessThan(flatAsk);
    expect(shortBid).toBeGreaterThan(flatBid);
    expect(shortAsk).toBeGreaterThan(flatAsk);
    expect(longAsk).toBeGreaterThan(ref);
    expect(shortBid).toBeLessThan(ref);
  });

  it('stops buying at +maxInventory and selling at -maxInventory', () => {
    const full = desiredQuotes(10_000, 1_000, maker(), Prng.fromSeed(1));
    expect(sides(full, 'buy')).toEqual([]);
    expect(sides(full, 'sell').length).toBe(5);
    const empty = desiredQuotes(10_000, -1_000, maker(), Prng.fromSeed(1));
    expect(sides(empty, 'sell')).toEqual([]);
  });
});

describe('planQuotes', () => {
  const own = (id: string, side: 'buy' | 'sell', price: number, qty = 100): OwnQuote => ({
    clientOrderId: id,
    side,
    price,
    qty,
  });

  it('keeps quotes within the threshold and replaces the rest, minimally', () => {
    const cfg = { ...maker(), refreshThresholdBps: 4 }; // 4 ticks at ref 10,000
    const desired = [
      { side: 'buy' as const, price: 9_990, qty: 100 },
      { side: 'sell' as const, price: 10_010, qty: 100 },
    ];
    const plan = planQuotes(
      desired,
      [own('a', 'buy', 9_987), own('b', 'sell', 10_020), own('c', 'sell', 10_011, 10)],
      10_000,
      cfg,
    );
    expect(plan.cancels.map((q) => q.clientOrderId).sort()).toEqual(['b', 'c']);
    expect(plan.places).toEqual([desired[1]]);
    expect(
      planQuotes(desired, [own('a', 'buy', 9_990), own('b', 'sell', 10_010)], 10_000, cfg),
    ).toEqual({ cancels: [], places: [] });
  });

  it('cancels quotes the reference has moved through', () => {
    const plan = planQuotes(
      [],
      [own('a', 'buy', 10_000), own('b', 'sell', 9_999), own('c', 'buy', 9_000, 0)],
      10_000,
      maker(),
    );
    expect(plan.cancels.map((q) => q.clientOrderId)).toEqual(['a', 'b', 'c']);
  });
});
