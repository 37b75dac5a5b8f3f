import type { Result } from './result';
import { err, ok } from './result';

/** Largest decimal scale we accept: 18 covers every asset (ETH wei) and keeps 10^scale small. */
export const MAX_SCALE = 18;

const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d+))?$/;

/** 10^n as a bigint (n a non-negative integer). */
export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** True when `scale` is an integer in [0, MAX_SCALE]. */
export function isValidScale(scale: number): boolean {
  return Number.isInteger(scale) && scale >= 0 && scale <= MAX_SCALE;
}

/**
 * Parses a decimal string into integer minor units at `scale`. Strict on purpose: money from
 * the JSON edge must be written exactly (`^-?\d+(\.\d+)?$`: no exponent, no `+`, no spaces,
 * no leading or trailing `.`). More fractional digits than `scale` is `too_many_decimals`,
 * even when the extra digits are zeros: we never round silently.
 * `-0` parses to `0n`.
 */
export function parseDecimal(text: string, scale: number): Result<bigint> {
  if (!isValidScale(scale)) return err('invalid_scale', `scale must be an integer 0..${MAX_SCALE}`);
  const match = typeof text === 'string' ? DECIMAL_RE.exec(text) : null;
  if (!match) {
    return err('invalid_decimal', `not a plain decimal number: ${JSON.stringify(text)}`);
  }
  const [, sign, whole = '0', frac = ''] = match;
  if (frac.length > scale) {
    return err('too_many_decimals', `${text} has more than ${scale} decimals`, {
      value: text,
      scale,
    });
  }
  const units = BigInt(whole + frac.padEnd(scale, '0'));
  return ok(sign === '-' ? -units : units);
}

/** Counts the fractional digits a decimal string really needs (trailing zeros ignored). */
export function significantDecimals(text: string): Result<number> {
  const match = DECIMAL_RE.exec(text);
  if (!match) return err('invalid_decimal', `not a plain decimal number: ${JSON.stringify(text)}`);
  return ok((match[3] ?? '').replace(/0+$/, '').length);
}

/** Formats minor units as a canonical decimal with exactly `scale` fractional digits. */
export function formatDecimal(units: bigint, scale: number): string {
  if (!isValidScale(scale)) throw new RangeError(`invalid scale ${scale}`);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${frac}` : ''}`;
}

/** Like `formatDecimal` but without trailing fractional zeros (and no bare `.`): for display. */
export function formatDecimalTrimmed(units: bigint, scale: number): string {
  const full = formatDecimal(units, scale);
  if (scale === 0) return full;
  return full.replace(/\.?0+$/, '');
}
