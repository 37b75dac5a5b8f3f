import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AppError } from '../../src-shared/contract';

/** One field-level problem, in the `details` of a `validation_failed` error. */
export interface FieldError {
  field: string;
  message: string;
}

function makeAjv(coerce: boolean): Ajv {
  // strict:false lets TypeBox annotations (examples, description) through; unknown fields are
  // still rejected because every object schema says additionalProperties:false. It would also
  // turn strictNumbers off, letting a JSON `1e309` (Infinity) pass as an integer.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    strictNumbers: true,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
  });
  addFormats.default(ajv);
  return ajv;
}

const bodyAjv = makeAjv(false);
// Query strings carry only text: "limit=5" must become 5 before validation.
const queryAjv = makeAjv(true);

function toFieldError(e: ErrorObject): FieldError {
  const base = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : '';
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    return { field: base ? `${base}.${extra}` : extra, message: 'unknown field' };
  }
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    return { field: base ? `${base}.${missing}` : missing, message: 'is required' };
  }
  return { field: base || '(input)', message: e.message ?? 'is invalid' };
}

/** A compiled validator that mutates (defaults, coercion) and throws `validation_failed`. */
export interface Validator {
  (value: unknown): void;
}

/** How a number is written in a query string: Ajv's coercion (`+text`) takes far more. */
const DECIMAL_TEXT = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * Numbers Ajv's query coercion made from text no client means as a number ("Infinity",
 * "1e309", "0x10", " 1"), and integers beyond 2^53 that already lost their digits.
 */
function numberProblems(before: unknown, after: unknown): FieldError[] {
  if (typeof after !== 'object' || after === null) return [];
  const original = (before ?? {}) as Record<string, unknown>;
  const out: FieldError[] = [];
  for (const [field, value] of Object.entries(after)) {
    const texts = ([] as unknown[]).concat(original[field]);
    const numbers = ([] as unknown[]).concat(value);
    numbers.forEach((n, i) => {
      if (typeof n !== 'number') return;
      const text = texts[i];
      if (typeof text === 'string' && !DECIMAL_TEXT.test(text)) {
        out.push({ field, message: 'must be a plain decimal number' });
      }
    });
  }
  return out;
}

const unsafe = (n: number) =>
  !Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n));

/**
 * The first number JSON cannot carry exactly: ±Infinity (`1e309`) in a field typed as
 * anything, or an integer beyond 2^53 whose digits JSON.parse already dropped.
 */
function unsafeNumber(value: unknown, path = '', depth = 0): FieldError | undefined {
  if (typeof value === 'number') {
    return unsafe(value)
      ? { field: path || '(input)', message: 'must be within ±9007199254740991' }
      : undefined;
  }
  if (typeof value !== 'object' || value === null || depth > 64) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const found = unsafeNumber(v, path ? `${path}.${k}` : k, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function fail(fields: FieldError[]): never {
  const summary = fields.map((f) => `${f.field} ${f.message}`).join('; ');
  throw new AppError('validation_failed', `Invalid input: ${summary}`, { fields });
}

/**
 * `body` and `query` check what callers send; `output` checks what handlers return (tests), where
 * a large float such as a backtest's CAGR is a legitimate value.
 */
export type ValidationMode = 'body' | 'query' | 'output';

export function compileValidator(schema: TSchema, mode: ValidationMode = 'body'): Validator {
  const fn: ValidateFunction = (mode === 'query' ? queryAjv : bodyAjv).compile(schema);
  return (value: unknown) => {
    // Query inputs are flat text; keep it to check what coercion turned into numbers.
    const text = mode === 'query' && typeof value === 'object' ? { ...value } : undefined;
    if (fn(value)) {
      const bad = mode === 'query' ? numberProblems(text, value) : [];
      const big = bad.length || mode === 'output' ? undefined : unsafeNumber(value);
      if (big) bad.push(big);
      if (bad.length) fail(bad);
      return;
    }
    fail(dedupe((fn.errors ?? []).map(toFieldError)));
  };
}

/** `compileValidator`, compiled on the first call. */
export function lazyValidator(schema: TSchema, mode: ValidationMode = 'body'): Validator {
  let compiled: Validator | undefined;
  return (value: unknown) => {
    compiled ??= compileValidator(schema, mode);
    compiled(value);
  };
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
