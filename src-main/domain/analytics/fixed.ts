import { divRound, formatDecimalText, unitsAt, type DecimalText } from '../money';

/**
 * Analytics arithmetic: every amount as a bigint of 10^-18 units. Prices, quantities and fees
 * of every market fit (scales ≤ 18), so sums and differences are exact; a product is exact
 * while its two factors' decimals add up to 18 or fewer (a price at 2 and a quantity at 8
 * decimals need 10), otherwise it is rounded half-even at the 18th decimal.
 */
export const SCALE = 18;
export const ONE = 10n ** BigInt(SCALE);

/** A canonical decimal string as fixed units (throws on more than 18 decimals: a bug upstream). */
export function fx(text: string): bigint {
  return unitsAt(text, SCALE);
}

/** Fixed units as canonical decimal text (no trailing zeros). */
export function text(units: bigint): DecimalText {
  return formatDecimalText(units, SCALE);
}

/** a × b. */
export function mul(a: bigint, b: bigint): bigint {
  return divRound(a * b, ONE, 'half_even');
}

/** a × n / d with the product kept whole (pro-rating a fee to part of a quantity). */
export function share(a: bigint, n: bigint, d: bigint): bigint {
  return divRound(a * n, d, 'half_even');
}

/** Ratio a ÷ b as text with `decimals` places (one half-even rounding), null when b is 0. */
export function ratio(a: bigint, b: bigint, decimals = 6): DecimalText | null {
  if (b === 0n) return null;
  return formatDecimalText(divRound(a * 10n ** BigInt(decimals), b, 'half_even'), decimals);
}

export const abs = (v: bigint): bigint => (v < 0n ? -v : v);

/** sum ÷ count rounded half-even to `decimals` places (one rounding), null for no items. */
export function average(sum: bigint, count: number, decimals: number): DecimalText | null {
  if (count === 0) return null;
  const step = 10n ** BigInt(SCALE - Math.min(decimals, SCALE));
  return text(divRound(sum, BigInt(count) * step, 'half_even') * step);
}
