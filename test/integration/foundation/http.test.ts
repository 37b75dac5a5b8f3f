import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(async () => backend.cleanup());

describe('HTTP door', () => {
  it('answers health and version', async () => {
    const health = await backend.http.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
    const version = await backend.http.inject({ method: 'GET', url: '/api/v1/version' });
    expect(version.json()).toMatchObject({ name: 'Bourse', mode: 'headless' });
    expect(version.json().schemaVersion).toBeGreaterThanOrEqual(1);
    // Not listening yet (inject only): no address to give. Listening: the real port.
    expect(version.json().apiBaseUrl).toBeNull();
    const url = await backend.listen();
    const port = new URL(url).port;
    const listening = await fetch(`${url}/api/v1/version`);
    expect(((await listening.json()) as { apiBaseUrl: string }).apiBaseUrl).toBe(
      `http://127.0.0.1:${port}`,
    );
  });

  it('answers unknown routes with problem+json', async () => {
    const res = await backend.http.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found', title: 'Not Found' });
  });

  it('refuses protected operations to anonymous callers', async () => {
    const res = await backend.http.inject({ method: 'GET', url: '/api/v1/jobs' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });
});
