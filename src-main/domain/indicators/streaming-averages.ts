import { checkPeriod } from './common';
import type { IndicatorConvention } from './conventions';
import { wilderStep } from './conventions';

/**
 * Streaming (bar-by-bar) indicators for strategies. Each `update` takes the newest value and
 * returns the indicator (NaN during warm-up). They perform the same floating-point operations
 * in the same order as the batch functions, so a streaming value equals the batch value at
 * the same bar exactly (tested). Leading NaN inputs are ignored, like the batch versions.
 */
export interface StreamingIndicator {
  /** Feeds the newest input and returns the newest output (NaN until warmed up). */
  update(x: number): number;
  /** Latest output (NaN until warmed up). */
  readonly value: number;
  /** Clears all state. */
  reset(): void;
}

/** Fixed-size FIFO of the last `size` values. */
export class Ring {
  private readonly buf: Float64Array;
  private next = 0;
  /** How many values have been pushed (saturates at nothing: used for warm-up counting). */
  count = 0;
  constructor(readonly size: number) {
    this.buf = new Float64Array(size);
  }
  /** Pushes x and returns the value it evicted (NaN while not yet full). */
  push(x: number): number {
    const old = this.count >= this.size ? (this.buf[this.next] as number) : NaN;
    this.buf[this.next] = x;
    this.next = (this.next + 1) % this.size;
    this.count++;
    return old;
  }
  /** Value `k` steps back from the newest (0 = newest). */
  back(k: number): number {
    return this.buf[(this.next - 1 - k + 2 * this.size) % this.size] as number;
  }
  /** Clears the buffer. */
  reset(): void {
    this.next = 0;
    this.count = 0;
  }
}

/** Streaming simple moving average (see `sma`). */
export class SmaStream implements StreamingIndicator {
  private readonly ring: Ring;
  private sum = 0;
  value = NaN;
  constructor(readonly period: number) {
    checkPeriod(period);
    this.ring = new Ring(period);
  }
  update(x: number): number {
    if (this.ring.count === 0 && Number.isNaN(x)) return NaN;
    this.sum += x;
    const old = this.ring.push(x);
    if (this.ring.count > this.period) this.sum -= old;
    if (this.ring.count >= this.period) this.value = this.sum / this.period;
    return this.value;
  }
  reset(): void {
    this.ring.reset();
    this.sum = 0;
    this.value = NaN;
  }
}

/** Streaming exponential smoothing seeded by an SMA; base of EMA and RMA. */
export class SmoothStream implements StreamingIndicator {
  private count = 0;
  private sum = 0;
  value = NaN;
  constructor(
    readonly period: number,
    private readonly alpha: number,
  ) {
    checkPeriod(period);
  }
  update(x: number): number {
    if (this.count === 0 && Number.isNaN(x)) return NaN;
    this.count++;
    if (this.count < this.period) {
      this.sum += x;
    } else if (this.count === this.period) {
      this.sum += x;
      this.value = this.sum / this.period;
    } else {
      this.value = this.step(this.value, x);
    }
    return this.value;
  }
  /** One smoothing step after the seed. */
  protected step(prev: number, x: number): number {
    return prev + this.alpha * (x - prev);
  }
  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.value = NaN;
  }
}

/** Streaming EMA, alpha = 2/(period+1), SMA seed (see `ema`). */
export class EmaStream extends SmoothStream {
  constructor(period: number) {
    super(period, 2 / (period + 1));
  }
}

/** Streaming Wilder RMA, alpha = 1/period, SMA seed (see `rma`, including `convention`). */
export class RmaStream extends SmoothStream {
  constructor(
    period: number,
    readonly convention: IndicatorConvention = 'tradingview',
  ) {
    super(period, 1 / period);
  }
  protected override step(prev: number, x: number): number {
    return this.convention === 'talib' ? wilderStep(prev, x, this.period) : super.step(prev, x);
  }
}

/** Streaming linearly weighted moving average (see `wma`). */
export class WmaStream implements StreamingIndicator {
  private readonly ring: Ring;
  private sum = 0;
  private weighted = 0;
  private readonly denom: number;
  value = NaN;
  constructor(readonly period: number) {
    checkPeriod(period);
    this.ring = new Ring(period);
    this.denom = (period * (period + 1)) / 2;
  }
  update(x: number): number {
    if (this.ring.count === 0 && Number.isNaN(x)) return NaN;
    const k = this.ring.count;
    const old = this.ring.push(x);
    if (k < this.period) {
      this.weighted += (k + 1) * x;
      this.sum += x;
    } else {
      this.weighted += this.period * x - this.sum;
      this.sum += x - old;
    }
    if (k >= this.period - 1) this.value = this.weighted / this.denom;
    return this.value;
  }
  reset(): void {
    this.ring.reset();
    this.sum = 0;
    this.weighted = 0;
    this.value = NaN;
  }
}
