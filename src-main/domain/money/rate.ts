import type { RoundingMode } from './rounding';
import { divRound } from './rounding';
import type { Result } from './result';
import { err, ok } from './result';
import { formatDecimalTrimmed, parseDecimal } from './decimal';

/**
 * Fee and other rates are integers in parts per million (ppm): 1 ppm = 0.0001 %, so
 * 0.10 % = 1000 ppm and 0.02 % = 200 ppm. ppm (rather than basis points) leaves room for
 * the fractional-bp rates real fee schedules use, while staying a small safe integer.
 */
export const PPM = 1_000_000;

/** True when `ppm` is an integer rate in [0, 100 %]. */
export function isValidPpm(ppm: number): boolean {
  return Number.isSafeInteger(ppm) && ppm >= 0 && ppm <= PPM;
}

/** `amount × ppm / 10^6` rounded by `mode` (fees use `ceil`: the exchange's favour). */
export function applyPpm(amount: bigint, ppm: number, mode: RoundingMode): bigint {
  return divRound(amount * BigInt(ppm), BigInt(PPM), mode);
}

/** Parses a percentage string (`"0.1"` → 1000 ppm); more than 4 decimals is refused. */
export function ppmFromPercent(percent: string): Result<number> {
  const parsed = parseDecimal(percent, 4);
  if (!parsed.ok) return parsed;
  const ppm = Number(parsed.value);
  if (!isValidPpm(ppm)) return err('invalid_rate', `rate ${percent}% is outside 0..100%`);
  return ok(ppm);
}

/** Formats ppm as a percentage string without trailing zeros (1000 → `"0.1"`). */
export function percentFromPpm(ppm: number): string {
  return formatDecimalTrimmed(BigInt(ppm), 4);
}
