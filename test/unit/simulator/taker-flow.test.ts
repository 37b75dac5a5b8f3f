import { describe, expect, it } from 'vitest';
import { Prng, buyProbability, takerOrders } from '../../../src-main/domain/simulator';
import { testConfig } from './helpers';

const taker = testConfig().taker;

describe('taker flow', () => {
  it('arrives at the configured rate with sizes in [minQty, maxQty]', () => {
    const rng = Prng.fromSeed(8);
    let count = 0;
    let inRange = true;
    for (let i = 0; i < 5_000; i++) {
      const os = takerOrders(taker, 1_000, 10_000, 0, rng);
      count += os.length;
      inRange &&= os.every(
        (o) => o.qty >= taker.minQty && o.qty <= taker.maxQty && Number.isSafeInteger(o.qty),
      );
    }
    expect(inRange).toBe(true);
    expect(count / 5_000).toBeGreaterThan(1.9);
    expect(count / 5_000).toBeLessThan(2.1);
  });

  it('leans with the trend', () => {
    expect(buyProbability(0, taker)).toBe(0.5);
    expect(buyProbability(20, taker)).toBeGreaterThan(0.75);
    expect(buyProbability(-20, taker)).toBeLessThan(0.25);
    const rng = Prng.fromSeed(9);
    const buys = (trend: number): number =>
      Array.from({ length: 500 }, () => takerOrders(taker, 1_000, 10_000, trend, rng))
        .flat()
        .filter((o) => o.side === 'buy').length;
    expect(buys(30)).toBeGreaterThan(buys(-30) * 2);
  });

  it('prices IOC limits through the reference, or sends market orders, and caps sells', () => {
    const rng = Prng.fromSeed(10);
    const os = takerOrders({ ...taker, ratePerSecond: 50 }, 1_000, 10_000, 0, rng, 30);
    expect(os.filter((o) => o.side === 'buy').every((o) => o.price === 10_030)).toBe(true);
    const sells = os.filter((o) => o.side === 'sell');
    expect(sells.every((o) => o.price === 9_970)).toBe(true);
    expect(sells.reduce((s, o) => s + o.qty, 0)).toBeLessThanOrEqual(30);
    const market = takerOrders(
      { ...taker, slippageBps: 0, ratePerSecond: 50 },
      1_000,
      10_000,
      0,
      rng,
    );
    expect(market.every((o) => o.price === undefined)).toBe(true);
    expect(
      takerOrders({ ...taker, ratePerSecond: 1_000, maxPerStep: 3 }, 1_000, 10_000, 0, rng).length,
    ).toBe(3);
  });
});
