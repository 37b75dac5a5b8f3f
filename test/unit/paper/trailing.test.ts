import { describe, expect, it } from 'vitest';
import {
  trailActivated,
  trailedStop,
  trailLevel,
  trailReference,
} from '../../../src-main/domain/paper';

/** Paper trailing stops in price units at scale 2 (a tick of 0.01 = 1 unit, or 5). */
describe('paper trailing levels', () => {
  const q = { bid: 2_999_000n, ask: 3_000_000n }; // 29,990.00 / 30,000.00

  it('follows the side it executes against: a sell the bid, a buy the ask', () => {
    expect(trailReference('sell', q)).toBe(q.bid);
    expect(trailReference('buy', q)).toBe(q.ask);
  });

  it('rounds away from the quote on the tick, so the distance is never less than asked', () => {
    expect(trailLevel('sell', 2_999_000n, { bps: 100 }, 1n)).toBe(2_969_010n); // 29,690.10
    expect(trailLevel('buy', 3_000_000n, { bps: 50 }, 1n)).toBe(3_015_000n); // 30,150.00
    // On a 0.05 tick: 29,690.10 floors to 29,690.10 (a multiple of 5), 29,690.13 to .10.
    expect(trailLevel('sell', 2_999_003n, { bps: 100 }, 5n)).toBe(2_969_010n);
    expect(trailLevel('buy', 2_999_003n, { bps: 100 }, 5n)).toBe(3_028_995n);
    // Never below one tick.
    expect(trailLevel('sell', 1n, { bps: 5000 }, 1n)).toBe(1n);
  });

  it('keeps a distance in price units, rounded away from the quote on the tick', () => {
    // 150.00 behind 29,990.00 and ahead of 30,000.00; on a 0.05 tick from 29,990.03.
    expect(trailLevel('sell', 2_999_000n, { amount: 15_000n }, 1n)).toBe(2_984_000n);
    expect(trailLevel('buy', 3_000_000n, { amount: 15_000n }, 1n)).toBe(3_015_000n);
    expect(trailLevel('sell', 2_999_003n, { amount: 15_000n }, 5n)).toBe(2_984_000n);
    expect(trailLevel('buy', 2_999_003n, { amount: 15_000n }, 5n)).toBe(3_014_005n);
    // A distance beyond the price: one tick, never zero or below.
    expect(trailLevel('sell', 10_000n, { amount: 20_000n }, 1n)).toBe(1n);
    // The same distance however far the price moved (a percent would have grown).
    const up = { bid: 3_999_000n, ask: 4_000_000n };
    expect(trailedStop('sell', 2_984_000n, up, { amount: 15_000n }, 1n)).toBe(3_984_000n);
    expect(trailedStop('sell', 2_984_000n, q, { amount: 15_000n }, 1n)).toBe(2_984_000n);
    const down = { bid: 1_999_000n, ask: 2_000_000n };
    expect(trailedStop('buy', 3_015_000n, down, { amount: 15_000n }, 1n)).toBe(2_015_000n);
  });

  it('only moves a stop the favourable way', () => {
    const up = { bid: 3_099_000n, ask: 3_100_000n };
    const down = { bid: 2_899_000n, ask: 2_900_000n };
    expect(trailedStop('sell', 2_969_010n, up, { bps: 100 }, 1n)).toBe(3_068_010n);
    expect(trailedStop('sell', 2_969_010n, down, { bps: 100 }, 1n)).toBe(2_969_010n);
    expect(trailedStop('buy', 3_015_000n, down, { bps: 50 }, 1n)).toBe(2_914_500n);
    expect(trailedStop('buy', 3_015_000n, up, { bps: 50 }, 1n)).toBe(3_015_000n);
  });

  it('does not follow a one-sided quote (the missing side filled in from the other)', () => {
    const bidOnly = { bid: 2_899_000n, ask: 2_899_000n, oneSided: true };
    expect(trailedStop('buy', 3_015_000n, bidOnly, { bps: 50 }, 1n)).toBe(3_015_000n);
    const askOnly = { bid: 3_200_000n, ask: 3_200_000n, oneSided: true };
    expect(trailedStop('sell', 2_969_010n, askOnly, { bps: 100 }, 1n)).toBe(2_969_010n);
  });

  it('activates when the book reaches the start price from either side of the book', () => {
    expect(trailActivated('sell', 2_950_000n, q)).toBe(false);
    expect(trailActivated('sell', 2_999_000n, q)).toBe(true);
    expect(trailActivated('buy', 3_000_000n, q)).toBe(true);
    expect(trailActivated('buy', 3_000_001n, q)).toBe(false);
  });
});
