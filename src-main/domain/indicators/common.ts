/**
 * Shared helpers for batch indicators. Conventions for every batch indicator:
 * - input is any numeric array (typically a Float64Array column of `Candles`);
 * - output is a new Float64Array of the same length (or `out` when given), NaN during warm-up;
 * - leading NaNs in the input are skipped (so indicators can be chained: the signal line of
 *   MACD is an EMA of a series that starts with NaNs); a NaN after warm-up propagates.
 * - value at index i depends only on inputs at indices <= i (no lookahead; tested).
 */

import { wilderStep } from './conventions';

/** Throws on a period that is not a positive integer: silent rounding would hide bugs. */
export function checkPeriod(period: number, name = 'period'): void {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${period}`);
  }
}

/** Index of the first non-NaN value, or `values.length` when none. */
export function firstValid(values: ArrayLike<number>): number {
  let i = 0;
  while (i < values.length && Number.isNaN(values[i])) i++;
  return i;
}

/** Allocates (or reuses) an output array filled with NaN. */
export function nanArray(length: number, out?: Float64Array): Float64Array {
  const r = out && out.length === length ? out : new Float64Array(length);
  r.fill(NaN);
  return r;
}

/**
 * SMA-seeded recursive smoothing: the simple average of the first `period` valid values at
 * index firstValid + period - 1, then `next(prev, x)` for every later value.
 */
function seededInto(
  values: ArrayLike<number>,
  period: number,
  out: Float64Array,
  next: (prev: number, x: number) => number,
): Float64Array {
  const start = firstValid(values);
  const seedAt = start + period - 1;
  if (seedAt >= values.length) return out;
  let sum = 0;
  for (let i = start; i <= seedAt; i++) sum += values[i] as number;
  let prev = sum / period;
  out[seedAt] = prev;
  for (let i = seedAt + 1; i < values.length; i++) {
    prev = next(prev, values[i] as number);
    out[i] = prev;
  }
  return out;
}

/**
 * Exponential smoothing seeded with the simple average of the first `period` valid values,
 * the standard seed (TA-Lib, TradingView). `alpha` is 2/(n+1) for EMA and 1/n for Wilder's
 * RMA. First output at index firstValid + period - 1.
 */
export function smoothInto(
  values: ArrayLike<number>,
  period: number,
  alpha: number,
  out: Float64Array,
): Float64Array {
  return seededInto(values, period, out, (prev, x) => prev + alpha * (x - prev));
}

/**
 * Wilder's smoothing with TA-Lib's arithmetic (`talib` convention): the same SMA seed as
 * `smoothInto`, then `wilderStep` (prev·(n−1) + x)/n, which can differ from
 * prev + (x − prev)/n in the last binary digit.
 */
export function wilderInto(
  values: ArrayLike<number>,
  period: number,
  out: Float64Array,
): Float64Array {
  return seededInto(values, period, out, (prev, x) => wilderStep(prev, x, period));
}
