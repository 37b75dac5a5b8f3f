import { checkPeriod, nanArray, smoothInto, wilderInto } from './common';
import type { IndicatorConvention } from './conventions';

/** Bollinger band lines. */
export interface BollingerResult {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
}

/**
 * Bollinger Bands: middle = SMA(period); upper/lower = middle ± k·σ where σ is the POPULATION
 * standard deviation (divide by n) of the same window, as TradingView and TA-Lib compute it.
 * σ is computed with two passes per window (mean, then squared deviations) rather than from
 * running sums of squares, which lose digits on prices in the thousands.
 */
export function bollinger(values: ArrayLike<number>, period = 20, k = 2): BollingerResult {
  checkPeriod(period);
  const n = values.length;
  const middle = nanArray(n);
  const upper = nanArray(n);
  const lower = nanArray(n);
  for (let i = period - 1; i < n; i++) {
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += values[j] as number;
    const mean = sum / period;
    let sq = 0;
    for (let j = i - period + 1; j <= i; j++) {
      const d = (values[j] as number) - mean;
      sq += d * d;
    }
    const sd = Math.sqrt(sq / period);
    middle[i] = mean;
    upper[i] = mean + k * sd;
    lower[i] = mean - k * sd;
  }
  return { middle, upper, lower };
}

/**
 * True range: max(high - low, |high - prevClose|, |low - prevClose|). The first bar has no
 * previous close: `tradingview` takes high - low there (`ta.tr(true)`), `talib` leaves it NaN
 * (TA-Lib's TA_TRANGE and backtrader's TrueRange start at the second bar).
 */
export function trueRange(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  convention: IndicatorConvention = 'tradingview',
): Float64Array {
  const tr = new Float64Array(high.length);
  for (let i = 0; i < tr.length; i++) {
    const h = high[i] as number;
    const l = low[i] as number;
    tr[i] = i > 0 ? trueRangeOf(h, l, close[i - 1] as number) : firstTrueRange(h, l, convention);
  }
  return tr;
}

/** True range of a bar without a previous close, per convention (NaN = none). */
export function firstTrueRange(high: number, low: number, convention: IndicatorConvention): number {
  return convention === 'talib' ? NaN : high - low;
}

/** True range of one bar given the previous close (shared with the streaming version). */
export function trueRangeOf(high: number, low: number, prevClose: number): number {
  return Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
}

/**
 * Average True Range with Wilder smoothing: RMA of the true range seeded with the mean of the
 * first `period` true ranges. `tradingview` (`ta.atr`) counts bar 0 as high - low, so the
 * first ATR is at period-1; `talib` (TA_ATR, backtrader ATR) starts the true range at bar 1,
 * so the first ATR is at `period`, and smooths with TA-Lib's arithmetic.
 */
export function atr(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period = 14,
  convention: IndicatorConvention = 'tradingview',
): Float64Array {
  checkPeriod(period);
  const tr = trueRange(high, low, close, convention);
  const out = nanArray(high.length);
  return convention === 'talib'
    ? wilderInto(tr, period, out)
    : smoothInto(tr, period, 1 / period, out);
}
