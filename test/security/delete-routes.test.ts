import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner, enableTwoFactor, type TestSession } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';

/**
 * Found by the OpenAPI fuzz: a DELETE route's numeric path id reached the (non-coercing) body
 * validator as text, so every `DELETE …/:id` answered "id must be integer".
 */
let backend: TestBackend;
let owner: TestSession;

beforeAll(async () => {
  backend = await startTestBackend({ rateLimitPerMinute: false });
  owner = await enableTwoFactor(backend, await createOwner(backend));
});
afterAll(() => backend.cleanup());

const request = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  backend.http.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });

describe('DELETE routes with path ids', () => {
  it('every documented DELETE route takes a well-formed id (404 for an unknown one, never 400)', async () => {
    const doc = (await request('GET', '/docs/json')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths).filter(([, methods]) => 'delete' in methods);
    expect(routes.length).toBeGreaterThanOrEqual(4);
    for (const [path] of routes) {
      const res = await request(
        'DELETE',
        `/api/v1${path.slice('/api/v1'.length).replace(/\{[^}]+\}/g, '987654')}`,
      );
      expect(res.statusCode, `${path}: ${res.body}`).toBe(404);
    }
  });

  it('deletes a dataset by its numeric id', async () => {
    const content = [
      'Date,Time,Open,High,Low,Close,Volume',
      '2024-01-02,09:00,1,2,0.5,1.5,10',
      '2024-01-02,09:05,1.5,2,1,1.8,12',
    ].join('\n');
    const imported = await request('POST', '/api/v1/backtest/datasets/import', {
      name: 'to delete',
      content,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const id = (imported.json() as { dataset: { id: number } }).dataset.id;
    expect((await request('DELETE', `/api/v1/backtest/datasets/${id}`)).statusCode).toBe(200);
    expect((await request('GET', `/api/v1/backtest/datasets/${id}`)).statusCode).toBe(404);
  });

  it('still refuses an id that is not a number, or differs from the body', async () => {
    const bad = await request('DELETE', '/api/v1/backtest/strategies/abc');
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'validation_failed']);
    const huge = await request('DELETE', `/api/v1/backtest/runs/${'9'.repeat(40)}`);
    expect([huge.statusCode, huge.json().code]).toEqual([400, 'validation_failed']);
    const differs = await request('DELETE', '/api/v1/backtest/runs/5', { id: 6 });
    expect([differs.statusCode, differs.json().code]).toEqual([400, 'validation_failed']);
  });
});
