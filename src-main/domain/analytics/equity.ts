import type { DecimalText } from '../money';
import { divRound, formatDecimalText } from '../money';
import { SCALE, fx, ratio, text } from './fixed';
import type { RoundTrip } from './round-trips';

/** A point of a curve: the bucket starting at `t`, as it stood at the bucket's end. */
export interface EquityPoint {
  t: number;
  /** Net P&L of round trips closed from the period start to the end of this bucket. */
  realised: DecimalText;
  /** start + realised, or null when the starting equity is not known. */
  equity: DecimalText | null;
}

/** Bucket starts from the one containing `from` to the one containing `to` (UTC-aligned). */
export function bucketStarts(from: number, to: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(from / stepMs) * stepMs; t <= to; t += stepMs) out.push(t);
  return out;
}

/**
 * The realised equity curve of one account's round trips over [from, to]: at each bucket, the
 * starting equity plus every net P&L closed in [from, end of bucket). Not a mark-to-market
 * history (open positions are not valued at past prices: no such history is recorded).
 */
export function equityCurve(
  trips: readonly RoundTrip[],
  times: readonly number[],
  stepMs: number,
  from: number,
  start: DecimalText | null,
): EquityPoint[] {
  const closed = trips
    .filter((t) => t.closedAt >= from)
    .sort((a, b) => a.closedAt - b.closedAt)
    .map((t) => ({ at: t.closedAt, net: fx(t.netPnl) }));
  const base = start === null ? null : fx(start);
  let i = 0;
  let sum = 0n;
  return times.map((t) => {
    const end = t + stepMs;
    while (i < closed.length && closed[i]!.at < end) sum += closed[i++]!.net;
    return { t, realised: text(sum), equity: base === null ? null : text(base + sum) };
  });
}

/** A benchmark point: the market's close at the end of the bucket and its growth since the start. */
export interface BenchmarkPoint {
  t: number;
  close: DecimalText | null;
  /** close ÷ the first close of the period (8 decimals), null before the first bar. */
  growth: DecimalText | null;
}

/**
 * Buy-and-hold of a market from its bars (`openTime`, `close`): each bucket takes the close of
 * its own bar, or of the latest bar before it (no trade, no bar: the price stood still).
 */
export function benchmarkCurve(
  bars: ReadonlyArray<{ openTime: number; close: DecimalText }>,
  times: readonly number[],
): BenchmarkPoint[] {
  const sorted = [...bars].sort((a, b) => a.openTime - b.openTime);
  let i = 0;
  let last: DecimalText | null = null;
  let first: bigint | null = null;
  return times.map((t) => {
    while (i < sorted.length && sorted[i]!.openTime <= t) last = sorted[i++]!.close;
    if (last === null) return { t, close: null, growth: null };
    const close = fx(last);
    if (first === null) first = close;
    return { t, close: text(close), growth: ratio(close, first, 8) };
  });
}

/** The benchmark scaled to a starting equity: start × growth at the money scale. */
export function scaledBenchmark(
  points: readonly BenchmarkPoint[],
  start: DecimalText,
  moneyScale: number,
): Array<{ t: number; value: DecimalText | null }> {
  const s = fx(start);
  return points.map((p) => ({
    t: p.t,
    // One rounding of the exact product (its units are 10^-36).
    value:
      p.growth === null
        ? null
        : formatDecimalText(
            divRound(s * fx(p.growth), 10n ** BigInt(2 * SCALE - moneyScale), 'half_even'),
            moneyScale,
          ),
  }));
}
