import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROLE_PERMISSIONS,
  catalogue,
  httpRouteOf,
  permissionsOfKey,
  type OperationSpec,
  type Permission,
} from '../../../src-shared/contract';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import {
  createApiKey,
  createOwner,
  createUser,
  enableTwoFactor,
  signedHeaders,
  type TestApiKey,
} from '../../helpers/auth';

/**
 * Every operation × every kind of caller gets exactly its declared answer. Each call carries
 * an unknown input field, so a caller that passes authorization gets a validation error
 * (authorization runs before validation) and nothing changes.
 */
type Caller =
  | { name: string; kind: 'anonymous' }
  | {
      name: string;
      kind: 'bearer';
      headers: Record<string, string>;
      perms: ReadonlySet<Permission>;
    }
  | { name: string; kind: 'key'; key: TestApiKey; perms: ReadonlySet<Permission> };

let backend: TestBackend;
const callers: Caller[] = [{ name: 'anonymous', kind: 'anonymous' }];

beforeAll(async () => {
  backend = await startTestBackend();
  await enableTwoFactor(backend, await createOwner(backend));
  for (const role of ['viewer', 'trader', 'admin'] as const) {
    const s = await createUser(backend, role);
    callers.push({
      name: role,
      kind: 'bearer',
      headers: s.headers,
      perms: new Set(ROLE_PERMISSIONS[role]),
    });
  }
  const trader = await createUser(backend, 'trader');
  for (const scopes of [['read'], ['read', 'trade'], ['read', 'trade', 'withdraw']] as const) {
    const key = await createApiKey(backend, trader, {
      scopes: [...scopes],
      ipAllowlist: ['127.0.0.1'],
    });
    callers.push({
      name: `key:${scopes.at(-1)}`,
      kind: 'key',
      key,
      perms: permissionsOfKey(scopes, 'trader'),
    });
  }
});
afterAll(async () => backend.cleanup());

function request(spec: OperationSpec) {
  const { method, path } = httpRouteOf(spec);
  const url = '/api/v1' + path.replace(/:([A-Za-z0-9_]+)/g, 'probe');
  return method === 'GET'
    ? { method, url: `${url}?probe_field=1`, body: '' }
    : { method, url, body: JSON.stringify({ probe_field: 1 }) };
}

function expected(spec: OperationSpec, caller: Caller): { status: number; code: string } {
  if (spec.access === 'public') return { status: 400, code: 'validation_failed' };
  if (caller.kind === 'anonymous') return { status: 401, code: 'unauthenticated' };
  // Operations that create or replace credentials refuse API keys whatever their scopes.
  if (spec.sessionOnly && caller.kind === 'key') return { status: 403, code: 'session_required' };
  return caller.perms.has(spec.access)
    ? { status: 400, code: 'validation_failed' }
    : { status: 403, code: 'forbidden' };
}

describe('permission matrix over the whole catalogue', () => {
  it('declares an access level for every operation', () => {
    for (const spec of catalogue) expect(spec.access, spec.name).toBeTruthy();
  });

  it('answers every operation × caller exactly as declared', async () => {
    const mismatches: string[] = [];
    for (const spec of catalogue as readonly OperationSpec[]) {
      const req = request(spec);
      for (const caller of callers) {
        const headers: Record<string, string> =
          caller.kind === 'bearer'
            ? { ...caller.headers }
            : caller.kind === 'key'
              ? signedHeaders(caller.key, req.method, req.url, req.body)
              : {};
        if (req.body) headers['content-type'] = 'application/json';
        const res = await backend.http.inject({
          method: req.method,
          url: req.url,
          headers,
          ...(req.body ? { payload: req.body } : {}),
        });
        const want = expected(spec, caller);
        const code = res.json().code as string;
        const ok = res.statusCode === want.status && (want.status === 401 || code === want.code);
        if (!ok)
          mismatches.push(
            `${spec.name} as ${caller.name}: ${res.statusCode} ${code}, expected ${want.status} ${want.code}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });
});
