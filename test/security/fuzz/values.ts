/**
 * JSON values the fuzzer builds and sends. Objects have no prototype, so `__proto__`,
 * `constructor` and `prototype` are ordinary own keys; `Raw` holds JSON text that
 * `JSON.stringify` cannot produce (`1e309`, `-0`, unpaired surrogate escapes, deep nesting).
 */
export class Raw {
  constructor(readonly text: string) {}
}

export type Json = null | boolean | number | string | Raw | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** A prototype-less object whose keys are all own, enumerable data properties. */
export function obj(entries: Array<[string, Json]> = []): JsonObject {
  const o = Object.create(null) as JsonObject;
  for (const [k, v] of entries) setKey(o, k, v);
  return o;
}

export function setKey(o: JsonObject, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Raw);
}

/** JSON text of a value, `Raw` pieces copied verbatim. */
export function encode(v: Json): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(encode).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .map((k) => `${JSON.stringify(k)}:${encode(v[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Text for a query string or path segment: what a client would naturally put there. */
export function asText(v: Json): string {
  if (v instanceof Raw) return v.text.replace(/^"|"$/g, '');
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) return encode(v);
  return String(v);
}

/** Deterministic PRNG (mulberry32): the same seed gives the same run. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  alnum(n: number): string {
    const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += chars[Math.floor(this.next() * chars.length)];
    return s;
  }
}

/** Why a value is absurd for a number, quantity, price or amount (`undefined`: it is not). */
export type Absurdity = string | undefined;

export interface Nasty {
  value: Json;
  label: string;
  /** Set when accepting this value in a numeric field (number, amount string) is absurd. */
  numericAbsurd?: string;
}

const deep = (n: number, open: string, close: string, leaf: string) =>
  new Raw(open.repeat(n) + leaf + close.repeat(n));

/** The hostile values every leaf is tried with. */
export const NASTY: readonly Nasty[] = [
  { value: 'NaN', label: '"NaN"', numericAbsurd: 'NaN' },
  { value: 'Infinity', label: '"Infinity"', numericAbsurd: 'Infinity' },
  { value: '-Infinity', label: '"-Infinity"', numericAbsurd: '-Infinity' },
  { value: '1e309', label: '"1e309"', numericAbsurd: 'overflows to Infinity' },
  { value: '-1', label: '"-1"', numericAbsurd: 'negative' },
  { value: '-0.00000001', label: '"-0.00000001"', numericAbsurd: 'negative' },
  { value: '-0', label: '"-0"' },
  { value: '1e5', label: '"1e5"', numericAbsurd: 'exponent notation' },
  { value: '0x10', label: '"0x10"', numericAbsurd: 'hex' },
  { value: ' 1', label: '" 1"', numericAbsurd: 'padded' },
  { value: '1,5', label: '"1,5"', numericAbsurd: 'comma' },
  { value: '\uff11', label: 'fullwidth 1', numericAbsurd: 'fullwidth digit' },
  { value: '9007199254740993', label: '"2^53+1"' },
  { value: '9'.repeat(400), label: '400 nines' },
  { value: '0.' + '0'.repeat(60) + '1', label: 'tiny decimal' },
  { value: '', label: 'empty string' },
  { value: new Raw('NaN'), label: 'bare NaN (invalid JSON)' },
  { value: new Raw('1e309'), label: '1e309', numericAbsurd: 'overflows to Infinity' },
  { value: new Raw('-1e309'), label: '-1e309', numericAbsurd: 'overflows to -Infinity' },
  { value: new Raw('-0'), label: '-0' },
  { value: -1, label: '-1', numericAbsurd: 'negative' },
  { value: -1e15, label: '-1e15', numericAbsurd: 'negative' },
  { value: 0, label: '0' },
  { value: 0.1, label: '0.1' },
  { value: 1.5, label: '1.5' },
  { value: 1e21, label: '1e21' },
  { value: new Raw('9007199254740993'), label: '2^53+1', numericAbsurd: 'beyond safe integer' },
  { value: -(2 ** 63), label: '-2^63', numericAbsurd: 'negative' },
  { value: 2 ** 31, label: '2^31' },
  { value: true, label: 'true' },
  { value: null, label: 'null' },
  { value: [], label: '[]' },
  { value: [1, 'a', null], label: 'mixed array' },
  { value: obj(), label: '{}' },
  { value: 'x'.repeat(100_000), label: '100k string' },
  { value: '\u202eevil\u202c', label: 'RTL override' },
  { value: 'a\u200bb\u200d\ufeff', label: 'zero-width' },
  { value: 'nul\u0000byte', label: 'NUL' },
  { value: new Raw('"\\ud800"'), label: 'lone high surrogate' },
  { value: new Raw('"x\\udfffy"'), label: 'lone low surrogate' },
  { value: '\ud83d\ude00\u0301\u0645\u0631\u062d\u0628\u0627', label: 'emoji+arabic' },
  { value: '../../../../etc/passwd', label: 'path traversal' },
  { value: "' OR 1=1 --", label: 'sql' },
  { value: '<script>alert(1)</script>', label: 'html' },
  { value: '%00%2e%2e', label: 'percent' },
  { value: '__proto__', label: '"__proto__"' },
  { value: 'constructor', label: '"constructor"' },
  { value: deep(3000, '[', ']', '1'), label: 'arrays 3000 deep' },
  { value: deep(3000, '{"a":', '}', '1'), label: 'objects 3000 deep' },
];
