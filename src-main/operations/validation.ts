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
  // still rejected because every object schema says additionalProperties:false.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
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

export function compileValidator(schema: TSchema, mode: 'body' | 'query' = 'body'): Validator {
  const fn: ValidateFunction = (mode === 'query' ? queryAjv : bodyAjv).compile(schema);
  return (value: unknown) => {
    if (fn(value)) return;
    const fields = dedupe((fn.errors ?? []).map(toFieldError));
    const summary = fields.map((f) => `${f.field} ${f.message}`).join('; ');
    throw new AppError('validation_failed', `Invalid input: ${summary}`, { fields });
  };
}

/** `compileValidator`, compiled on the first call. */
export function lazyValidator(schema: TSchema, mode: 'body' | 'query' = 'body'): Validator {
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
