import type { FuzzOperation, Param } from './openapi';
import { MUTATORS, absurdity } from './mutators';
import { sample } from './sample';
import { NASTY, Raw, asText, encode, obj, type Json, type Rng } from './values';

/** Who sends a case: the fuzz owner (2FA on), nobody, or a made-up bearer token. */
export type Caller = 'owner' | 'anonymous' | 'forged';

/** One generated request, with what the oracle needs to judge its answer. */
export interface FuzzCase {
  n: number;
  op: FuzzOperation;
  caller: Caller;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  mutation: string;
  /** Nothing was mutated: the input follows the published schema as far as the sampler knows. */
  pristine: boolean;
  /** Set when a 2xx answer would accept an absurd value; says which and where. */
  absurd?: string;
  /** The input as the route would read it, when the case sends JSON (for the schema oracle). */
  input?: {
    body?: Json;
    query?: Record<string, string | string[]>;
    params: Record<string, string>;
  };
}

/**
 * Values for path parameters that name real things (the victim user, job names), so the
 * handlers behind them run. Filled by the harness after setup.
 */
export type ParamPool = Record<string, string[]>;

function weighted<T extends readonly [number, ...unknown[]]>(rng: Rng, items: readonly T[]): T {
  const total = items.reduce((a, [w]) => a + w, 0);
  let r = rng.next() * total;
  for (const item of items) {
    r -= item[0];
    if (r < 0) return item;
  }
  return items[items.length - 1]!;
}

function paramValue(
  p: Param,
  pool: ParamPool,
  rng: Rng,
): { text: string; note?: string; absurd?: string } {
  if (rng.chance(0.75)) {
    const known = pool[p.name];
    return {
      text: known?.length && rng.chance(0.7) ? rng.pick(known) : asText(sample(p.schema, rng)),
    };
  }
  const nasty = rng.pick(
    NASTY.filter((n) => !(n.value instanceof Raw) || /surrogate/.test(n.label)),
  );
  return {
    text: asText(nasty.value).slice(0, 4000),
    note: `${p.in} ${p.name} = ${nasty.label}`,
    absurd: absurdity(nasty, p.schema, p.name),
  };
}

/** Appends a hostile query parameter (pollution keys, repeats, unknown names). */
function hostileQuery(q: URLSearchParams, rng: Rng): string {
  const choice = rng.int(0, 3);
  if (choice === 0) q.append('__proto__[polluted]', 'fuzz');
  else if (choice === 1) q.append('constructor[prototype][polluted]', 'fuzz');
  else if (choice === 2) q.append(rng.alnum(6), asText(rng.pick(NASTY).value).slice(0, 2000));
  else {
    const first = [...q.keys()][0] ?? 'limit';
    q.append(first, '1');
    q.append(first, '2');
    return `repeated ${first}`;
  }
  return 'hostile query key';
}

const CONTENT_TYPES: Array<[string | undefined, (json: string) => string]> = [
  ['text/plain', (j) => j],
  ['application/x-www-form-urlencoded', () => 'a=1&__proto__[polluted]=fuzz'],
  [
    'multipart/form-data; boundary=x',
    () => '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  ],
  [undefined, (j) => j],
  ['application/json', (j) => j.slice(0, Math.max(1, j.length >> 1))],
  ['application/json', (j) => `\ufeff${j}`],
  ['application/json; charset=utf-16', (j) => j],
  ['application/json', () => '{"a":1,"a":2,"__proto__":{"polluted":"fuzz"}}'],
  ['application/json', () => 'null'],
  ['application/xml', () => '<a>1</a>'],
  ['application/json', () => 'x'.repeat(1024 * 1024 + 10)],
];

function bodyOf(op: FuzzOperation, rng: Rng): Json {
  return op.body ? sample(op.body, rng) : obj();
}

/** The `n`th case of a run: deterministic for a given seed and operation list. */
export function generateCase(
  n: number,
  ops: readonly FuzzOperation[],
  pool: ParamPool,
  rng: Rng,
): FuzzCase {
  const op = rng.pick(ops);
  const caller: Caller = rng.chance(0.75) ? 'owner' : rng.chance(0.7) ? 'anonymous' : 'forged';
  const notes: string[] = [];
  let absurd: string | undefined;

  const params: Record<string, string> = {};
  let path = op.path;
  for (const p of op.pathParams) {
    const v = paramValue(p, pool, rng);
    if (v.note) notes.push(v.note);
    absurd ??= v.absurd;
    params[p.name] = v.text;
    path = path.replace(`{${p.name}}`, encodeURIComponent(v.text));
  }

  const query = new URLSearchParams();
  for (const p of op.queryParams) {
    if (!p.required && rng.chance(0.5)) continue;
    const v = paramValue(p, pool, rng);
    if (v.note) notes.push(v.note);
    absurd ??= v.absurd;
    query.append(p.name, v.text);
  }
  if (rng.chance(0.1)) notes.push(hostileQuery(query, rng));

  const headers: Record<string, string> = {};
  let payload: string | undefined;
  let body: Json | undefined;
  const sendsBody = op.method !== 'GET' && op.method !== 'DELETE';
  if (sendsBody || (op.method === 'DELETE' && rng.chance(0.3))) {
    let sent = bodyOf(op, rng);
    const [, kind, mutate] = weighted(rng, MUTATORS);
    if (mutate) {
      const m = mutate(sent, op.body, rng);
      sent = m.body;
      notes.push(m.note);
      absurd ??= m.absurd;
    } else notes.push(kind);
    body = sent;
    payload = encode(sent);
    headers['content-type'] = 'application/json';
    if (rng.chance(0.06)) {
      const [type, shape] = rng.pick(CONTENT_TYPES);
      payload = shape(payload);
      if (type) headers['content-type'] = type;
      else delete headers['content-type'];
      notes.push(`content-type ${type ?? '(none)'}`);
      body = undefined;
      absurd = undefined;
    }
  } else if (notes.length === 0) notes.push('valid');

  const qs = query.toString();
  const url = qs ? `${path}?${qs}` : path;
  return {
    n,
    op,
    caller,
    method: op.method,
    url,
    headers,
    payload,
    mutation: notes.join('; '),
    pristine: notes.every((note) => note === 'valid'),
    absurd,
    input: {
      ...(body === undefined ? {} : { body }),
      ...(qs ? { query: queryObject(query) } : {}),
      params,
    },
  };
}

function queryObject(q: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<
    string,
    string | string[]
  >;
  for (const [k, v] of q) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
