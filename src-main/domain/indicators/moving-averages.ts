import { checkPeriod, firstValid, nanArray, smoothInto, wilderInto } from './common';
import type { IndicatorConvention } from './conventions';

/** Simple moving average: mean of the last `period` values. First value at period-1. */
export function sma(values: ArrayLike<number>, period: number, out?: Float64Array): Float64Array {
  checkPeriod(period);
  const r = nanArray(values.length, out);
  const start = firstValid(values);
  let sum = 0;
  for (let i = start; i < values.length; i++) {
    sum += values[i] as number;
    if (i - start >= period) sum -= values[i - period] as number;
    if (i - start >= period - 1) r[i] = sum / period;
  }
  return r;
}

/**
 * Exponential moving average, alpha = 2/(period+1), seeded with the SMA of the first
 * `period` values (TA-Lib / TradingView convention). First value at period-1.
 */
export function ema(values: ArrayLike<number>, period: number, out?: Float64Array): Float64Array {
  checkPeriod(period);
  return smoothInto(values, period, 2 / (period + 1), nanArray(values.length, out));
}

/**
 * Wilder's moving average (RMA / SMMA), alpha = 1/period, seeded with the SMA of the first
 * `period` values. Used by RSI and ATR. `talib` uses TA-Lib's step arithmetic (see
 * conventions.ts); the seed and first index are the same in both conventions.
 */
export function rma(
  values: ArrayLike<number>,
  period: number,
  out?: Float64Array,
  convention: IndicatorConvention = 'tradingview',
): Float64Array {
  checkPeriod(period);
  const r = nanArray(values.length, out);
  return convention === 'talib'
    ? wilderInto(values, period, r)
    : smoothInto(values, period, 1 / period, r);
}

/**
 * Linearly weighted moving average: weights 1..period, newest weighted `period`, divided by
 * period(period+1)/2. Updated in O(1) per bar: the weighted sum gains period*x_new and loses
 * the plain sum of the previous window.
 */
export function wma(values: ArrayLike<number>, period: number, out?: Float64Array): Float64Array {
  checkPeriod(period);
  const r = nanArray(values.length, out);
  const start = firstValid(values);
  const denom = (period * (period + 1)) / 2;
  let sum = 0;
  let weighted = 0;
  for (let i = start; i < values.length; i++) {
    const x = values[i] as number;
    const k = i - start;
    if (k < period) {
      weighted += (k + 1) * x;
      sum += x;
    } else {
      weighted += period * x - sum;
      sum += x - (values[i - period] as number);
    }
    if (k >= period - 1) r[i] = weighted / denom;
  }
  return r;
}
