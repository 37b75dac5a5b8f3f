import { divRound } from '../money';
import type { Quote } from './model';

/**
 * Trailing stops on the paper broker, which trades against quotes rather than its own
 * trades: a stop follows the side of the book it would execute against, a distance (`Trail`)
 * behind the best level since it started tracking. A sell stop (an entry short, or the
 * stop-loss of a long) follows the bid up and never down; a buy stop (an entry long, or the
 * stop-loss of a short) follows the ask down and never up. Levels sit on the market's tick
 * grid, rounded away from the quote so the distance is never less than asked.
 *
 * Only the stop level is kept: it is a monotone function of the best quote, so the best quote
 * itself need not be stored.
 */

const BPS = 10_000n;

/**
 * How far a trailing stop stays behind its quote: basis points of the quote (a percentage,
 * 1–5000), or a fixed distance in price units at the market's price scale (TradersPost's
 * `trailAmount`, backtrader's `trailamount`, Kraken's `+50`).
 */
export type Trail = { readonly bps: number } | { readonly amount: bigint };

/** The quote a stop on `side` executes against and follows: a sell's bid, a buy's ask. */
export function trailReference(side: 'buy' | 'sell', q: Quote): bigint {
  return side === 'sell' ? q.bid : q.ask;
}

/** The stop `trail` behind `reference`: a sell's floored, a buy's ceiled, at least one tick. */
export function trailLevel(
  side: 'buy' | 'sell',
  reference: bigint,
  trail: Trail,
  tick: bigint,
): bigint {
  let ticks: bigint;
  if ('bps' in trail) {
    const b = BigInt(trail.bps);
    ticks =
      side === 'sell'
        ? divRound(reference * (BPS - b), BPS * tick, 'floor')
        : divRound(reference * (BPS + b), BPS * tick, 'ceil');
  } else {
    ticks =
      side === 'sell'
        ? divRound(reference - trail.amount, tick, 'floor')
        : divRound(reference + trail.amount, tick, 'ceil');
  }
  return ticks > 0n ? ticks * tick : tick;
}

/**
 * The stop after the book moved: the level behind the quote now, when it is better than the
 * stop (a sell's higher, a buy's lower); otherwise, or when the quote is one-sided, the stop
 * as it was.
 */
export function trailedStop(
  side: 'buy' | 'sell',
  stop: bigint,
  q: Quote,
  trail: Trail,
  tick: bigint,
): bigint {
  if (q.oneSided) return stop; // a filled-in side is no quote to follow (see Quote)
  const level = trailLevel(side, trailReference(side, q), trail, tick);
  return side === 'sell' ? (level > stop ? level : stop) : level < stop ? level : stop;
}

/**
 * True when the book reaches a trailing stop's activation price: a buy's ask at or above it,
 * a sell's bid at or below it (the local exchange's rule, on quotes). From then on it tracks.
 */
export function trailActivated(side: 'buy' | 'sell', activation: bigint, q: Quote): boolean {
  return side === 'buy' ? q.ask >= activation : q.bid <= activation;
}

/** A trail as two nullable columns (basis points, amount as a decimal at the price scale). */
export interface TrailColumns {
  bps: number | null;
  amount: string | null;
}
