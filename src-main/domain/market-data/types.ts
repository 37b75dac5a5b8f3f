/**
 * Vocabulary of derived market data. Everything is in engine units: prices are integer
 * ticks and quantities integer lots, both safe-integer `number`s as the market edge
 * conversions return them. Sums that can outgrow 2^53 (ticks × lots) are `bigint`.
 */

/** Side of the aggressor (taker) of a trade, or of a book level. */
export type Side = 'buy' | 'sell';

/** A trade as market data needs it (a projection of the engine's trade event). */
export interface MarketTrade {
  /** Engine trade id; carried through for the recent-trades feed, not interpreted. */
  id?: number | string;
  /** Execution price in ticks (positive safe integer). */
  price: number;
  /** Executed quantity in lots (positive safe integer). */
  qty: number;
  /** Execution time, ms since the Unix epoch (UTC). */
  ts: number;
  /** Side of the taker; informs the recent-trades feed only. */
  takerSide?: Side;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Candle intervals we build and publish. */
export type CandleInterval = '1m' | '5m' | '15m' | '1h' | '4h' | '1d';

/** Length of each interval in ms; all divide a UTC day, so buckets align to the epoch. */
export const INTERVAL_MS: Readonly<Record<CandleInterval, number>> = {
  '1m': MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '1h': HOUR,
  '4h': 4 * HOUR,
  '1d': 24 * HOUR,
};

/** Every interval, shortest first. */
export const CANDLE_INTERVALS: readonly CandleInterval[] = ['1m', '5m', '15m', '1h', '4h', '1d'];

/**
 * Start of the bucket holding `ts`. Buckets are aligned to the Unix epoch, which is a UTC
 * midnight, so 1d buckets start at UTC midnight and 4h ones at 00:00, 04:00... UTC.
 * Floor (not truncation) keeps pre-1970 timestamps in the right bucket.
 */
export function bucketStart(ts: number, interval: CandleInterval): number {
  const ms = INTERVAL_MS[interval];
  return Math.floor(ts / ms) * ms;
}
