import { MAX_TRAIL_BPS } from '../../../src-shared/contract/exchange';
import type { PlaceCommand } from './commands';
import type { Side } from './types';

export { MAX_TRAIL_BPS };

/**
 * Trailing stops (Binance's `trailingDelta`): a stop whose stop price follows the best price
 * since it started tracking, `trailBps` basis points behind it — or, for a trail by an
 * amount (TradersPost's `trailAmount`, backtrader's `trailamount`), `trailAmount` price units
 * (a multiple of the tick) behind it. A sell follows the highest trade price (the stop only
 * rises), a buy the lowest (the stop only falls).
 *
 * Without a stop price the order tracks from the last trade price at placement. With one, the
 * stop price is an activation price: the order waits as a plain stop at that price, and the
 * first trade that meets it (a buy's at or above it, a sell's at or below) becomes the anchor.
 */

const BPS = 10_000;

/** True for a trailing stop: it trails by basis points or by an amount (never both). */
export function isTrailing(o: { trailBps: number; trailAmount: number }): boolean {
  return o.trailBps !== 0 || o.trailAmount !== 0;
}

/**
 * The stop price `bps` basis points (or, with `bps` 0, `amount` price units) behind `anchor`,
 * on the market's tick grid, rounded away from the anchor so the distance is never less than
 * asked: a sell's stop floors, a buy's ceils. A sell's stop is at least one tick.
 */
export function trailStop(
  side: Side,
  anchor: number,
  bps: number,
  amount: number,
  tickSize: number,
): number {
  if (side === 'sell') {
    const raw = bps !== 0 ? Math.floor((anchor * (BPS - bps)) / BPS) : anchor - amount;
    return Math.max(tickSize, raw - (raw % tickSize));
  }
  const raw = bps !== 0 ? Math.ceil((anchor * (BPS + bps)) / BPS) : anchor + amount;
  const rem = raw % tickSize;
  return rem === 0 ? raw : raw + tickSize - rem;
}

/** True when a trade at `price` is a new best for a tracking stop anchored at `anchor`. */
export function improvesAnchor(side: Side, anchor: number, price: number): boolean {
  return side === 'sell' ? price > anchor : price < anchor;
}

/** True when a trade at `price` meets a (not yet tracking) trailing stop's activation price. */
export function activates(side: Side, activation: number, price: number): boolean {
  return side === 'buy' ? price >= activation : price <= activation;
}

/**
 * The highest stop price a trailing buy can reach before it triggers, which is what a buy
 * stop-market by quantity is held and banded on: its stop right after activation at the
 * activation price, or (tracking from placement) right after placement. A buy's stop only falls
 * while it tracks; when a gap activates it above this, the triggered order is still banded
 * around this price, so it never spends more than it holds. 0 without an activation price
 * and a last price.
 */
export function trailingBuyCeiling(
  activation: number,
  lastAtPlacement: number,
  bps: number,
  amount: number,
  tickSize: number,
): number {
  const from = activation > 0 ? activation : lastAtPlacement;
  return from > 0 ? trailStop('buy', from, bps, amount, tickSize) : 0;
}

/** The stop price a trailing stop starts with when placed now (0: none can be computed). */
export function initialTrailStop(cmd: PlaceCommand, last: number, tickSize: number): number {
  if (cmd.trailBps === undefined && cmd.trailAmount === undefined) return cmd.stopPrice ?? 0;
  if (cmd.stopPrice !== undefined) return cmd.stopPrice;
  return last > 0
    ? trailStop(cmd.side, last, cmd.trailBps ?? 0, cmd.trailAmount ?? 0, tickSize)
    : 0;
}
