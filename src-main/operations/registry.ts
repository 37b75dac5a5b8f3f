import type { Static, TSchema } from '@sinclair/typebox';
import {
  AppError,
  isPrivileged,
  isValidOperationName,
  type Access,
  type OperationSpec,
} from '../../src-shared/contract';
import type { Metrics } from '../observability/metrics';
import type { OperationContext } from './context';
import type { Principal } from './principal';
import { lazyValidator, type Validator } from './validation';

/** A spec with its handler: what the catalogue holds at run time. */
export interface BoundOperation<I extends TSchema = TSchema, O extends TSchema = TSchema> {
  spec: OperationSpec<I, O, string>;
  handler: (input: Static<I>, ctx: OperationContext) => Static<O> | Promise<Static<O>>;
}

/** Binds a handler to a spec, keeping the handler's types tied to the schemas. */
export function bind<I extends TSchema, O extends TSchema, N extends string>(
  spec: OperationSpec<I, O, N>,
  handler: (input: Static<I>, ctx: OperationContext) => Static<O> | Promise<Static<O>>,
): BoundOperation {
  return { spec, handler } as unknown as BoundOperation;
}

interface Entry {
  op: BoundOperation;
  validateBody: Validator;
  validateQuery: Validator;
  validateOutput: Validator;
}

/**
 * Throws 401/403 unless the principal may use an operation that declares `access`; an
 * operation marked `sessionOnly` (it creates or replaces a credential) also refuses API keys,
 * before their permissions are even looked at, so the answer does not depend on a key's scopes.
 */
export function authorize(
  access: Access,
  principal: Principal,
  sessionOnly: boolean | undefined = false,
): void {
  if (access === 'public') return;
  if (principal.kind === 'anonymous') {
    throw new AppError('unauthenticated', 'Sign in or sign the request with an API key');
  }
  // An allowlist, not `=== 'apiKey'`: a kind of caller added later is refused until it is
  // deliberately let in.
  if (sessionOnly && principal.kind !== 'user' && principal.kind !== 'system') {
    throw new AppError(
      'session_required',
      'Credentials are created and replaced only from a signed-in session, never with an API key',
    );
  }
  if (access === 'authenticated') return;
  if (!principal.permissions.has(access)) {
    throw new AppError('forbidden', `This needs the "${access}" permission`, {
      permission: access,
    });
  }
  if (isPrivileged(access) && principal.kind === 'user' && principal.twoFactorPending) {
    throw new AppError(
      'two_factor_required',
      'Your role must turn on two-factor authentication (Profile) before doing this',
      { permission: access },
    );
  }
}

/**
 * The one catalogue at run time. Every door calls `invoke`, so authorization, validation,
 * metrics and error shaping are the same whether a call came over HTTP, IPC or a webhook.
 */
export class OperationRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly metrics?: Metrics,
    /** Validate outputs too (tests): a handler returning the wrong shape is a bug. */
    private readonly checkOutputs = false,
  ) {}

  register(op: BoundOperation): void {
    const { name, access, input, output } = op.spec;
    if (!isValidOperationName(name)) throw new Error(`Operation name "${name}" is not noun.verb`);
    if (this.entries.has(name)) throw new Error(`Operation "${name}" is registered twice`);
    if (!input || !output) throw new Error(`Operation "${name}" lacks an input or output schema`);
    if (!access) throw new Error(`Operation "${name}" declares no access (permission or public)`);
    this.entries.set(name, {
      op,
      // Compiled on first use: compiling all ~600 validators up front took about a second
      // of every start (and of every test backend). `test/unit/contract/catalogue.test.ts`
      // compiles them all, so a broken schema still fails the build, not a user's call.
      validateBody: lazyValidator(input, 'body'),
      validateQuery: lazyValidator(input, 'query'),
      validateOutput: lazyValidator(output, 'output'),
    });
  }

  registerAll(ops: readonly BoundOperation[]): void {
    for (const op of ops) this.register(op);
  }

  list(): BoundOperation[] {
    return [...this.entries.values()].map((e) => e.op);
  }

  get(name: string): BoundOperation | undefined {
    return this.entries.get(name)?.op;
  }

  /**
   * Authorize, validate (query mode coerces strings), run. Authorization comes first so an
   * anonymous caller learns nothing about an operation's schema.
   */
  async invoke(
    name: string,
    rawInput: unknown,
    ctx: OperationContext,
    mode: 'body' | 'query' = 'body',
  ): Promise<unknown> {
    const entry = this.entries.get(name);
    if (!entry) throw new AppError('unknown_operation', `No operation named "${name}"`);
    authorize(entry.op.spec.access, ctx.principal, entry.op.spec.sessionOnly);
    const input = rawInput ?? {};
    (mode === 'query' ? entry.validateQuery : entry.validateBody)(input);
    const end = this.metrics?.operationDuration.startTimer({ operation: name });
    try {
      const output = await entry.op.handler(input as never, ctx);
      if (this.checkOutputs) entry.validateOutput(output);
      end?.({ outcome: 'ok' });
      return output;
    } catch (err) {
      end?.({ outcome: err instanceof AppError ? err.code : 'internal' });
      throw err;
    }
  }
}
