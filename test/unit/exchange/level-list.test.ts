import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriceLevel } from '../../../src-main/domain/exchange/book-order';
import { LevelList } from '../../../src-main/domain/exchange/level-list';
import { PriceIndex } from '../../../src-main/domain/exchange/price-index';

function fromBest(list: LevelList): number[] {
  const out: number[] = [];
  list.forEachFromBest((l) => {
    out.push(l.price);
  });
  return out;
}

describe('LevelList (blocks of sorted levels)', () => {
  it('keeps thousands of levels in priority order through inserts and removals', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 500, maxLength: 3_000 }),
        (ascending, prices) => {
          const list = new LevelList(ascending);
          const live = new Map<number, PriceLevel>();
          for (const p of prices) {
            const existing = live.get(p);
            if (existing === undefined) {
              const level = new PriceLevel(p);
              list.insert(level);
              live.set(p, level);
            } else {
              list.remove(existing);
              live.delete(p);
            }
          }
          const expected = [...live.keys()].sort((a, b) => (ascending ? b - a : a - b));
          expect(fromBest(list)).toEqual(expected);
          expect(list.size).toBe(expected.length);
          expect(list.best()?.price).toBe(expected[0]);
          expect(list.mirrorsBlocks()).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stops visiting when asked and empties cleanly', () => {
    const list = new LevelList(false);
    for (let p = 1000; p > 0; p--) list.insert(new PriceLevel(p));
    const seen: number[] = [];
    list.forEachFromBest((l) => (seen.push(l.price), seen.length < 3));
    expect(seen).toEqual([1, 2, 3]);
    for (let i = 0; i < 1000; i++) list.remove(list.best()!);
    expect(list.mirrorsBlocks()).toBe(true);
    expect(list.best()).toBeUndefined();
    expect(list.size).toBe(0);
  });
});

describe('PriceIndex (paged price → level)', () => {
  it('finds levels across pages and beyond 2^31', () => {
    const index = new PriceIndex();
    const prices = [1, 4095, 4096, 4097, 1_000_000_000, 2 ** 31 - 1, 2 ** 31, 2 ** 40];
    for (const p of prices) index.set(new PriceLevel(p));
    expect(prices.map((p) => index.get(p)?.price)).toEqual(prices);
    expect(index.get(2)).toBeUndefined();
    expect(index.get(2 ** 41)).toBeUndefined();
    index.delete(4096);
    index.delete(2 ** 40);
    expect([index.get(4096), index.get(2 ** 40), index.size]).toEqual([undefined, undefined, 6]);
    index.clear();
    expect([index.get(1), index.size]).toEqual([undefined, 0]);
  });
});
