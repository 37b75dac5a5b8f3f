import { checkPeriod, nanArray, smoothInto } from './common';

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
 * True range: max(high - low, |high - prevClose|, |low - prevClose|); the first bar has no
 * previous close, so its true range is high - low (Wilder's original definition).
 */
export function trueRange(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
): Float64Array {
  const tr = new Float64Array(high.length);
  for (let i = 0; i < tr.length; i++) {
    const h = high[i] as number;
    const l = low[i] as number;
    tr[i] = i === 0 ? h - l : trueRangeOf(h, l, close[i - 1] as number);
  }
  return tr;
}

/** True range of one bar given the previous close (shared with the streaming version). */
export function trueRangeOf(high: number, low: number, prevClose: number): number {
  return Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
}

/**
 * Average True Range with Wilder smoothing: RMA of the true range seeded with the mean of the
 * first `period` true ranges (bar 0 included as high - low), so the first ATR is at period-1
 * (TradingView `ta.atr`; TA-Lib instead skips bar 0 and starts one bar later).
 */
export function atr(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period = 14,
): Float64Array {
  checkPeriod(period);
  return smoothInto(trueRange(high, low, close), period, 1 / period, nanArray(high.length));
}
