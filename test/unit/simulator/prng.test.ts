import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng, decimalToSteps, seedState } from '../../../src-main/domain/simulator';

describe('Prng', () => {
  it('is reproducible from a seed and resumes exactly from a JSON state', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(50), (seed, skip) => {
        const a = Prng.fromSeed(seed);
        for (let i = 0; i < skip; i++) a.next();
        const saved = JSON.parse(JSON.stringify(a.state())) as ReturnType<Prng['state']>;
        const b = new Prng(saved);
        const seqA = [a.next(), a.normal(), a.int(-3, 3), a.poisson(2)];
        expect([b.next(), b.normal(), b.int(-3, 3), b.poisson(2)]).toEqual(seqA);
      }),
    );
    expect(seedState(1)).not.toEqual(seedState(2));
  });

  it('draws in range with the right moments', () => {
    const r = Prng.fromSeed(42);
    const n = 20_000;
    let sum = 0;
    let sq = 0;
    const ints = new Set<number>();
    let events = 0;
    let inRange = true;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      inRange &&= u >= 0 && u < 1;
      const z = r.normal();
      sum += z;
      sq += z * z;
      ints.add(r.int(1, 6));
      events += r.poisson(0.7);
    }
    expect(inRange).toBe(true);
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
    expect([...ints].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Math.abs(events / n - 0.7)).toBeLessThan(0.03);
    expect(r.poisson(0)).toBe(0);
    expect(() => r.int(2, 1)).toThrow();
  });
});

describe('decimalToSteps', () => {
  it('converts exactly, rounding half up', () => {
    expect(decimalToSteps('0.049', '0.00001')).toEqual({ ok: true, value: 4900 });
    expect(decimalToSteps('65000', '0.01')).toEqual({ ok: true, value: 6_500_000 });
    expect(decimalToSteps('1.08', '0.0001')).toEqual({ ok: true, value: 10_800 });
    expect(decimalToSteps('100000', '100')).toEqual({ ok: true, value: 1000 });
    expect(decimalToSteps('0.015', '0.01')).toEqual({ ok: true, value: 2 });
    expect(decimalToSteps('0.0149', '0.01')).toEqual({ ok: true, value: 1 });
  });

  it('refuses what is not a decimal or not a step', () => {
    for (const [v, s] of [
      ['-1', '0.01'],
      ['1e3', '0.01'],
      ['1', '0'],
      ['1', 'x'],
      ['9'.repeat(20), '1'],
    ]) {
      const r = decimalToSteps(v!, s!);
      expect(r.ok ? 'ok' : r.error.code).toBe('sim_bad_decimal');
    }
  });
});
