import { Type } from '@sinclair/typebox';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AppError, defineOperation, type Permission } from '../../../src-shared/contract';
import { Obj } from '../../../src-shared/contract/common';
import type { OperationContext } from '../../../src-main/operations/context';
import { ANONYMOUS, SYSTEM, type Principal } from '../../../src-main/operations/principal';
import { OperationRegistry, authorize, bind } from '../../../src-main/operations/registry';

const echo = defineOperation({
  name: 'test.echo',
  summary: 'Echo',
  access: 'orders.trade',
  input: Obj({
    qty: Type.String({ pattern: '^[0-9]+$' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 5 })),
    nested: Type.Optional(Obj({ flag: Type.Boolean() })),
  }),
  output: Obj({ qty: Type.String(), limit: Type.Integer() }),
});

function user(...permissions: Permission[]): Principal {
  return { kind: 'user', userId: 'u1', role: 'trader', permissions: new Set(permissions) };
}

function ctx(principal: Principal): OperationContext {
  return { principal, correlationId: 'c', door: 'internal', log: pino({ enabled: false }) };
}

function registry(checkOutputs = true) {
  const r = new OperationRegistry(undefined, checkOutputs);
  r.register(bind(echo, (input) => ({ qty: input.qty, limit: input.limit ?? 0 })));
  return r;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof AppError ? err.code : 'not-an-app-error';
  }
}

describe('authorize', () => {
  it('lets public through, asks anonymous to sign in, forbids missing permissions', () => {
    expect(() => authorize('public', ANONYMOUS)).not.toThrow();
    expect(() => authorize('authenticated', ANONYMOUS)).toThrow(/Sign in/);
    expect(() => authorize('authenticated', user())).not.toThrow();
    expect(() => authorize('orders.trade', user('orders.read'))).toThrow(/orders.trade/);
    expect(() => authorize('admin.system', SYSTEM)).not.toThrow();
  });
});

describe('OperationRegistry', () => {
  it('refuses duplicate names, bad names and missing declarations', () => {
    const r = registry();
    expect(() => r.register(bind(echo, () => ({ qty: '1', limit: 1 })))).toThrow(/twice/);
    const bad = { ...echo, name: 'Echo' };
    expect(() => r.register(bind(bad, () => ({ qty: '1', limit: 1 })))).toThrow(/noun.verb/);
    const noAccess = { ...echo, name: 'test.noAccess', access: undefined as never };
    expect(() => r.register(bind(noAccess, () => ({ qty: '1', limit: 1 })))).toThrow(/access/);
    const noSchema = { ...echo, name: 'test.noSchema', output: undefined as never };
    expect(() => r.register(bind(noSchema, () => ({ qty: '1', limit: 1 }) as never))).toThrow(
      /schema/,
    );
  });

  it('checks permission before looking at the input', async () => {
    const r = registry();
    expect(await codeOf(r.invoke('test.echo', { bogus: 1 }, ctx(ANONYMOUS)))).toBe(
      'unauthenticated',
    );
    expect(await codeOf(r.invoke('test.echo', { qty: '1' }, ctx(user('orders.read'))))).toBe(
      'forbidden',
    );
  });

  it('names every failing field, including unknown ones', async () => {
    const r = registry();
    try {
      await r.invoke(
        'test.echo',
        { qty: 'x', extra: 1, nested: { flag: 'no' } },
        ctx(user('orders.trade')),
      );
      expect.unreachable();
    } catch (err) {
      const e = err as AppError;
      expect(e.code).toBe('validation_failed');
      const fields = (e.details as { fields: { field: string; message: string }[] }).fields;
      expect(fields).toEqual(
        expect.arrayContaining([
          { field: 'qty', message: 'must match pattern "^[0-9]+$"' },
          { field: 'extra', message: 'unknown field' },
          { field: 'nested.flag', message: 'must be boolean' },
        ]),
      );
      expect(e.message).toContain('extra unknown field');
    }
  });

  it('applies defaults and coerces query strings only in query mode', async () => {
    const r = registry();
    const trader = ctx(user('orders.trade'));
    expect(await r.invoke('test.echo', { qty: '3' }, trader)).toEqual({ qty: '3', limit: 5 });
    expect(await r.invoke('test.echo', { qty: '3', limit: '7' }, trader, 'query')).toEqual({
      qty: '3',
      limit: 7,
    });
    expect(await codeOf(r.invoke('test.echo', { qty: '3', limit: '7' }, trader))).toBe(
      'validation_failed',
    );
  });

  it('catches handlers that return the wrong shape when outputs are checked', async () => {
    const r = new OperationRegistry(undefined, true);
    r.register(bind(echo, () => ({ qty: 1 }) as never));
    expect(await codeOf(r.invoke('test.echo', { qty: '1' }, ctx(user('orders.trade'))))).toBe(
      'validation_failed',
    );
  });

  it('answers unknown operations with a stable code', async () => {
    expect(await codeOf(registry().invoke('nope.nope', {}, ctx(SYSTEM)))).toBe('unknown_operation');
  });
});
