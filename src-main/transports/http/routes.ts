import type { TObject, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { AppError, httpRouteOf, type OperationSpec } from '../../../src-shared/contract';
import type { Authenticator } from '../../operations/auth';
import type { OperationRegistry } from '../../operations/registry';
import type { Logger } from '../../observability/logger';
import { withScope } from '../../observability/context';

export const API_PREFIX = '/api/v1';

/** Fastify path syntax and the `:param` names of a catalogue path. */
function paramNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

function pick(schema: TSchema, names: string[], keep: boolean): TObject | undefined {
  const obj = schema as TObject;
  if (obj.type !== 'object' || !obj.properties) return undefined;
  const properties = Object.fromEntries(
    Object.entries(obj.properties).filter(([k]) => names.includes(k) === keep),
  );
  const required = (obj.required ?? []).filter((k) => names.includes(k) === keep);
  return { ...obj, properties, required } as TObject;
}

/** Route schemas are for the OpenAPI document; validation happens once, in the registry. */
function docsSchema(spec: OperationSpec, method: string, params: string[]): FastifySchema {
  const rest = pick(spec.input, params, false);
  const inputDoc = rest && Object.keys(rest.properties).length === 0 ? undefined : rest;
  return {
    summary: spec.summary,
    description: spec.description,
    tags: [spec.tag ?? spec.name.split('.')[0]!],
    operationId: spec.name,
    ...(params.length ? { params: pick(spec.input, params, true) } : {}),
    ...(inputDoc ? (method === 'GET' ? { querystring: inputDoc } : { body: inputDoc }) : {}),
    response: {
      200: spec.output,
      default: { $ref: 'Problem#' },
    },
    ...(spec.access === 'public'
      ? {}
      : {
          security: spec.sessionOnly
            ? [{ bearerAuth: [] as string[] }]
            : [{ bearerAuth: [] as string[] }, { ed25519Signature: [] as string[] }],
        }),
    'x-permission': spec.access,
    ...(spec.sessionOnly ? { 'x-session-only': true } : {}),
  } as unknown as FastifySchema;
}

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;
const DECIMAL_NUMBER = /^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,20})?$/;

/**
 * A path parameter is always text, but the operation may declare it a number (`/strategies/7`).
 * The body of a POST or DELETE is validated without coercion (JSON carries types), so path
 * parameters are converted here, by the input schema, and only when the whole text is a plain
 * decimal: anything else stays text and fails validation with a clear message.
 */
export function coercePathParam(input: TSchema, name: string, value: string): string | number {
  const prop = (input as TObject).properties?.[name] as { type?: unknown } | undefined;
  if (prop?.type === 'integer' && DECIMAL_INTEGER.test(value)) return Number(value);
  if (prop?.type === 'number' && DECIMAL_NUMBER.test(value)) return Number(value);
  return value;
}

/** Input of a request: query (GET) or JSON body, plus path parameters. */
function inputOf(req: FastifyRequest, method: string, schema: TSchema): Record<string, unknown> {
  const params = Object.fromEntries(
    Object.entries((req.params ?? {}) as Record<string, string>).map(([k, v]) => [
      k,
      coercePathParam(schema, k, v),
    ]),
  );
  const source = method === 'GET' ? req.query : req.body;
  if (
    source !== undefined &&
    source !== null &&
    (typeof source !== 'object' || Array.isArray(source))
  ) {
    throw new AppError('validation_failed', 'Invalid input: the body must be a JSON object', {
      fields: [{ field: '(input)', message: 'must be object' }],
    });
  }
  const input = { ...((source as Record<string, unknown>) ?? {}) };
  for (const [k, v] of Object.entries(params)) {
    if (k in input && input[k] !== v) {
      throw new AppError(
        'validation_failed',
        `Invalid input: "${k}" differs between path and body`,
      );
    }
    input[k] = v;
  }
  return input;
}

/** One route per catalogue operation; every route goes through `registry.invoke`. */
export function registerOperationRoutes(
  app: FastifyInstance,
  registry: OperationRegistry,
  authenticator: Authenticator,
  log: Logger,
): void {
  for (const op of registry.list()) {
    const { method, path, bodyLimit, aliases = [] } = httpRouteOf(op.spec);
    const params = paramNames(path);
    // One child logger per operation, not per request (a pino child costs an allocation and
    // its redaction setup on every call).
    const opLog = log.child({ op: op.spec.name });
    for (const url of [API_PREFIX + path, ...aliases]) {
      if (url !== API_PREFIX + path && paramNames(url).join() !== params.join())
        throw new Error(`${op.spec.name}: alias ${url} must have the parameters of ${path}`);
      app.route({
        method,
        url,
        ...(bodyLimit ? { bodyLimit } : {}),
        schema:
          url === API_PREFIX + path
            ? docsSchema(op.spec, method, params)
            : ({
                ...docsSchema(op.spec, method, params),
                operationId: `${op.spec.name}.alias`,
              } as FastifySchema),
        handler: async (req: FastifyRequest) => {
          const principal = await authenticator.fromHttp({
            method,
            path: req.url.split('?')[0]!,
            query: req.query as Record<string, string>,
            headers: req.headers,
            rawBody: (req as FastifyRequest & { rawBody?: string }).rawBody ?? '',
            ip: req.ip,
          });
          const ctx = {
            principal,
            correlationId: req.id,
            door: 'http' as const,
            log: opLog,
            ip: req.ip,
          };
          return withScope({ correlationId: req.id }, () =>
            registry.invoke(
              op.spec.name,
              inputOf(req, method, op.spec.input),
              ctx,
              method === 'GET' ? 'query' : 'body',
            ),
          );
        },
      });
    }
  }
}
