/** Small statistics helpers shared by the metrics (kept separate so they are testable). */

/** Arithmetic mean; NaN for an empty list. */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Standard deviation with divisor n - ddof (ddof 1 = sample, 0 = population). */
export function stdDev(xs: ArrayLike<number>, ddof: 0 | 1): number {
  const n = xs.length;
  if (n - ddof <= 0) return NaN;
  const m = mean(xs);
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (xs[i]! - m) ** 2;
  return Math.sqrt(sq / (n - ddof));
}

/** Downside deviation against 0: sqrt(sum(min(x, 0)^2) / n), over ALL n observations. */
export function downsideDev(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let sq = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x < 0) sq += x * x;
  }
  return Math.sqrt(sq / xs.length);
}

/** Simple returns of an equity path that starts at `start`: r_i = E_i / E_(i-1) - 1. */
export function periodReturns(start: number, equity: ArrayLike<number>): Float64Array {
  const r = new Float64Array(equity.length);
  let prev = start;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    r[i] = e / prev - 1;
    prev = e;
  }
  return r;
}

/** Drawdown curve: E_i / running peak - 1 (<= 0), the peak including the start value. */
export function drawdownCurve(start: number, equity: ArrayLike<number>): Float64Array {
  const dd = new Float64Array(equity.length);
  let peak = start;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    dd[i] = e / peak - 1;
  }
  return dd;
}

/** Longest drawdown: bars (and ms) from the bar that set a peak to the first bar back at or
 * above it, or to the last bar when never recovered. Bar -1 (the start) counts as a peak. */
export function longestDrawdown(
  start: number,
  equity: ArrayLike<number>,
  time: ArrayLike<number>,
): { bars: number; ms: number } {
  let peak = start;
  let peakAt = -1;
  let best = { bars: 0, ms: 0 };
  const consider = (end: number): void => {
    const bars = end - peakAt;
    if (bars > best.bars) best = { bars, ms: time[end]! - (time[Math.max(peakAt, 0)] ?? 0) };
  };
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e >= peak) {
      if (i - peakAt > 1) consider(i);
      peak = e;
      peakAt = i;
    }
  }
  if (equity.length - 1 > peakAt) consider(equity.length - 1);
  return best;
}
