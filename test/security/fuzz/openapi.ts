/**
 * The operations of Bourse's own OpenAPI document (`/docs/json`), in the shape the fuzzer needs:
 * method, path template, the schemas of path/query parameters and of the JSON body.
 */

/** A JSON Schema node as @fastify/swagger prints it (only the keywords the fuzzer reads). */
export interface Schema {
  type?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
}

export interface Param {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}

export interface FuzzOperation {
  /** operationId, or `METHOD path` for documented routes outside the catalogue (webhooks). */
  id: string;
  method: string;
  /** OpenAPI path template, `{name}` for path parameters. */
  path: string;
  /** `x-permission`: `public`, `authenticated`, a permission, or `webhook-token`. */
  permission: string;
  pathParams: Param[];
  queryParams: Param[];
  body?: Schema;
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  'x-permission'?: string;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** Every documented operation, in document order. */
export function operationsOf(doc: OpenApiDocument): FuzzOperation[] {
  const ops: FuzzOperation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []).map((p): Param => ({
        name: p.name,
        in: p.in === 'path' ? 'path' : 'query',
        required: p.required ?? false,
        schema: p.schema ?? { type: 'string' },
      }));
      ops.push({
        id: op.operationId ?? `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        permission: op['x-permission'] ?? 'public',
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}
