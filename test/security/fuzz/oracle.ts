import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FuzzCase } from './generator';
import type { FuzzOperation, Schema } from './openapi';

/** What the server answered. */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Internals that must never reach a client (a user strategy's own `ReferenceError: x is not
 * defined` is its author's to read, so `strategy_invalid` may name the error class): stack frames, source paths, dependency paths,
 * error class prefixes of unexpected errors. The generator never sends these strings, so an
 * echo of the request cannot trip them.
 */
const LEAKS: Array<[RegExp, string]> = [
  [/\n\s+at [^\n]+:\d+/, 'stack frame'],
  [/\bat [A-Za-z0-9_.<>]+ \(/, 'stack frame'],
  [/\.(ts|js|mjs|cjs):\d+/, 'source location'],
  [/node_modules/, 'node_modules path'],
  [/\/(src-main|src-shared|work|tmp|home|Users)\//, 'internal path'],
  [
    /\b(TypeError|ReferenceError|RangeError|SqliteError|SyntaxError|AssertionError): /,
    'error internals',
  ],
  [/SQLITE_[A-Z]+/, 'sqlite error'],
];

const CODE = /^[a-z][a-z0-9_]{1,63}$/;

/** A strict validator: unlike `strict:false` it refuses NaN and ±Infinity as numbers. */
const strictAjv = (coerce: boolean) => {
  const ajv = new Ajv({
    allErrors: false,
    strict: false,
    strictNumbers: true,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
  });
  addFormats.default(ajv);
  return ajv;
};
const bodyAjv = strictAjv(false);
const textAjv = strictAjv(true);
const compiled = new Map<
  FuzzOperation,
  { body?: ValidateFunction; query: ValidateFunction; params: ValidateFunction }
>();

function validatorsOf(op: FuzzOperation) {
  let v = compiled.get(op);
  if (!v) {
    const objectOf = (ps: FuzzOperation['queryParams']): Schema => ({
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(ps.map((p) => [p.name, p.schema])),
      required: ps.filter((p) => p.required).map((p) => p.name),
    });
    v = {
      body: op.body ? bodyAjv.compile(op.body) : undefined,
      query: textAjv.compile(objectOf(op.queryParams)),
      params: textAjv.compile(objectOf(op.pathParams)),
    };
    compiled.set(op, v);
  }
  return v;
}

/**
 * Whether the operation's own published schema accepts the request (`undefined`: cannot tell,
 * e.g. a route outside the catalogue or a non-JSON body).
 */
export function schemaAccepts(c: FuzzCase): boolean | undefined {
  if (!c.input || !c.op.id.includes('.') || c.op.id.includes(' ')) return undefined;
  const v = validatorsOf(c.op);
  if (!v.params({ ...c.input.params })) return false;
  if (c.method === 'GET' || (c.method === 'DELETE' && c.payload === undefined)) {
    return v.query({ ...(c.input.query ?? {}) });
  }
  if (c.input.query) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(c.payload || '{}');
  } catch {
    return false;
  }
  // Documented leniency of routes.ts: an empty or `null` JSON body means "no input".
  parsed ??= {};
  return v.body
    ? v.body(parsed)
    : typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length === 0;
}

/** Every rule the answer to `c` breaks (empty: it passed). */
export function judge(c: FuzzCase, a: Answer): string[] {
  const failures: string[] = [];
  if (a.status >= 500) failures.push(`answered ${a.status}`);
  for (const [re, what] of LEAKS) {
    if (what === 'error internals' && /"code":"strategy_invalid"/.test(a.body)) continue;
    if (re.test(a.body)) failures.push(`leaks ${what}: ${re.exec(a.body)![0]}`);
  }
  if (a.status >= 400 && a.status < 500) {
    failures.push(...problemShape(a));
    // The registry's own schema check (its messages start "Invalid input:"); handlers may refuse
    // more (a cursor of another listing, an expiry in the past), which the schema cannot say.
    if (c.pristine && /"detail":"Invalid input: /.test(a.body) && schemaAccepts(c) === true) {
      failures.push('refused input its own OpenAPI schema accepts');
    }
  }
  if (a.status >= 200 && a.status < 300) {
    if (c.absurd) failures.push(`accepted an absurd value: ${c.absurd}`);
    if (schemaAccepts(c) === false) failures.push('accepted input its own OpenAPI schema refuses');
  }
  return failures;
}

function problemShape(a: Answer): string[] {
  if (!a.contentType.startsWith('application/problem+json')) {
    return [`4xx with content-type ${a.contentType || '(none)'}, not problem+json`];
  }
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(a.body) as Record<string, unknown>;
  } catch {
    return ['problem+json body is not JSON'];
  }
  const out: string[] = [];
  for (const k of ['type', 'title', 'code', 'detail']) {
    if (typeof p[k] !== 'string') out.push(`problem lacks string ${k}`);
  }
  if (p.status !== a.status)
    out.push(`problem status ${String(p.status)} differs from ${a.status}`);
  if (typeof p.code === 'string' && !CODE.test(p.code)) out.push(`unstable problem code ${p.code}`);
  return out;
}

/** The keys a prototype gained during the run (prototype pollution). */
export function prototypeSnapshot(): string {
  const keys = (o: object) => Reflect.ownKeys(o).map(String).sort().join(',');
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map(keys)
    .join('|');
}
