import { checkPeriod, nanArray } from './common';

/**
 * Rolling maximum over `period` values including the current one, O(n) overall with a
 * monotone deque of indices. First value at period-1.
 */
export function rollingMax(
  values: ArrayLike<number>,
  period: number,
  out?: Float64Array,
): Float64Array {
  return rollingExtreme(values, period, 1, out);
}

/** Rolling minimum over `period` values including the current one (see `rollingMax`). */
export function rollingMin(
  values: ArrayLike<number>,
  period: number,
  out?: Float64Array,
): Float64Array {
  return rollingExtreme(values, period, -1, out);
}

function rollingExtreme(
  values: ArrayLike<number>,
  period: number,
  sign: 1 | -1,
  out?: Float64Array,
): Float64Array {
  checkPeriod(period);
  const r = nanArray(values.length, out);
  const dq = new Int32Array(values.length);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < values.length; i++) {
    const x = sign * (values[i] as number);
    while (tail > head && sign * (values[dq[tail - 1] as number] as number) <= x) tail--;
    dq[tail++] = i;
    if ((dq[head] as number) <= i - period) head++;
    if (i >= period - 1) r[i] = values[dq[head] as number] as number;
  }
  return r;
}

/** Donchian channel lines. */
export interface DonchianResult {
  upper: Float64Array;
  lower: Float64Array;
  middle: Float64Array;
}

/**
 * Donchian channel: upper = highest high, lower = lowest low over the last `period` bars
 * INCLUDING the current one (TradingView convention); middle = their average. A breakout
 * rule therefore compares today's close with yesterday's channel (see the built-in strategy).
 */
export function donchian(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  period = 20,
): DonchianResult {
  const upper = rollingMax(high, period);
  const lower = rollingMin(low, period);
  const middle = new Float64Array(upper.length);
  for (let i = 0; i < middle.length; i++) {
    middle[i] = ((upper[i] as number) + (lower[i] as number)) / 2;
  }
  return { upper, lower, middle };
}
