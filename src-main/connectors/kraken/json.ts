import { readDecimalText } from '../../../src-shared/decimal';

/**
 * JSON.parse that keeps each number's source text where the runtime offers it (the reviver's
 * `context.source`, Node ≥ 21 and so Electron's main process): Kraken's REST amounts are
 * strings already, but WebSocket v2 sends quantities and prices as JSON numbers, and a float
 * may not hold them exactly. Under an older Node the number itself is kept.
 */
export function parseKrakenJson(text: string): unknown {
  return JSON.parse(text, function (_key: string, value: unknown, context?: { source?: string }) {
    return typeof value === 'number' && context?.source !== undefined
      ? new RawNumber(context.source, value)
      : value;
  } as (this: unknown, key: string, value: unknown) => unknown);
}

/** A JSON number with its exact source text. */
export class RawNumber {
  constructor(
    readonly source: string,
    readonly value: number,
  ) {}
}

/**
 * A decimal string from a Kraken field: a string as sent, a number by its source text, or
 * (older runtimes) `String(n)`, which is the shortest text that reads back as the same double
 * and so equals the sent text for any value of up to 15 significant digits, far more than
 * Kraken's 8-decimal amounts need. Exponent forms (`1e-8`) are expanded exactly.
 */
export function decimalOf(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  const text = v instanceof RawNumber ? v.source : typeof v === 'number' ? String(v) : String(v);
  const r = readDecimalText(text, { exponent: true });
  return r.ok ? r.value : null;
}

/** A plain number from a field that may be a RawNumber (timestamps, counts). */
export function numberOf(v: unknown): number {
  return v instanceof RawNumber ? v.value : Number(v);
}
