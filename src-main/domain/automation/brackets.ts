import {
  decimalsOf,
  divRound,
  formatDecimalText,
  pow10,
  unitsAt,
  type DecimalText,
} from '../money';
import { MAX_TRAIL_BPS } from '../../../src-shared/contract/exchange';
import type { Bracket } from './intent';

/**
 * The price of a take-profit or stop-loss written relative to the entry (`percent` or
 * `amount`), exact to `scale` decimals (the market's price scale), rounded to nearest (ties
 * to even). A take-profit sits above the entry for a buy and below for a sell; a stop-loss
 * the other way round. Absolute prices pass through. `null` when the level would be ≤ 0, and
 * for a trailing stop-loss (`trailPercent`: not a price, see trailBpsOf).
 */
export function bracketPrice(
  b: Bracket,
  kind: 'takeProfit' | 'stopLoss',
  side: 'buy' | 'sell',
  entry: DecimalText,
  scale: number,
): DecimalText | null {
  if (b.price) return b.price;
  const up = (kind === 'takeProfit') === (side === 'buy');
  // 8 guard digits beyond the price scale, or more when a value is written with more: every
  // digit given counts (the result is rounded once more, to `scale`, at the end).
  const s = Math.max(scale + 8, decimalsOf(entry), decimalsOf(b.amount ?? ''));
  const e = unitsAt(entry, s);
  let distance: bigint;
  if (b.percent) {
    const sp = decimalsOf(b.percent);
    distance = divRound(e * unitsAt(b.percent, sp), 100n * pow10(sp), 'half_even');
  } else if (b.amount) {
    distance = unitsAt(b.amount, s);
  } else return null;
  const level = up ? e + distance : e - distance;
  if (level <= 0n) return null;
  return formatDecimalText(divRound(level, pow10(s - scale), 'half_even'), scale);
}

/**
 * A trailing distance in percent as the exchange's basis points: exact (percent × 100, so at
 * most two decimals) and within 0.01–50 %; null otherwise.
 */
export function trailBpsOf(percent: DecimalText): number | null {
  if (decimalsOf(percent) > 2) return null;
  const bps = Number(unitsAt(percent, 2));
  return bps >= 1 && bps <= MAX_TRAIL_BPS ? bps : null;
}

/** Why a trailing percent is refused, for the messages of every door that reads one. */
export const TRAIL_PERCENT_RULE = `0.01–${MAX_TRAIL_BPS / 100} with at most two decimals`;
