import { describe, expect, it } from 'vitest';
import { thinned } from '../../../src-main/features/backtest/run-export';

describe('thinned curves', () => {
  it('keeps everything that fits', () => {
    expect(thinned([0, -0.1, 0], 10)).toBeNull();
  });

  it('fits in the limit, is increasing, keeps the ends and the deepest drawdown', () => {
    const dd = Array.from({ length: 10_001 }, (_, i) =>
      i === 7_777 ? -5 : -Math.abs(Math.sin(i / 37)),
    );
    const keep = thinned(dd, 500)!;
    expect(keep.length).toBeLessThanOrEqual(500);
    expect(keep[0]).toBe(0);
    expect(keep[keep.length - 1]).toBe(10_000);
    expect(keep.every((v, k) => k === 0 || v > keep[k - 1]!)).toBe(true);
    expect(keep).toContain(7_777);
  });
});
