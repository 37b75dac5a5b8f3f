import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coercePathParam } from '../../src-main/transports/http/routes';
import { Type } from '@sinclair/typebox';
import { createUser, type TestSession } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';

let backend: TestBackend;
let trader: TestSession;

interface OpenApiParam {
  in: string;
  name: string;
  schema?: { type?: string };
}
type OpenApiDoc = {
  paths: Record<string, Record<string, { operationId?: string; parameters?: OpenApiParam[] }>>;
};

/** A well-formed id of the declared type that names nothing. */
const wellFormed = (type: string | undefined): string => (type === 'integer' ? '7' : 'missing_7');

/** Every DELETE route with path parameters, as the OpenAPI document describes it. */
async function deleteRoutes(): Promise<Array<{ path: string; url: string; op: string }>> {
  const doc = (await backend.http.inject({ method: 'GET', url: '/docs/json' })).json<OpenApiDoc>();
  const out: Array<{ path: string; url: string; op: string }> = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    const del = methods.delete;
    if (!del || !path.includes('{')) continue;
    const params = (del.parameters ?? []).filter((p) => p.in === 'path');
    const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
      wellFormed(params.find((p) => p.name === name)?.schema?.type),
    );
    out.push({ path, url, op: del.operationId ?? path });
  }
  return out;
}

beforeAll(async () => {
  backend = await startTestBackend();
  trader = await createUser(backend, 'trader');
});
afterAll(() => backend.cleanup());

describe('DELETE routes with path ids', () => {
  it('accept a well-formed id on every DELETE route: 404 for one that names nothing', async () => {
    const routes = await deleteRoutes();
    // The catalogue has several: the walk cannot pass by finding none.
    expect(routes.map((r) => r.op)).toEqual(
      expect.arrayContaining([
        'accounts.delete',
        'backtest.datasets.delete',
        'backtest.strategies.delete',
        'backtest.runs.delete',
      ]),
    );
    for (const r of routes) {
      const res = await backend.http.inject({
        method: 'DELETE',
        url: r.url,
        headers: trader.headers,
      });
      const body = res.json<{ code?: string }>();
      // Each feature names its own "not found" (`not_found`, `unknown_account`).
      expect({ route: r.path, status: res.statusCode }).toEqual({ route: r.path, status: 404 });
      expect(body.code).not.toBe('validation_failed');
    }
  });

  it('deletes an existing strategy by its numeric id (200), then answers 404', async () => {
    const saved = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/backtest/strategies',
      headers: trader.headers,
      payload: {
        language: 'js',
        source: `defineStrategy({ name: 'noop', params: [], create() { return { onBar() {} }; } });`,
      },
    });
    expect(saved.statusCode).toBe(200);
    // The view names a user strategy `user:<id>`; the routes take the number.
    const id = /^user:([0-9]+)$/.exec(saved.json<{ id: string }>().id)?.[1];
    expect(id).toBeDefined();
    const url = `/api/v1/backtest/strategies/${id}`;
    const first = await backend.http.inject({ method: 'DELETE', url, headers: trader.headers });
    expect([first.statusCode, first.json()]).toEqual([200, { ok: true }]);
    const again = await backend.http.inject({ method: 'DELETE', url, headers: trader.headers });
    expect(again.statusCode).toBe(404);
  });

  it('still refuses a malformed numeric id with validation_failed', async () => {
    for (const id of ['abc', '7.5', '1e3', '0x10', '99999999999999999999', '-']) {
      const res = await backend.http.inject({
        method: 'DELETE',
        url: `/api/v1/backtest/strategies/${id}`,
        headers: trader.headers,
      });
      expect([id, res.statusCode, res.json<{ code: string }>().code]).toEqual([
        id,
        400,
        'validation_failed',
      ]);
    }
  });

  it('converts only plain decimals, and only where the schema declares a number', () => {
    const input = Type.Object({ id: Type.Integer(), price: Type.Number(), name: Type.String() });
    expect(coercePathParam(input, 'id', '42')).toBe(42);
    expect(coercePathParam(input, 'id', '042')).toBe('042');
    expect(coercePathParam(input, 'id', ' 42')).toBe(' 42');
    expect(coercePathParam(input, 'price', '1.25')).toBe(1.25);
    expect(coercePathParam(input, 'price', 'NaN')).toBe('NaN');
    expect(coercePathParam(input, 'name', '42')).toBe('42');
  });
});
