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
  return fixedDigits(units, scale);
}

/** `units / 10^scale` with exactly `scale` fractional digits; `scale` a non-negative integer. */
function fixedDigits(units: bigint, scale: number): string {
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
 * - `half_even`: to nearest, ties to even (statistics, display; no bias over many values);
 * - `half_away`: to nearest, ties away from zero (what Binance publishes, e.g. its
 *   priceChangePercent; the simulator's step counts).
 */
export type RoundingMode = 'floor' | 'ceil' | 'half_even' | 'half_away';

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
  // A tie: the exact value is floor + ½, which is negative exactly when floor is.
  if (mode === 'half_away') return floor < 0n ? floor : floor + 1n;
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

// ---------------------------------------------------------------------------------------------
// Decimal text: exact arithmetic on decimal strings at whatever scale they are written in
// (alert values, candle volumes, tickers). Results are canonical `DecimalText`.

/**
 * A canonical decimal string: no exponent, no `+`, no leading zeros, no trailing fractional
 * zeros (and no bare `.`), no `-0`. Any number of decimals, unlike money at an asset's scale.
 */
export type DecimalText = string;

/** The largest exponent `readDecimalText` expands (`1e40`): beyond is refused, not computed. */
export const MAX_EXPONENT = 40;

const EXPONENT_RE = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/;

function canonical(sign: string, whole: string, frac: string): DecimalText {
  const w = whole.replace(/^0+(?=\d)/, '') || '0';
  const f = frac.replace(/0+$/, '');
  const text = f ? `${w}.${f}` : w;
  return sign === '-' && /[1-9]/.test(text) ? `-${text}` : text;
}

export interface DecimalTextOptions {
  /**
   * Also accept scientific notation (`1e-5`, `2.5E+3`) with |exponent| ≤ MAX_EXPONENT,
   * expanded exactly. Off for money (parseDecimal never takes it); alert senders write so.
   */
  exponent?: boolean;
}

/**
 * Reads a plain decimal (`^-?\d+(\.\d+)?$`, or with `exponent` scientific notation too) as
 * canonical text, keeping every digit: `invalid_decimal`, or `exponent_too_large`.
 */
export function readDecimalText(
  text: string,
  options: DecimalTextOptions = {},
): DecimalResult<DecimalText> {
  const plain = DECIMAL_RE.exec(text);
  if (plain) return { ok: true, value: canonical(plain[1]!, plain[2]!, plain[3] ?? '') };
  const exp = options.exponent ? EXPONENT_RE.exec(text) : null;
  if (exp) {
    const [, sign = '', whole = '0', frac = '', e = '0'] = exp;
    const digits = whole + frac;
    const point = whole.length + Number(e);
    if (Math.abs(Number(e)) > MAX_EXPONENT) {
      return refuse({ code: 'exponent_too_large', message: `exponent ${e} is too large` });
    }
    const padded = point <= 0 ? '0'.repeat(1 - point) + digits : digits.padEnd(point, '0');
    const at = point <= 0 ? 1 : point;
    return { ok: true, value: canonical(sign, padded.slice(0, at), padded.slice(at)) };
  }
  return refuse({ code: 'invalid_decimal', message: `not a number: ${JSON.stringify(text)}` });
}

/**
 * Minor units of a plain decimal string at `scale`. Throws (a programming error, not bad
 * input: read input with parseDecimal or readDecimalText first) when `text` is not a plain
 * decimal or has more than `scale` decimals: nothing is rounded here.
 */
export function unitsAt(text: string, scale: number): bigint {
  const m = DECIMAL_RE.exec(text);
  if (!m || (m[3] ?? '').length > scale)
    throw new RangeError(`not a decimal at scale ${scale}: ${text}`);
  const units = BigInt(m[2]! + (m[3] ?? '').padEnd(scale, '0'));
  return m[1] === '-' ? -units : units;
}

/** `units / 10^scale` as canonical text; any non-negative integer scale. */
export function formatDecimalText(units: bigint, scale: number): DecimalText {
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`invalid scale ${scale}`);
  const text = fixedDigits(units, scale);
  return scale === 0 ? text : text.replace(/\.?0+$/, '');
}

/** The scale both decimals fit at exactly. */
const commonScale = (...values: string[]) => Math.max(0, ...values.map(decimalsOf));

/** -1, 0 or 1: exact comparison of two decimal strings. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const s = commonScale(a, b);
  const x = unitsAt(a, s);
  const y = unitsAt(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Exact sum of decimal strings. */
export function addDecimal(...values: string[]): DecimalText {
  const s = commonScale(...values);
  return formatDecimalText(
    values.reduce((sum, v) => sum + unitsAt(v, s), 0n),
    s,
  );
}

/** Exact a − b. */
export function subDecimal(a: string, b: string): DecimalText {
  const s = commonScale(a, b);
  return formatDecimalText(unitsAt(a, s) - unitsAt(b, s), s);
}

/** Exact a × b (the product has the decimals of both). */
export function mulDecimal(a: string, b: string): DecimalText {
  const sa = decimalsOf(a);
  const sb = decimalsOf(b);
  return formatDecimalText(unitsAt(a, sa) * unitsAt(b, sb), sa + sb);
}

/** Exact −a. */
export function negateDecimal(a: string): DecimalText {
  const s = commonScale(a);
  return formatDecimalText(-unitsAt(a, s), s);
}

/** a ÷ b to `scale` decimals, rounded by `mode`; undefined when b is zero. */
export function divDecimal(
  a: string,
  b: string,
  scale: number,
  mode: RoundingMode,
): DecimalText | undefined {
  const s = commonScale(a, b);
  const den = unitsAt(b, s);
  if (den === 0n) return undefined;
  return formatDecimalText(divRound(unitsAt(a, s) * pow10(scale), den, mode), scale);
}

/** Shows a decimal with at least `minDecimals` fractional digits (`"512.4"` → `"512.40"`). */
export function showDecimal(a: string, minDecimals = 2): string {
  const s = Math.max(minDecimals, decimalsOf(a));
  return fixedDigits(unitsAt(a, s), s);
}
