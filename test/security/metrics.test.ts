import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromCli } from '../../src-main/config';
import { sameSecret } from '../../src-main/transports/http/metrics-route';
import { createApiKey, createUser, signedHeaders, type TestSession } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';

const TOKEN = 'scrape-0123456789abcdef';
let backend: TestBackend;
let admin: TestSession;
let trader: TestSession;

const scrape = (headers: Record<string, string> = {}) =>
  backend.http.inject({ method: 'GET', url: '/metrics', headers });

beforeAll(async () => {
  backend = await startTestBackend({ metricsToken: TOKEN });
  admin = await createUser(backend, 'admin');
  trader = await createUser(backend, 'trader');
});
afterAll(() => backend.cleanup());

describe('/metrics', () => {
  it('refuses anonymous scrapes with a 401 problem', async () => {
    const res = await scrape();
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(res.body).not.toContain('bourse_http_request_duration_seconds');
  });

  it('refuses a wrong token, a token of another length, and a session without admin.system', async () => {
    for (const auth of [`Bearer ${TOKEN.slice(0, -1)}x`, `Bearer ${TOKEN}x`, 'Bearer x']) {
      const res = await scrape({ authorization: auth });
      expect([auth, res.statusCode]).toEqual([auth, 401]);
      expect(res.json()).toMatchObject({ code: 'unauthenticated' });
    }
    const res = await scrape(trader.headers);
    expect([res.statusCode, res.json().code]).toEqual([403, 'forbidden']);
  });

  it('refuses a signed API-key request of a user without admin.system', async () => {
    const key = await createApiKey(backend, trader);
    const res = await scrape(signedHeaders(key, 'GET', '/metrics'));
    expect([res.statusCode, res.json().code]).toEqual([403, 'forbidden']);
  });

  it('answers the configured scrape token', async () => {
    const res = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('nodejs_eventloop_lag_seconds');
  });

  it('answers a session that holds admin.system (2FA on)', async () => {
    const res = await scrape(admin.headers);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('bourse_http_request_duration_seconds');
  });

  it('asks an admin without 2FA to turn it on first', async () => {
    const no2fa = await createUser(backend, 'admin', { twoFactor: false });
    const res = await scrape(no2fa.headers);
    expect([res.statusCode, res.json().code]).toEqual([403, 'two_factor_required']);
  });
});

describe('the scrape token setting', () => {
  it('comes from BOURSE_METRICS_TOKEN and must be long enough', () => {
    expect(configFromCli([], { BOURSE_METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
    expect(configFromCli([], {}).metricsToken).toBeUndefined();
    expect(() => configFromCli([], { BOURSE_METRICS_TOKEN: 'short' })).toThrow(/16 characters/);
  });

  it('is compared whole, whatever the lengths', () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
    expect(sameSecret(TOKEN.slice(0, 5), TOKEN)).toBe(false);
    expect(sameSecret('', TOKEN)).toBe(false);
  });
});
