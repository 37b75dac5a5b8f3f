/**
 * `GET /api/v3/klines` in every interval Binance offers from one minute up (Bourse keeps
 * 1m/5m/15m/1h/4h/1d bars; the others are merged from the largest kept one that divides them)
 * and in the `timeZone` a client asks for: buckets start at local midnight, Monday (1w) or the
 * first of the month (1M) in that zone, while startTime/endTime and the answered times stay UTC
 * as on Binance.
 */
import { BinanceError, binanceKline, intervalOf, type Market } from './mapping';
import { barsBetween, mergeBars, type Candle, type KeptInterval } from './bars';
import { limitOf, timeWindow, type Call, type Params } from './call';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const KEPT: ReadonlyArray<[KeptInterval, number]> = [
  ['1d', DAY],
  ['4h', 4 * HOUR],
  ['1h', HOUR],
  ['15m', 15 * MIN],
  ['5m', 5 * MIN],
  ['1m', MIN],
];

/** Binance's intervals from one minute up: their length ('1M' is a calendar month). */
const LENGTHS: Record<string, number> = {
  '1m': MIN,
  '3m': 3 * MIN,
  '5m': 5 * MIN,
  '15m': 15 * MIN,
  '30m': 30 * MIN,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '4h': 4 * HOUR,
  '6h': 6 * HOUR,
  '8h': 8 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
  '3d': 3 * DAY,
  '1w': 7 * DAY,
  '1M': 31 * DAY,
};

/** 1970-01-05, the first Monday after the epoch: where Binance's weeks start. */
const FIRST_MONDAY = 4 * DAY;

/** `timeZone` (`"0"`, `"+8"`, `"-1:30"`, `"05:45"`, within −12:00…+14:00) in ms east of UTC. */
export function timeZoneOffset(p: Params): number {
  const v = p.timeZone;
  if (v === undefined) return 0;
  const m = /^([+-])?([0-9]{1,2})(?::([0-9]{2}))?$/.exec(v);
  const hours = Number(m?.[2] ?? NaN);
  const minutes = Number(m?.[3] ?? 0);
  const offset = (m?.[1] === '-' ? -1 : 1) * (hours * HOUR + minutes * MIN);
  if (!m || minutes > 59 || offset < -12 * HOUR || offset > 14 * HOUR) {
    throw new BinanceError(-1100, "Illegal characters found in parameter 'timeZone'.");
  }
  return offset;
}

/** The start (UTC ms) of the bucket holding `t` for `interval` in a zone `offset` east. */
export function bucketStart(interval: string, t: number, offset: number): number {
  const local = t + offset;
  if (interval === '1M') {
    const d = new Date(local);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - offset;
  }
  const len = LENGTHS[interval] ?? MIN;
  const anchor = interval === '1w' ? FIRST_MONDAY : 0;
  return Math.floor((local - anchor) / len) * len + anchor - offset;
}

/** The bucket after the one starting at `start`. */
function nextBucket(interval: string, start: number, offset: number): number {
  if (interval !== '1M') return start + (LENGTHS[interval] ?? MIN);
  const d = new Date(start + offset);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - offset;
}

/** The largest kept interval dividing both the bucket length and the zone's offset. */
function baseOf(interval: string, offset: number): KeptInterval {
  const len = interval === '1M' || interval === '1w' || interval === '3d' ? DAY : LENGTHS[interval];
  for (const [name, ms] of KEPT) {
    if (len !== undefined && len % ms === 0 && offset % ms === 0) return name;
  }
  return '1m';
}

/** The klines of a request, in Binance's array shape. */
export async function klines(c: Call, market: Market): Promise<unknown[][]> {
  const interval = c.params.interval;
  if (interval === '1s') {
    throw new BinanceError(-1120, 'Invalid interval.', 400, {
      code: 'interval_unavailable',
      message: 'Bourse keeps bars from one minute up; 1s is not served',
    });
  }
  const offset = timeZoneOffset(c.params);
  const limit = limitOf(c.params, 500, 1000);
  const window = timeWindow(c.params);
  if (interval !== undefined && LENGTHS[interval] !== undefined) {
    const base = baseOf(interval, offset);
    if (base === interval) {
      // Kept as asked: served as stored, latest `limit` bars or `limit` from startTime.
      const kept = intervalOf(c.params);
      const { items } = await c.invoke('marketData.candles', {
        symbol: market.symbol,
        interval: kept,
        limit,
        ...window,
      });
      return items.map((bar) => binanceKline(bar, kept));
    }
    return merged(c, market, interval, base, offset, limit, window);
  }
  intervalOf(c.params); // -1102 when missing, -1120 when unknown
  return [];
}

async function merged(
  c: Call,
  market: Market,
  interval: string,
  base: KeptInterval,
  offset: number,
  limit: number,
  window: { from?: number; to?: number },
): Promise<unknown[][]> {
  const len = LENGTHS[interval] ?? MIN;
  const to = window.to ?? c.now;
  // Without startTime, the latest `limit` buckets in time (a month is at most 31 days).
  const from =
    window.from !== undefined
      ? bucketStart(interval, window.from, offset)
      : bucketStart(interval, to - (limit - 1) * len, offset);
  const bars = await barsBetween(c, market.symbol, base, from, to);
  const groups = new Map<number, Candle[]>();
  for (const bar of bars) {
    const start = bucketStart(interval, bar.openTime, offset);
    const group = groups.get(start);
    if (group) group.push(bar);
    else groups.set(start, [bar]);
  }
  const out: unknown[][] = [];
  for (const [start, group] of groups) {
    if (window.from !== undefined && start < window.from) continue;
    const bar = mergeBars(group, start);
    if (bar) out.push(binanceKline(bar, interval, nextBucket(interval, start, offset) - 1));
  }
  return window.from !== undefined ? out.slice(0, limit) : out.slice(-limit);
}
