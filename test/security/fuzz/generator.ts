import type { FuzzOperation, Param, Schema } from './openapi';
import { isNumeric, sample } from './sample';
import {
  NASTY,
  Raw,
  asText,
  encode,
  isObject,
  obj,
  setKey,
  type Json,
  type JsonObject,
  type Nasty,
  type Rng,
} from './values';

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

type Mutator = (
  body: Json,
  schema: Schema | undefined,
  rng: Rng,
) => { body: Json; note: string; absurd?: string };

interface Slot {
  parent: JsonObject | Json[] | undefined;
  key: string | number | undefined;
  schema: Schema | undefined;
  value: Json;
}

function propSchema(s: Schema | undefined, key: string): Schema | undefined {
  if (!s) return undefined;
  const branch = s.anyOf?.find((b) => b.properties?.[key]) ?? s;
  return (
    branch.properties?.[key] ??
    (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined)
  );
}

/** Every node of a body with the schema it should follow (the root included). */
function slots(root: Json, schema: Schema | undefined): Slot[] {
  const out: Slot[] = [{ parent: undefined, key: undefined, schema, value: root }];
  const walk = (v: Json, s: Schema | undefined, depth: number) => {
    if (depth > 8) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        out.push({ parent: v, key: i, schema: s?.items, value: item });
        walk(item, s?.items, depth + 1);
      });
    } else if (isObject(v)) {
      for (const key of Object.keys(v)) {
        const ps = propSchema(s, key);
        out.push({ parent: v, key, schema: ps, value: v[key]! });
        walk(v[key]!, ps, depth + 1);
      }
    }
  };
  walk(root, schema, 0);
  return out;
}

function replace(root: Json, slot: Slot, value: Json): Json {
  if (slot.parent === undefined) return value;
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else setKey(slot.parent, slot.key as string, value);
  return root;
}

const MONEY_KEY = /qty|quantity|price|amount|size|notional|volume|balance|fee|funds|cash/i;

/** Why accepting `nasty` at a field with schema `s` (named `key`) would be absurd. */
export function absurdity(
  nasty: Nasty,
  s: Schema | undefined,
  key: string | number | undefined,
): string | undefined {
  if (!nasty.numericAbsurd) return undefined;
  const moneyKey = typeof key === 'string' && MONEY_KEY.test(key);
  if (!isNumeric(s) && !moneyKey) return undefined;
  if (nasty.numericAbsurd === 'negative' && !moneyKey && allowsNegative(s)) return undefined;
  return `${nasty.numericAbsurd} (${nasty.label}) at ${String(key ?? '(body)')}`;
}

function allowsNegative(s: Schema | undefined): boolean {
  if (!s) return true;
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return branches.some(allowsNegative);
  if (s.type === 'string') return (s.pattern ?? '').startsWith('^-?');
  return s.minimum === undefined || s.minimum < 0;
}

const leafNasty: Mutator = (body, schema, rng) => {
  const slot = rng.pick(slots(body, schema));
  const nasty = rng.pick(NASTY);
  const where = String(slot.key ?? '(body)');
  return {
    body: replace(body, slot, nasty.value),
    note: `${where} = ${nasty.label}`,
    absurd: absurdity(nasty, slot.schema, slot.key),
  };
};

/** Every numeric field at once gets the same absurd value. */
const allNumericAbsurd: Mutator = (body, schema, rng) => {
  const nasty = rng.pick(NASTY.filter((n) => n.numericAbsurd));
  const hits = slots(body, schema).filter((s) => s.parent !== undefined && isNumeric(s.schema));
  if (hits.length === 0) return leafNasty(body, schema, rng);
  for (const slot of hits) replace(body, slot, nasty.value);
  return {
    body,
    note: `every numeric field = ${nasty.label}`,
    absurd: absurdity(nasty, hits[0]!.schema, hits[0]!.key),
  };
};

const objectsOf = (body: Json): JsonObject[] =>
  slots(body, undefined)
    .map((s) => s.value)
    .filter(isObject);

const extraField: Mutator = (body, _schema, rng) => {
  const targets = objectsOf(body);
  const key = rng.pick(['extra', 'isAdmin', 'role', 'userId', 'ownerId', rng.alnum(8)]);
  if (targets.length === 0) return { body: obj([[key, 1]]), note: `body replaced by {${key}}` };
  setKey(rng.pick(targets), key, rng.pick(NASTY).value);
  return { body, note: `extra field ${key}` };
};

const POLLUTERS: Array<[string, () => Json]> = [
  ['__proto__', () => obj([['polluted', 'fuzz']])],
  ['constructor', () => obj([['prototype', obj([['polluted', 'fuzz']])]])],
  ['prototype', () => obj([['polluted', 'fuzz']])],
];

/** `__proto__` / `constructor` / `prototype` keys at every object level of the body. */
const protoKeys: Mutator = (body, _schema, rng) => {
  const [key, make] = rng.pick(POLLUTERS);
  const targets = objectsOf(body);
  if (targets.length === 0) return { body: obj([[key, make()]]), note: `body {${key}}` };
  for (const t of targets) setKey(t, key, make());
  return { body, note: `${key} at every level` };
};

const missingRequired: Mutator = (body, schema, rng) => {
  const holders = slots(body, schema).filter(
    (s) => isObject(s.value) && s.schema?.required?.length,
  );
  if (holders.length === 0) return extraField(body, schema, rng);
  const slot = rng.pick(holders);
  const key = rng.pick(slot.schema!.required!);
  delete (slot.value as JsonObject)[key];
  return { body, note: `missing required ${key}` };
};

const wrongShape: Mutator = (body, schema, rng) => {
  const choice = rng.int(0, 4);
  if (choice === 0) return { body: [body], note: 'body wrapped in an array' };
  if (choice === 1) return { body: 'just a string', note: 'string body' };
  if (choice === 2) return { body: 42, note: 'number body' };
  if (choice === 3) return { body: null, note: 'null body' };
  const objectsWithin = slots(body, schema).filter(
    (s) => s.parent !== undefined && isObject(s.value),
  );
  if (objectsWithin.length === 0) return { body: [], note: 'empty array body' };
  const slot = rng.pick(objectsWithin);
  return {
    body: replace(body, slot, [slot.value]),
    note: `array instead of object at ${String(slot.key)}`,
  };
};

const unicodeEverywhere: Mutator = (body, schema, rng) => {
  const u = rng.pick(NASTY.filter((n) => /RTL|zero|NUL|surrogate|emoji/.test(n.label)));
  for (const slot of slots(body, schema)) {
    if (typeof slot.value === 'string' && slot.parent !== undefined) replace(body, slot, u.value);
  }
  return { body, note: `every string = ${u.label}` };
};

const MUTATORS: Array<[number, string, Mutator | undefined]> = [
  [10, 'valid', undefined],
  [30, 'leaf', leafNasty],
  [8, 'numeric', allNumericAbsurd],
  [8, 'extra', extraField],
  [10, 'proto', protoKeys],
  [8, 'missing', missingRequired],
  [6, 'shape', wrongShape],
  [5, 'unicode', unicodeEverywhere],
];

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
