import { divRound, formatDecimal, type DecimalText } from '../money';
import { SCALE, fx } from './fixed';

/**
 * How one currency turns into another: through a market `<from>/<to>` (multiply by its price)
 * or `<to>/<from>` (divide by it), at a price the caller took (the last trade). `same` is 1.
 */
export type Rate =
  | { kind: 'same' }
  | { kind: 'direct'; market: string; price: DecimalText }
  | { kind: 'inverse'; market: string; price: DecimalText };

/**
 * `amount` in the target currency at its money `scale`, rounded half-even once from the exact
 * value (amount × price, or amount ÷ price).
 */
export function convert(amount: DecimalText, rate: Rate, scale: number): DecimalText {
  const a = fx(amount);
  if (rate.kind === 'same') {
    return formatDecimal(divRound(a, 10n ** BigInt(SCALE - scale), 'half_even'), scale);
  }
  const p = fx(rate.price);
  const units =
    rate.kind === 'direct'
      ? divRound(a * p, 10n ** BigInt(2 * SCALE - scale), 'half_even')
      : divRound(a * 10n ** BigInt(scale), p, 'half_even');
  return formatDecimal(units, scale);
}
