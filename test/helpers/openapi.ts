/**
 * A small OpenAPI 3 response checker for conformance tests: resolves `$ref`s within the
 * document and lists where a value breaks its schema — a missing required field, a wrong JSON
 * type, too few or too many tuple items. `oneOf` is read as `anyOf`: Binance's specification
 * lists answer shapes that contain one another (ACK ⊂ RESULT ⊂ FULL) without
 * `additionalProperties: false`, so a FULL answer matches all three.
 */
export interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  minItems?: number;
  maxItems?: number;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, Schema> };
}

export interface OperationDoc {
  description?: string;
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

function resolve(doc: OpenApiDoc, s: Schema): Schema {
  if (!s.$ref) return s;
  const name = s.$ref.replace('#/components/schemas/', '');
  const target = doc.components.schemas[name];
  if (!target) throw new Error(`unresolved ${s.$ref}`);
  return resolve(doc, target);
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Every place `value` breaks `schema`, as `path: problem` lines (empty when it conforms). */
export function violations(doc: OpenApiDoc, schema: Schema, value: unknown, at = '$'): string[] {
  const s = resolve(doc, schema);
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives) {
    const each = alternatives.map((alt) => violations(doc, alt, value, at));
    return each.some((v) => v.length === 0)
      ? []
      : (each.sort((a, b) => a.length - b.length)[0] ?? []);
  }
  const out: string[] = [];
  const t = typeOf(value);
  if (s.type) {
    const fits = s.type === t || (s.type === 'number' && t === 'integer');
    if (!fits) return [`${at}: expected ${s.type}, got ${t} (${JSON.stringify(value)})`];
  }
  if (t === 'object' && s.properties) {
    const obj = value as Record<string, unknown>;
    for (const name of s.required ?? []) {
      if (!(name in obj)) out.push(`${at}.${name}: required, missing`);
    }
    for (const [name, sub] of Object.entries(s.properties)) {
      if (name in obj) out.push(...violations(doc, sub, obj[name], `${at}.${name}`));
    }
  }
  if (t === 'array' && s.items) {
    const arr = value as unknown[];
    const items = resolve(doc, s.items);
    // Binance writes tuple bounds (a kline's 12 fields) on the item schema.
    if (items.minItems !== undefined && arr.length < items.minItems && !items.type) {
      out.push(`${at}: ${arr.length} items, at least ${items.minItems}`);
    }
    arr.forEach((v, i) => out.push(...violations(doc, s.items as Schema, v, `${at}[${i}]`)));
  }
  return out;
}

/** The response schema a document gives for this path, method and status, if any. */
export function responseSchema(
  doc: OpenApiDoc,
  path: string,
  method: string,
  status: number,
): Schema | undefined {
  const op = doc.paths[path]?.[method.toLowerCase()];
  return op?.responses[String(status)]?.content?.['application/json']?.schema;
}
