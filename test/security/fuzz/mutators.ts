import type { Schema } from './openapi';
import { isNumeric } from './sample';
import {
  NASTY,
  isObject,
  obj,
  setKey,
  type Json,
  type JsonObject,
  type Nasty,
  type Rng,
} from './values';

/**
 * The body mutations: each takes a valid-ish body and its schema and returns the hostile body,
 * a note for the reproducer, and why a 2xx would be absurd (when it would be).
 */
export type Mutator = (
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

export const MUTATORS: Array<[number, string, Mutator | undefined]> = [
  [10, 'valid', undefined],
  [30, 'leaf', leafNasty],
  [8, 'numeric', allNumericAbsurd],
  [8, 'extra', extraField],
  [10, 'proto', protoKeys],
  [8, 'missing', missingRequired],
  [6, 'shape', wrongShape],
  [5, 'unicode', unicodeEverywhere],
];
