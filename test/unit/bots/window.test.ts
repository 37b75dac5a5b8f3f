import { describe, expect, it } from 'vitest';
import { barWindow, MAX_WINDOW_BARS } from '../../../src-main/domain/bots';

const MIN = 60_000;
/** Close times of n one-minute bars, the first closing at 1 minute. */
const closes = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) * MIN);

describe('barWindow: warm-up before the first start, every bar since, capped', () => {
  it('takes the warm-up bars before the start and every bar after it', () => {
    // Bars close at 1..10 min; started at 6 min: bars closing 7..10 are live (index 6..9).
    expect(barWindow(closes(10), 6 * MIN, 3)).toEqual({ from: 3, firstLive: 6 });
  });

  it('counts a bar closing exactly at the start as warm-up', () => {
    expect(barWindow(closes(10), 6 * MIN, 0)).toEqual({ from: 6, firstLive: 6 });
  });

  it('takes what exists when fewer warm-up bars were stored', () => {
    expect(barWindow(closes(10), 2 * MIN, 50)).toEqual({ from: 0, firstLive: 2 });
  });

  it('with no live bar yet, the window is the warm-up alone', () => {
    expect(barWindow(closes(10), 20 * MIN, 4)).toEqual({ from: 6, firstLive: 10 });
  });

  it('caps the window to the latest bars, dropping warm-up first', () => {
    // 100 bars, started after bar 10, warm-up 10: the window would be 100 bars; cap 30.
    expect(barWindow(closes(100), 10 * MIN, 10, 30)).toEqual({ from: 70, firstLive: 10 });
  });

  it('defaults the cap to 2,000 bars', () => {
    expect(MAX_WINDOW_BARS).toBe(2_000);
    expect(barWindow(closes(2_500), 0, 10)).toEqual({ from: 500, firstLive: 0 });
  });
});
