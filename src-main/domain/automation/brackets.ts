import { divRound } from '../money';
import { formatUnits, unitsAt, type DecimalText } from './decimal';
import type { Bracket } from './intent';

/**
 * The price of a take-profit or stop-loss written relative to the entry (`percent` or
 * `amount`), exact to `scale` decimals (the market's price scale), rounded to nearest (ties
 * to even). A take-profit sits above the entry for a buy and below for a sell; a stop-loss
 * the other way round. Absolute prices pass through. `null` when the level would be ≤ 0.
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
  const e = unitsAt(entry, scale + 8);
  let distance: bigint;
  if (b.percent) {
    distance = divRound(e * unitsAt(b.percent, 8), 100n * 10n ** 8n, 'half_even');
  } else if (b.amount) {
    distance = unitsAt(b.amount, scale + 8);
  } else return null;
  const level = up ? e + distance : e - distance;
  if (level <= 0n) return null;
  return formatUnits(divRound(level, 10n ** 8n, 'half_even'), scale);
}
