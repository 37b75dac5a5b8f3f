import type { Schema } from './openapi';
import { obj, setKey, type Json, type Rng } from './values';

/** Strings that match the patterns the contract uses, so valid-ish input reaches the handlers. */
const PATTERN_SAMPLES: Record<string, (rng: Rng) => string> = {
  '^[0-9]+(\\.[0-9]+)?$': (rng) => rng.pick(['1', '0.5', '10', '0.001', '250.25', '3']),
  '^-?[0-9]+(\\.[0-9]+)?$': (rng) => rng.pick(['1', '-0.5', '10', '-3']),
  '^[A-Z0-9]{1,12}/[A-Z0-9]{1,12}$': (rng) => rng.pick(['BTC/USDT', 'ETH/USDT', 'ZZZ/QQQ']),
  '^[A-Z0-9]{1,12}$': (rng) => rng.pick(['BTC', 'USDT', 'ETH', 'ZZZ']),
  '^[A-Za-z0-9_.:-]+$': (rng) => rng.alnum(rng.int(1, 12)),
  '^[A-Za-z0-9_-]+$': (rng) => rng.alnum(rng.int(1, 12)),
  '^[0-9]+$': (rng) => String(rng.int(0, 99)),
  '\\S': (rng) => `fuzz ${rng.alnum(6)}`,
  '^([01][0-9]|2[0-4]):[0-5][0-9]$': (rng) => rng.pick(['09:30', '16:00', '00:00']),
  '^[0-9]{6}$': (rng) => String(rng.int(100000, 999999)),
};

function sampleString(s: Schema, rng: Rng): string {
  if (s.format === 'email') return `fuzz-${rng.alnum(6).toLowerCase()}@example.test`;
  if (s.pattern && PATTERN_SAMPLES[s.pattern]) return PATTERN_SAMPLES[s.pattern]!(rng);
  if (typeof s.example === 'string' && rng.chance(0.5)) return s.example;
  const min = s.minLength ?? 1;
  const max = Math.min(s.maxLength ?? 16, Math.max(min, 16));
  return rng.alnum(rng.int(min, max));
}

function sampleNumber(s: Schema, rng: Rng, integer: boolean): number {
  const lo = s.minimum ?? (s.exclusiveMinimum === undefined ? 0 : s.exclusiveMinimum + 1);
  const hi = s.maximum ?? lo + 100;
  const n = lo + rng.next() * Math.min(hi - lo, 1000);
  return integer ? Math.min(hi, Math.max(lo, Math.round(n))) : Number(n.toFixed(2));
}

function sampleObject(s: Schema, rng: Rng, depth: number): Json {
  const o = obj();
  const required = new Set(s.required ?? []);
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    if (required.has(key) || rng.chance(0.5)) setKey(o, key, sample(prop, rng, depth + 1));
  }
  if (typeof s.additionalProperties === 'object' && depth < 4) {
    for (let i = rng.int(0, 2); i > 0; i--) {
      setKey(o, rng.alnum(5), sample(s.additionalProperties, rng, depth + 1));
    }
  }
  return o;
}

/** A value the schema probably accepts (patterns outside the table above may miss). */
export function sample(s: Schema, rng: Rng, depth = 0): Json {
  if (s.enum?.length) return rng.pick(s.enum) as Json;
  const branches = s.anyOf ?? s.oneOf;
  if (branches?.length) return sample(rng.pick(branches), rng, depth);
  if (s.allOf?.length) return sample(s.allOf[0]!, rng, depth);
  switch (s.type) {
    case 'string':
      return sampleString(s, rng);
    case 'integer':
      return sampleNumber(s, rng, true);
    case 'number':
      return sampleNumber(s, rng, false);
    case 'boolean':
      return rng.chance(0.5);
    case 'null':
      return null;
    case 'array': {
      const n =
        depth > 4 ? (s.minItems ?? 0) : rng.int(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3));
      return Array.from({ length: n }, () => sample(s.items ?? {}, rng, depth + 1));
    }
    case 'object':
      return sampleObject(s, rng, depth);
    default:
      return s.properties ? sampleObject(s, rng, depth) : rng.alnum(4);
  }
}

/** True for a schema whose values are numbers or amounts (decimal strings). */
export function isNumeric(s: Schema | undefined): boolean {
  if (!s) return false;
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return branches.some(isNumeric);
  return (
    s.type === 'integer' ||
    s.type === 'number' ||
    (s.type === 'string' && /^\^-?\??\[0-9\]\+/.test(s.pattern ?? ''))
  );
}
