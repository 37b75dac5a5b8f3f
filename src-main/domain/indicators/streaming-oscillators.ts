import type { IndicatorConvention } from './conventions';
import { rsiFrom, rsiFromTalib, stochRaw } from './oscillators';
import type { StreamingIndicator } from './streaming-averages';
import { EmaStream, RmaStream, Ring, SmaStream } from './streaming-averages';
import { firstTrueRange, trueRangeOf } from './volatility';

/** Streaming RSI with Wilder smoothing (see `rsi`, including `convention`). */
export class RsiStream implements StreamingIndicator {
  private prev = NaN;
  private readonly gain: RmaStream;
  private readonly loss: RmaStream;
  private readonly from: (g: number, l: number) => number;
  value = NaN;
  constructor(
    readonly period = 14,
    readonly convention: IndicatorConvention = 'tradingview',
  ) {
    this.gain = new RmaStream(period, convention);
    this.loss = new RmaStream(period, convention);
    this.from = convention === 'talib' ? rsiFromTalib : rsiFrom;
  }
  update(x: number): number {
    if (!Number.isNaN(this.prev)) {
      const d = x - this.prev;
      this.value = this.from(this.gain.update(d > 0 ? d : 0), this.loss.update(d < 0 ? -d : 0));
    }
    this.prev = x;
    return this.value;
  }
  reset(): void {
    this.prev = NaN;
    this.gain.reset();
    this.loss.reset();
    this.value = NaN;
  }
}

/** Streaming MACD; `value` is the MACD line, `signal` and `histogram` alongside (see `macd`). */
export class MacdStream implements StreamingIndicator {
  private readonly fast: EmaStream;
  private readonly slow: EmaStream;
  private readonly sig: EmaStream;
  value = NaN;
  signal = NaN;
  histogram = NaN;
  constructor(fast = 12, slow = 26, signal = 9) {
    this.fast = new EmaStream(fast);
    this.slow = new EmaStream(slow);
    this.sig = new EmaStream(signal);
  }
  update(x: number): number {
    this.value = this.fast.update(x) - this.slow.update(x);
    this.signal = this.sig.update(this.value);
    this.histogram = this.value - this.signal;
    return this.value;
  }
  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.sig.reset();
    this.value = this.signal = this.histogram = NaN;
  }
}

/** Streaming Bollinger Bands; `value` is the middle band (see `bollinger`). */
export class BollingerStream implements StreamingIndicator {
  private readonly ring: Ring;
  value = NaN;
  upper = NaN;
  lower = NaN;
  constructor(
    readonly period = 20,
    readonly k = 2,
  ) {
    this.ring = new Ring(period);
  }
  update(x: number): number {
    this.ring.push(x);
    if (this.ring.count < this.period) return NaN;
    const n = this.period;
    let sum = 0;
    for (let j = n - 1; j >= 0; j--) sum += this.ring.back(j);
    const mean = sum / n;
    let sq = 0;
    for (let j = n - 1; j >= 0; j--) {
      const d = this.ring.back(j) - mean;
      sq += d * d;
    }
    const sd = Math.sqrt(sq / n);
    this.value = mean;
    this.upper = mean + this.k * sd;
    this.lower = mean - this.k * sd;
    return mean;
  }
  reset(): void {
    this.ring.reset();
    this.value = this.upper = this.lower = NaN;
  }
}

/** Streaming ATR with Wilder smoothing (see `atr`, including `convention`); call
 * `updateBar(high, low, close)`. */
export class AtrStream {
  private prevClose = NaN;
  private readonly rma: RmaStream;
  value = NaN;
  constructor(
    readonly period = 14,
    readonly convention: IndicatorConvention = 'tradingview',
  ) {
    this.rma = new RmaStream(period, convention);
  }
  /** Feeds one bar and returns the ATR (NaN during warm-up). */
  updateBar(high: number, low: number, close: number): number {
    const tr = Number.isNaN(this.prevClose)
      ? firstTrueRange(high, low, this.convention)
      : trueRangeOf(high, low, this.prevClose);
    this.prevClose = close;
    this.value = this.rma.update(tr);
    return this.value;
  }
  /** Clears all state. */
  reset(): void {
    this.prevClose = NaN;
    this.rma.reset();
    this.value = NaN;
  }
}

/** Streaming Donchian channel over the last `period` bars including the current one. */
export class DonchianStream {
  private readonly highs: Ring;
  private readonly lows: Ring;
  upper = NaN;
  lower = NaN;
  middle = NaN;
  constructor(readonly period = 20) {
    this.highs = new Ring(period);
    this.lows = new Ring(period);
  }
  /** Feeds one bar; returns the upper band (NaN during warm-up). */
  updateBar(high: number, low: number): number {
    this.highs.push(high);
    this.lows.push(low);
    if (this.highs.count < this.period) return NaN;
    let hi = -Infinity;
    let lo = Infinity;
    for (let j = 0; j < this.period; j++) {
      hi = Math.max(hi, this.highs.back(j));
      lo = Math.min(lo, this.lows.back(j));
    }
    this.upper = hi;
    this.lower = lo;
    this.middle = (hi + lo) / 2;
    return hi;
  }
  /** Clears all state. */
  reset(): void {
    this.highs.reset();
    this.lows.reset();
    this.upper = this.lower = this.middle = NaN;
  }
}

/** Streaming stochastic; `k` and `d` lines (see `stochastic`). */
export class StochasticStream {
  private readonly channel: DonchianStream;
  private readonly kSma: SmaStream | null;
  private readonly dSma: SmaStream;
  k = NaN;
  d = NaN;
  constructor(kPeriod = 14, kSmoothing = 1, dPeriod = 3) {
    this.channel = new DonchianStream(kPeriod);
    this.kSma = kSmoothing === 1 ? null : new SmaStream(kSmoothing);
    this.dSma = new SmaStream(dPeriod);
  }
  /** Feeds one bar; returns %K (NaN during warm-up). */
  updateBar(high: number, low: number, close: number): number {
    if (Number.isNaN(this.channel.updateBar(high, low))) return NaN;
    const raw = stochRaw(close, this.channel.upper, this.channel.lower);
    this.k = this.kSma ? this.kSma.update(raw) : raw;
    this.d = this.dSma.update(this.k);
    return this.k;
  }
  /** Clears all state. */
  reset(): void {
    this.channel.reset();
    this.kSma?.reset();
    this.dSma.reset();
    this.k = this.d = NaN;
  }
}

/** Streaming cross detector: `update(a, b)` returns 1 (crossover), -1 (crossunder) or 0. */
export class CrossStream {
  private prevA = NaN;
  private prevB = NaN;
  /** Feeds the newest pair of values. */
  update(a: number, b: number): -1 | 0 | 1 {
    const r = a > b && this.prevA <= this.prevB ? 1 : a < b && this.prevA >= this.prevB ? -1 : 0;
    this.prevA = a;
    this.prevB = b;
    return r;
  }
  /** Clears all state. */
  reset(): void {
    this.prevA = this.prevB = NaN;
  }
}
