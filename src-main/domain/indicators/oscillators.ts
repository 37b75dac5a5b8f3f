import { checkPeriod, nanArray, smoothInto, wilderInto } from './common';
import type { IndicatorConvention } from './conventions';
import { TALIB_ZERO } from './conventions';
import { ema, sma } from './moving-averages';
import { rollingMax, rollingMin } from './channels';

/**
 * Relative Strength Index with Wilder smoothing. Gains/losses are close-to-close changes;
 * their averages are seeded with the simple mean of the first `period` changes, so the first
 * RSI is at index `period`. RSI = 100 - 100/(1 + avgGain/avgLoss); when avgLoss is 0 the RSI
 * is 100, and when avgGain is 0 it is 0 (TradingView's `ta.rsi` convention, which also gives
 * 100 for a perfectly flat series). `talib` (TA_RSI) has the same seed and first index but
 * smooths with TA-Lib's arithmetic and computes 100·G/(G+L), 0 when G+L is within 1e-8 of 0.
 */
export function rsi(
  values: ArrayLike<number>,
  period = 14,
  out?: Float64Array,
  convention: IndicatorConvention = 'tradingview',
): Float64Array {
  checkPeriod(period);
  const n = values.length;
  const gains = nanArray(n);
  const losses = nanArray(n);
  for (let i = 1; i < n; i++) {
    const d = (values[i] as number) - (values[i - 1] as number);
    gains[i] = d > 0 ? d : 0;
    losses[i] = d < 0 ? -d : 0;
  }
  const talib = convention === 'talib';
  const smooth = (x: Float64Array) =>
    talib ? wilderInto(x, period, nanArray(n)) : smoothInto(x, period, 1 / period, nanArray(n));
  const g = smooth(gains);
  const l = smooth(losses);
  const from = talib ? rsiFromTalib : rsiFrom;
  const r = nanArray(n, out);
  for (let i = 0; i < n; i++) r[i] = from(g[i] as number, l[i] as number);
  return r;
}

/** RSI from average gain and loss as TA_RSI computes it (shared with the streaming version). */
export function rsiFromTalib(avgGain: number, avgLoss: number): number {
  if (Number.isNaN(avgGain) || Number.isNaN(avgLoss)) return NaN;
  const sum = avgGain + avgLoss;
  return -TALIB_ZERO < sum && sum < TALIB_ZERO ? 0 : 100 * (avgGain / sum);
}

/** RSI from Wilder-smoothed average gain and loss (shared with the streaming version). */
export function rsiFrom(avgGain: number, avgLoss: number): number {
  if (Number.isNaN(avgGain) || Number.isNaN(avgLoss)) return NaN;
  if (avgLoss === 0) return 100;
  if (avgGain === 0) return 0;
  return 100 - 100 / (1 + avgGain / avgLoss);
}

/** MACD output lines. */
export interface MacdResult {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

/**
 * MACD = EMA(fast) - EMA(slow); signal = EMA(signalPeriod) of MACD seeded with the SMA of the
 * first `signalPeriod` MACD values; histogram = MACD - signal. With 12/26/9 the MACD starts at
 * index 25 and the signal at 33.
 */
export function macd(values: ArrayLike<number>, fast = 12, slow = 26, signal = 9): MacdResult {
  checkPeriod(signal, 'signal');
  const f = ema(values, fast);
  const s = ema(values, slow);
  const line = new Float64Array(values.length);
  for (let i = 0; i < line.length; i++) line[i] = (f[i] as number) - (s[i] as number);
  const sig = ema(line, signal);
  const hist = new Float64Array(values.length);
  for (let i = 0; i < hist.length; i++) hist[i] = (line[i] as number) - (sig[i] as number);
  return { macd: line, signal: sig, histogram: hist };
}

/** Stochastic oscillator lines. */
export interface StochasticResult {
  k: Float64Array;
  d: Float64Array;
}

/**
 * Stochastic: raw %K = 100 (close - lowest low) / (highest high - lowest low) over `kPeriod`
 * bars; %K = SMA(raw, kSmoothing) (1 = fast stochastic, 3 = slow); %D = SMA(%K, dPeriod).
 * A flat window (high == low) gives raw %K = 50, a neutral reading instead of a division by 0.
 */
export function stochastic(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  kPeriod = 14,
  kSmoothing = 1,
  dPeriod = 3,
): StochasticResult {
  checkPeriod(kPeriod, 'kPeriod');
  const hh = rollingMax(high, kPeriod);
  const ll = rollingMin(low, kPeriod);
  const raw = nanArray(close.length);
  for (let i = kPeriod - 1; i < close.length; i++) {
    raw[i] = stochRaw(close[i] as number, hh[i] as number, ll[i] as number);
  }
  const k = kSmoothing === 1 ? raw : sma(raw, kSmoothing);
  return { k, d: sma(k, dPeriod) };
}

/** Raw %K for one bar (shared with the streaming version). */
export function stochRaw(close: number, highest: number, lowest: number): number {
  const range = highest - lowest;
  return range === 0 ? 50 : (100 * (close - lowest)) / range;
}
