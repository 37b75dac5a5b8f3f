import type { Candle } from './candles';
import type { CandleInterval } from './types';
import { INTERVAL_MS, bucketStart } from './types';

/**
 * Rebuilds candles of a longer interval from finer ones (normally 1m), e.g. on recovery
 * when only 1m bars were stored. Input must be in time order; the result is identical to
 * building from the trades directly because every interval is a multiple of 1m and all
 * buckets share the epoch alignment.
 */
export function aggregate(candles: readonly Candle[], interval: CandleInterval): Candle[] {
  const out: Candle[] = [];
  let bar: Candle | undefined;
  for (const c of candles) {
    if (INTERVAL_MS[c.interval] > INTERVAL_MS[interval]) {
      throw new Error(`cannot aggregate ${c.interval} candles into ${interval}`);
    }
    const start = bucketStart(c.openTime, interval);
    if (bar === undefined || start !== bar.openTime) {
      bar = { ...c, interval, openTime: start };
      out.push(bar);
      continue;
    }
    if (c.high > bar.high) bar.high = c.high;
    if (c.low < bar.low) bar.low = c.low;
    bar.close = c.close;
    bar.volume += c.volume;
    bar.quoteVolume += c.quoteVolume;
    bar.trades += c.trades;
  }
  return out;
}

/**
 * For charts only: returns a continuous series from `from` to `to` (bucket starts,
 * inclusive) where every missing bar is a flat bar at the previous close with zero
 * volume and zero trades. Kept separate from building on purpose: stored and published
 * candles never contain invented bars. A real bar before `from` seeds the carried close;
 * without one, buckets before the first real bar stay empty.
 */
export function fillGaps(
  candles: readonly Candle[],
  interval: CandleInterval,
  from: number,
  to: number,
): Candle[] {
  const ms = INTERVAL_MS[interval];
  const byTime = new Map(candles.map((c) => [c.openTime, c]));
  const out: Candle[] = [];
  const start = bucketStart(from, interval);
  let prev = candles.filter((c) => c.openTime < start).at(-1);
  for (let t = start; t <= to; t += ms) {
    const real = byTime.get(t);
    if (real) {
      out.push(real);
      prev = real;
    } else if (prev) {
      const p = prev.close;
      out.push({
        interval,
        openTime: t,
        open: p,
        high: p,
        low: p,
        close: p,
        volume: 0,
        quoteVolume: 0n,
        trades: 0,
      });
    }
  }
  return out;
}
