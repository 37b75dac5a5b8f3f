/**
 * Exact decimals, the one implementation both processes use: the backend's money
 * (`src-main/domain/money` re-exports the strict half) and the renderer's previews (the order
 * ticket's cost, fee and % of balance must match what the exchange will hold to the unit).
 * Amounts are decimal strings at the edge and bigint minor units inside; never floats.
 * Node-free: the renderer imports it.
 */

/** Largest decimal scale we accept: 18 covers every asset (ETH wei) and keeps 10^scale small. */
export const MAX_SCALE = 18;

const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A refusal with a stable code (the shape of the domain's `DomainError`). */
export interface DecimalError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Success or refusal as a value (the shape of the domain's `Result`). */
export type DecimalResult<T> = { ok: true; value: T } | { ok: false; error: DecimalError };

const refuse = <T>(error: DecimalError): DecimalResult<T> => ({ ok: false, error });

/** 10^n as a bigint (n a non-negative integer). */
export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** True when `scale` is an integer in [0, MAX_SCALE]. */
export function isValidScale(scale: number): boolean {
  return Number.isInteger(scale) && scale >= 0 && scale <= MAX_SCALE;
}

// ---------------------------------------------------------------------------------------------
// Strict: money from the JSON edge.

/**
 * Parses a decimal string into integer minor units at `scale`. Strict on purpose: money from
 * the JSON edge must be written exactly (`^-?\d+(\.\d+)?$`: no exponent, no `+`, no spaces,
 * no leading or trailing `.`). More fractional digits than `scale` is `too_many_decimals`,
 * even when the extra digits are zeros: we never round silently.
 * `-0` parses to `0n`.
 */
export function parseDecimal(text: string, scale: number): DecimalResult<bigint> {
  if (!isValidScale(scale)) {
    return refuse({ code: 'invalid_scale', message: `scale must be an integer 0..${MAX_SCALE}` });
  }
  const match = typeof text === 'string' ? DECIMAL_RE.exec(text) : null;
  if (!match) {
    const message = `not a plain decimal number: ${JSON.stringify(text)}`;
    return refuse({ code: 'invalid_decimal', message });
  }
  const [, sign, whole = '0', frac = ''] = match;
  if (frac.length > scale) {
    const message = `${text} has more than ${scale} decimals`;
    return refuse({ code: 'too_many_decimals', message, details: { value: text, scale } });
  }
  const units = BigInt(whole + frac.padEnd(scale, '0'));
  return { ok: true, value: sign === '-' ? -units : units };
}

/** Counts the fractional digits a decimal string really needs (trailing zeros ignored). */
export function significantDecimals(text: string): DecimalResult<number> {
  const match = DECIMAL_RE.exec(text);
  if (!match) {
    const message = `not a plain decimal number: ${JSON.stringify(text)}`;
    return refuse({ code: 'invalid_decimal', message });
  }
  return { ok: true, value: (match[3] ?? '').replace(/0+$/, '').length };
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

// ---------------------------------------------------------------------------------------------
// Rounding: every division of money names who gains the fraction of a minor unit.

/**
 * Integer division with an explicit rounding mode. Every place money is divided names its
 * mode, so who gains the fraction of a minor unit is a visible decision:
 * - `floor`: toward −∞ (e.g. what a user receives);
 * - `ceil`: toward +∞ (e.g. fees, holds — in the exchange's favour);
 * - `half_even`: to nearest, ties to even (statistics, display; no bias over many values).
 */
export type RoundingMode = 'floor' | 'ceil' | 'half_even';

/** Divides `numerator` by a non-zero `denominator`, rounding by `mode` (exact for any signs). */
export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  // Normalise to a positive denominator so floor/ceil reason about one sign only.
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const truncated = n / d; // bigint division truncates toward zero
  const remainder = n - truncated * d; // same sign as n
  if (remainder === 0n) return truncated;
  const floor = remainder < 0n ? truncated - 1n : truncated;
  if (mode === 'floor') return floor;
  if (mode === 'ceil') return floor + 1n;
  const twiceFromFloor = 2n * (n - floor * d); // in (0, 2d)
  if (twiceFromFloor < d) return floor;
  if (twiceFromFloor > d) return floor + 1n;
  return floor % 2n === 0n ? floor : floor + 1n;
}

/** `a × b / d` rounded by `mode`, with the product kept exact (bigint never overflows). */
export function mulDiv(a: bigint, b: bigint, d: bigint, mode: RoundingMode): bigint {
  return divRound(a * b, d, mode);
}

/**
 * Re-expresses minor units at `fromScale` as minor units at `toScale`. Scaling up is exact;
 * scaling down rounds by `mode`.
 */
export function rescale(
  units: bigint,
  fromScale: number,
  toScale: number,
  mode: RoundingMode,
): bigint {
  if (toScale >= fromScale) return units * 10n ** BigInt(toScale - fromScale);
  return divRound(units, 10n ** BigInt(fromScale - toScale), mode);
}

// ---------------------------------------------------------------------------------------------
// Rates in parts per million.

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
export function ppmFromPercent(percent: string): DecimalResult<number> {
  const parsed = parseDecimal(percent, 4);
  if (!parsed.ok) return parsed;
  const ppm = Number(parsed.value);
  if (!isValidPpm(ppm)) {
    return refuse({ code: 'invalid_rate', message: `rate ${percent}% is outside 0..100%` });
  }
  return { ok: true, value: ppm };
}

/** Formats ppm as a percentage string without trailing zeros (1000 → `"0.1"`). */
export function percentFromPpm(ppm: number): string {
  return formatDecimalTrimmed(BigInt(ppm), 4);
}

// ---------------------------------------------------------------------------------------------
// Lenient: what a user is typing into a form (previews; the backend still checks strictly).

/** Decimals written in a string such as a step "0.0001" (→ 4) or "1" (→ 0). */
export function decimalsOf(s: string): number {
  return s.split('.')[1]?.length ?? 0;
}

/**
 * A typed-in decimal (spaces around, `.5`, `5.` accepted) as units of 10^-scale, truncating
 * extra digits; undefined if it is not a number.
 */
export function toUnits(s: string, scale: number): bigint | undefined {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = (m[3] ?? '').slice(0, scale).padEnd(scale, '0');
  const units = BigInt((m[2] || '0') + frac);
  return m[1] === '-' ? -units : units;
}

/** a × b, truncated to `scale` decimals. */
export function mul(a: string, b: string, scale: number): string | undefined {
  const sa = decimalsOf(a);
  const sb = decimalsOf(b);
  const ua = toUnits(a, sa);
  const ub = toUnits(b, sb);
  if (ua === undefined || ub === undefined) return undefined;
  const shift = sa + sb - scale;
  const raw = ua * ub;
  const units = shift >= 0 ? raw / pow10(shift) : raw * pow10(-shift);
  return formatDecimal(units, scale);
}

/** a ÷ b, truncated to `scale` decimals (undefined when b is zero). */
export function div(a: string, b: string, scale: number): string | undefined {
  const s = Math.max(decimalsOf(a), decimalsOf(b));
  const ua = toUnits(a, s);
  const ub = toUnits(b, s);
  if (ua === undefined || ub === undefined || ub === 0n) return undefined;
  return formatDecimal((ua * pow10(scale)) / ub, scale);
}

/** Rounds down to a multiple of `step` (e.g. a lot size). */
export function floorToStep(value: string, step: string): string | undefined {
  const scale = decimalsOf(step);
  const v = toUnits(value, scale);
  const st = toUnits(step, scale);
  if (v === undefined || st === undefined || st === 0n) return undefined;
  return formatDecimal((v / st) * st, scale);
}

/** amount × ppm / 1,000,000, truncated to `scale`. */
export function ppmOf(amount: string, ppm: number, scale: number): string | undefined {
  const u = toUnits(amount, scale);
  if (u === undefined) return undefined;
  return formatDecimal((u * BigInt(ppm)) / 1_000_000n, scale);
}

/** a + b at `scale` decimals (extra digits truncated). */
export function add(a: string, b: string, scale: number): string | undefined {
  const ua = toUnits(a, scale);
  const ub = toUnits(b, scale);
  return ua === undefined || ub === undefined ? undefined : formatDecimal(ua + ub, scale);
}

/** a − b at `scale` decimals (extra digits truncated). */
export function sub(a: string, b: string, scale: number): string | undefined {
  const ua = toUnits(a, scale);
  const ub = toUnits(b, scale);
  return ua === undefined || ub === undefined ? undefined : formatDecimal(ua - ub, scale);
}

/** True when a typed-in decimal is a number greater than zero. */
export function isPositive(s: string): boolean {
  const u = toUnits(s, decimalsOf(s));
  return u !== undefined && u > 0n;
}
