/**
 * Crossing helpers. `a` crosses over `b` at bar i when a[i] > b[i] and a[i-1] <= b[i-1]
 * (touching and then moving above counts once); crossing under is the mirror. NaN on either
 * bar (warm-up) is never a cross. `b` may be a constant threshold (RSI crossing 30).
 */

const at = (s: ArrayLike<number> | number, i: number): number =>
  typeof s === 'number' ? s : (s[i] as number);

/** True when `a` crosses above `b` at bar `i`. */
export function crossover(a: ArrayLike<number>, b: ArrayLike<number> | number, i: number): boolean {
  if (i < 1) return false;
  return a[i]! > at(b, i) && a[i - 1]! <= at(b, i - 1);
}

/** True when `a` crosses below `b` at bar `i`. */
export function crossunder(
  a: ArrayLike<number>,
  b: ArrayLike<number> | number,
  i: number,
): boolean {
  if (i < 1) return false;
  return a[i]! < at(b, i) && a[i - 1]! >= at(b, i - 1);
}

/** Per-bar cross signal for a whole series: 1 crossover, -1 crossunder, 0 otherwise. */
export function crossSeries(a: ArrayLike<number>, b: ArrayLike<number> | number): Int8Array {
  const r = new Int8Array(a.length);
  for (let i = 1; i < a.length; i++) {
    r[i] = crossover(a, b, i) ? 1 : crossunder(a, b, i) ? -1 : 0;
  }
  return r;
}
