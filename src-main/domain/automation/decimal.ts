import { err, ok, type Result } from '../money';

/**
 * Exact decimal helpers for alert values. Alerts carry numbers as JSON numbers or text
 * (`"quantity": 0.5`, `risk=1`); they are turned into canonical decimal strings once, from
 * their shortest written form, and compared as bigints at a common scale — never as floats.
 */

const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;
const EXP = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/;

/** A canonical decimal string: no exponent, no `+`, no trailing fractional zeros. */
export type DecimalText = string;

function trim(sign: string, whole: string, frac: string): DecimalText {
  const w = whole.replace(/^0+(?=\d)/, '') || '0';
  const f = frac.replace(/0+$/, '');
  const text = f ? `${w}.${f}` : w;
  return sign === '-' && /[1-9]/.test(text) ? `-${text}` : text;
}

/**
 * Reads a number written in an alert (JSON number or string, optional `+`, exponent allowed)
 * into a canonical decimal string. `field` names the value in the error.
 */
export function readDecimal(value: unknown, field: string): Result<DecimalText> {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return err('invalid_number', `${field} is not a finite number`);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim().replace(/^\+/, '').replace(/,/g, '');
  } else {
    return err('invalid_number', `${field} must be a number, got ${describe(value)}`, { field });
  }
  if (/\{\{.*\}\}/.test(text)) {
    return err(
      'unreplaced_placeholder',
      `${field} is "${text}": a TradingView placeholder that was not replaced (is the alert on a strategy?)`,
      { field },
    );
  }
  const plain = PLAIN.exec(text);
  if (plain) return ok(trim(plain[1]!, plain[2]!, plain[3] ?? ''));
  const exp = EXP.exec(text);
  if (exp) {
    const [, sign, whole, frac = '', e] = exp;
    const digits = whole! + frac;
    const point = whole!.length + Number(e);
    if (Math.abs(Number(e)) > 40) return err('invalid_number', `${field} exponent is too large`);
    const padded = point <= 0 ? '0'.repeat(1 - point) + digits : digits.padEnd(point, '0');
    const at = point <= 0 ? 1 : point;
    return ok(trim(sign!, padded.slice(0, at), padded.slice(at)));
  }
  return err('invalid_number', `${field} is not a number: ${JSON.stringify(text)}`, { field });
}

/** Like `readDecimal` but the value must be greater than zero. */
export function readPositive(value: unknown, field: string): Result<DecimalText> {
  const r = readDecimal(value, field);
  if (!r.ok) return r;
  if (compareDecimal(r.value, '0') <= 0) {
    return err('invalid_number', `${field} must be greater than 0, got ${r.value}`, { field });
  }
  return r;
}

function scaleOf(text: string): number {
  const i = text.indexOf('.');
  return i < 0 ? 0 : text.length - i - 1;
}

/** Minor units of a canonical decimal at `scale` (scale ≥ its decimals). */
export function unitsAt(text: DecimalText, scale: number): bigint {
  const m = PLAIN.exec(text);
  if (!m) throw new RangeError(`not a decimal: ${text}`);
  const frac = (m[3] ?? '').padEnd(scale, '0');
  const units = BigInt(m[2]! + frac);
  return m[1] === '-' ? -units : units;
}

/** -1, 0 or 1: exact comparison of two decimal strings. */
export function compareDecimal(a: DecimalText, b: DecimalText): -1 | 0 | 1 {
  const s = Math.max(scaleOf(a), scaleOf(b));
  const x = unitsAt(a, s);
  const y = unitsAt(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Exact sum of decimal strings. */
export function addDecimal(...values: DecimalText[]): DecimalText {
  const s = Math.max(0, ...values.map(scaleOf));
  const total = values.reduce((sum, v) => sum + unitsAt(v, s), 0n);
  return formatUnits(total, s);
}

/** Negation of a decimal string. */
export function negateDecimal(a: DecimalText): DecimalText {
  return addDecimal('0', formatUnits(-unitsAt(a, scaleOf(a)), scaleOf(a)));
}

/** Canonical text of `units` at `scale`. */
export function formatUnits(units: bigint, scale: number): DecimalText {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  return trim(neg ? '-' : '', whole, digits.slice(digits.length - scale));
}

/** Shows a decimal with at least `minDecimals` fractional digits ("512.4" → "512.40"). */
export function showDecimal(a: DecimalText, minDecimals = 2): string {
  const s = Math.max(minDecimals, scaleOf(a));
  const units = unitsAt(a, s);
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(s + 1, '0');
  const text = `${digits.slice(0, digits.length - s)}${s > 0 ? '.' + digits.slice(digits.length - s) : ''}`;
  return neg ? `-${text}` : text;
}

/** A short description of an unexpected value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return String(value);
}
