import type { Static, TSchema } from '@sinclair/typebox';
import type { Access } from './permissions';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The contract half of an operation: everything a caller needs to know, nothing that runs.
 * The main process binds a handler to each spec; transports are generated from the specs.
 */
export interface OperationSpec<
  I extends TSchema = TSchema,
  O extends TSchema = TSchema,
  N extends string = string,
> {
  /** `noun.verb`, e.g. `orders.place`. Unique across the catalogue. */
  name: N;
  summary: string;
  description?: string;
  /** OpenAPI tag; defaults to the noun. */
  tag?: string;
  input: I;
  output: O;
  access: Access;
  /**
   * REST mapping under /api/v1. Defaults to `POST /<noun>/<verb>`. GET inputs come from the
   * query string; `:param` segments are merged into the input.
   */
  http?: {
    method: HttpMethod;
    path: string;
    /** Bytes; default 1 MiB (imports need more). */ bodyLimit?: number;
    /** Extra absolute URLs (outside /api/v1) served by the same operation, for compatibility. */
    aliases?: string[];
  };
  /** Mutating operations are rate limited more strictly and never cached. */
  mutates?: boolean;
  /**
   * Creates or replaces a credential (an API key, a webhook token, a trading account that
   * carries one, 2FA secrets, a password). Only an interactive session may call it, never an
   * API key: otherwise a key could mint credentials that outlive its own revocation, expiry
   * and IP allowlist. Every door refuses other callers with `session_required`.
   */
  sessionOnly?: true;
}

export type InputOf<S> = S extends OperationSpec<infer I, TSchema, string> ? Static<I> : never;
export type OutputOf<S> = S extends OperationSpec<TSchema, infer O, string> ? Static<O> : never;

/** Identity function that keeps the literal types (name, schemas) of a spec. */
export function defineOperation<I extends TSchema, O extends TSchema, N extends string>(
  spec: OperationSpec<I, O, N>,
): OperationSpec<I, O, N> {
  return spec;
}

const NAME = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

/** `noun.verb` with camelCase parts: `apiKeys.revoke`, `admin.users.ban`. */
export function isValidOperationName(name: string): boolean {
  return NAME.test(name);
}

/** The REST route of a spec (method and path under /api/v1). */
export function httpRouteOf(spec: OperationSpec): {
  method: HttpMethod;
  path: string;
  bodyLimit?: number;
  aliases?: string[];
} {
  if (spec.http) return spec.http;
  return { method: 'POST', path: '/' + spec.name.split('.').join('/') };
}
