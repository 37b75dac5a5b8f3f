import type { Result } from '../money';
import { decimalsOf, divRound, err, ok, readDecimalText, unitsAt } from '../money';

/**
 * Converts a non-negative decimal string to a count of `step`s (a tick size or lot size,
 * also a decimal string), rounding half up: `("0.049", "0.00001") → 4900`. Exact: both
 * sides are read at a common scale as bigints before dividing.
 */
export function decimalToSteps(value: string, step: string): Result<number> {
  const v = nonNegative(value);
  const s = nonNegative(step);
  if (v === undefined) {
    return err('sim_bad_decimal', `not a non-negative decimal: ${value}`, { value });
  }
  if (s === undefined || s === '0') {
    return err('sim_bad_decimal', `not a positive step: ${step}`, { step });
  }
  const scale = Math.max(decimalsOf(v), decimalsOf(s));
  const steps = divRound(unitsAt(v, scale), unitsAt(s, scale), 'half_away');
  if (steps > BigInt(Number.MAX_SAFE_INTEGER)) {
    return err('sim_bad_decimal', `${value} is too many steps of ${step}`, { value, step });
  }
  return ok(Number(steps));
}

/** A plain decimal without a sign (spaces around allowed), as canonical text. */
function nonNegative(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('-')) return undefined;
  const read = readDecimalText(trimmed);
  return read.ok ? read.value : undefined;
}
