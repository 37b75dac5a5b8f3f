import { compareDecimal, err, ok, readDecimalText, type DecimalText, type Result } from '../money';

/**
 * Numbers in alerts. Alerts carry them as JSON numbers or text (`"quantity": 0.5`, `risk=1`,
 * `1e-5`); each is read once into canonical decimal text from its shortest written form (the
 * one decimal module does the exact work), so nothing downstream sees a float.
 */

/**
 * Reads a number written in an alert (JSON number or string, optional `+`, thousands commas,
 * exponent allowed) into a canonical decimal string. `field` names the value in the error.
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
  const read = readDecimalText(text, { exponent: true });
  if (read.ok) return ok(read.value);
  if (read.error.code === 'exponent_too_large') {
    return err('invalid_number', `${field} exponent is too large`);
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

/** A short description of an unexpected value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return String(value);
}
