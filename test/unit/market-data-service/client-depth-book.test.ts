import { describe, expect, it } from 'vitest';
import { ClientDepthBook } from '../../../src-renderer/src/screens/trade/depth-book';
import { div, floorToStep, mul, ppmOf, sub } from '../../../src-shared/decimal';

const snap = (seq: number) => ({
  seq,
  bids: [['100.00', '1.0'] as [string, string], ['99.00', '2.0'] as [string, string]],
  asks: [['101.00', '1.5'] as [string, string]],
});

describe('client depth book (the resync procedure)', () => {
  it('buffers diffs until the snapshot, then replays only the newer ones', () => {
    const b = new ClientDepthBook();
    expect(b.needsSnapshot).toBe(true);
    expect(b.onDiff({ seq: 4, bids: [['100.00', '0']], asks: [] })).toBe('buffered');
    expect(b.onDiff({ seq: 5, bids: [['98.00', '3.0']], asks: [] })).toBe('buffered');
    b.applySnapshot(snap(4));
    expect(b.seq).toBe(5);
    expect(b.levels('bids')).toEqual([
      ['100.00', '1.0'],
      ['99.00', '2.0'],
      ['98.00', '3.0'],
    ]);
  });

  it('detects a lost diff, asks for a snapshot and recovers', () => {
    const b = new ClientDepthBook();
    b.applySnapshot(snap(10));
    expect(b.onDiff({ seq: 10, bids: [], asks: [] })).toBe('stale');
    expect(b.onDiff({ seq: 11, bids: [], asks: [['101.00', '0']] })).toBe('applied');
    expect(b.levels('asks')).toEqual([]);
    expect(b.onDiff({ seq: 13, bids: [['97.00', '1.0']], asks: [] })).toBe('gap');
    expect(b.needsSnapshot).toBe(true);
    expect(b.onDiff({ seq: 14, bids: [['96.00', '1.0']], asks: [] })).toBe('buffered');
    b.applySnapshot({ seq: 13, bids: [['97.00', '1.0']], asks: [['102.00', '1.0']] });
    expect(b.needsSnapshot).toBe(false);
    expect(b.seq).toBe(14);
    expect(b.levels('bids', 1)).toEqual([['97.00', '1.0']]);
    expect(b.levels('bids')).toHaveLength(2);
  });
});

describe('ticket arithmetic is exact', () => {
  it('multiplies, divides and rounds to steps without floats', () => {
    expect(mul('60000.01', '0.3', 6)).toBe('18000.003000');
    expect(ppmOf('18000.003000', 2000, 6)).toBe('36.000006');
    expect(div('1000', '3', 4)).toBe('333.3333');
    expect(floorToStep('0.123456', '0.0001')).toBe('0.1234');
    expect(sub('0.3', '0.1', 1)).toBe('0.2');
    expect(div('1', '0', 2)).toBeUndefined();
  });
});
