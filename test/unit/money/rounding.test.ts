import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyPpm,
  divRound,
  mulDiv,
  percentFromPpm,
  ppmFromPercent,
  rescale,
} from '../../../src-main/domain/money';

describe('divRound', () => {
  it.each([
    [7n, 2n, 3n, 4n, 4n],
    [5n, 2n, 2n, 3n, 2n],
    [-5n, 2n, -3n, -2n, -2n],
    [-7n, 2n, -4n, -3n, -4n],
    [6n, 4n, 1n, 2n, 2n],
    [10n, 4n, 2n, 3n, 2n],
    [6n, 3n, 2n, 2n, 2n],
    [7n, -2n, -4n, -3n, -4n],
    [1n, 3n, 0n, 1n, 0n],
    [2n, 3n, 0n, 1n, 1n],
  ])('%s / %s → floor %s, ceil %s, half_even %s', (n, d, floor, ceil, even) => {
    expect(divRound(n, d, 'floor')).toBe(floor);
    expect(divRound(n, d, 'ceil')).toBe(ceil);
    expect(divRound(n, d, 'half_even')).toBe(even);
  });

  it('refuses division by zero', () => {
    expect(() => divRound(1n, 0n, 'floor')).toThrow(RangeError);
  });
});

describe('rounding laws (property)', () => {
  const n = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
  const d = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).filter((x) => x !== 0n);

  it('floor ≤ exact ≤ ceil, and they differ by at most one', () => {
    fc.assert(
      fc.property(n, d, (a, b) => {
        const f = divRound(a, b, 'floor');
        const c = divRound(a, b, 'ceil');
        // Compare as fractions: f*|b| ≤ a*sign(b) ≤ c*|b|
        const sa = b < 0n ? -a : a;
        const sb = b < 0n ? -b : b;
        expect(f * sb <= sa).toBe(true);
        expect(c * sb >= sa).toBe(true);
        expect(c - f).toBe(sa % sb === 0n ? 0n : 1n);
      }),
    );
  });

  it('half_even is within half a unit and picks even on ties', () => {
    fc.assert(
      fc.property(n, d, (a, b) => {
        const sa = b < 0n ? -a : a;
        const sb = b < 0n ? -b : b;
        const r = divRound(a, b, 'half_even');
        const distance2 = 2n * (sa - r * sb);
        expect(distance2 <= sb && distance2 >= -sb).toBe(true);
        if (distance2 === sb || distance2 === -sb) expect(r % 2n).toBe(0n);
      }),
    );
  });

  it('exact division needs no rounding in any mode', () => {
    fc.assert(
      fc.property(n, d, (q, b) => {
        for (const mode of ['floor', 'ceil', 'half_even'] as const) {
          expect(divRound(q * b, b, mode)).toBe(q);
        }
      }),
    );
  });

  it('ceil(x) = -floor(-x)', () => {
    fc.assert(
      fc.property(n, d, (a, b) => {
        expect(divRound(a, b, 'ceil')).toBe(-divRound(-a, b, 'floor'));
      }),
    );
  });

  it('rescale up then down is the identity', () => {
    fc.assert(
      fc.property(
        n,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 8 }),
        (a, s, extra) => {
          const up = rescale(a, s, s + extra, 'floor');
          expect(rescale(up, s + extra, s, 'half_even')).toBe(a);
        },
      ),
    );
  });
});

describe('ppm rates', () => {
  it('computes fees: 0.2 % of 15000 USDT', () => {
    expect(applyPpm(15_000_000_000n, 2000, 'ceil')).toBe(30_000_000n);
    expect(mulDiv(3n, 1000n, 1_000_000n, 'ceil')).toBe(1n);
    expect(applyPpm(1n, 1000, 'floor')).toBe(0n);
  });

  it('converts percentages', () => {
    expect(ppmFromPercent('0.1')).toEqual({ ok: true, value: 1000 });
    expect(ppmFromPercent('0.0001')).toEqual({ ok: true, value: 1 });
    expect(ppmFromPercent('100')).toEqual({ ok: true, value: 1_000_000 });
    const over = ppmFromPercent('100.5');
    expect(over.ok ? null : over.error.code).toBe('invalid_rate');
    expect(percentFromPpm(1000)).toBe('0.1');
    expect(percentFromPpm(2500)).toBe('0.25');
    expect(percentFromPpm(1_000_000)).toBe('100');
  });

  it('a ceil fee never exceeds the amount', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (a, ppm) => {
          const fee = applyPpm(a, ppm, 'ceil');
          expect(fee >= 0n && fee <= a).toBe(true);
        },
      ),
    );
  });
});
