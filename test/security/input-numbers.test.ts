import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner, enableTwoFactor, type TestSession } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';

/**
 * Found by the OpenAPI fuzz (test/security/fuzz.test.ts): numbers no client means, accepted
 * because Ajv's `strict: false` also turned off strictNumbers and its query coercion is `+text`.
 */
let backend: TestBackend;
let owner: TestSession;

beforeAll(async () => {
  backend = await startTestBackend({ rateLimitPerMinute: false });
  owner = await enableTwoFactor(backend, await createOwner(backend));
});
afterAll(() => backend.cleanup());

async function call(method: 'GET' | 'POST', url: string, payload?: string) {
  const res = await backend.http.inject({
    method,
    url,
    headers: { ...owner.headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, type: String(res.headers['content-type']), body: res.json() };
}

describe('numbers at the HTTP edge', () => {
  it('refuses 1e309 (Infinity after JSON.parse) in an integer body field', async () => {
    const key = 'MCowBQYDK2VwAyEA' + 'A'.repeat(43) + '=';
    for (const expiresAt of ['1e309', '9007199254740993']) {
      const res = await call(
        'POST',
        '/api/v1/api-keys',
        `{"label":"k","publicKey":"${key}","expiresAt":${expiresAt}}`,
      );
      expect(res.status, expiresAt).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(JSON.stringify(res.body.details)).toContain('expiresAt');
    }
  });

  it.each(['Infinity', '1e309', '-Infinity', '0x10', '0b11', ' 5', '1e3'])(
    'refuses the query number %j',
    async (text) => {
      const res = await call('GET', `/api/v1/orders?from=${encodeURIComponent(text)}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
      expect(res.body.details.fields).toEqual([
        { field: 'from', message: expect.stringMatching(/decimal|within/) },
      ]);
    },
  );

  it('still takes plain decimal query numbers', async () => {
    const res = await call('GET', '/api/v1/orders?from=0&to=1796508740973&limit=5');
    expect(res.status).toBe(200);
  });
});

describe('router errors', () => {
  it('answers a too-long path parameter with problem+json', async () => {
    const res = await call('GET', `/api/v1/backtest/runs/${'9'.repeat(400)}`);
    expect(res.status).toBe(414);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 414, code: 'bad_request' });
  });

  it('answers broken percent-encoding with problem+json', async () => {
    const res = await call('GET', '/api/v1/backtest/runs/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('bad_request');
  });
});
