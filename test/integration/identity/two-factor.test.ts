import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../../src-main/db/schema';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import {
  TEST_PASSWORD,
  createOwner,
  createUser,
  enableTwoFactor,
  totpCode,
} from '../../helpers/auth';

let backend: TestBackend;
let clock = Date.UTC(2026, 0, 5, 12, 0, 10);
beforeAll(async () => {
  backend = await startTestBackend({ now: () => clock });
  await createOwner(backend);
});
afterAll(async () => backend.cleanup());

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  backend.http.inject({ method: 'POST', url, payload, headers });

async function challenge(email: string): Promise<string> {
  const r = await post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
  expect(r.json().status).toBe('two_factor_required');
  return r.json().challenge as string;
}

describe('TOTP two-factor authentication', () => {
  it('enrols with a URI and QR code, stores the secret sealed, answers ten recovery codes', async () => {
    const s = await createUser(backend, 'trader');
    const begun = await post('/api/v1/2fa/begin', { password: TEST_PASSWORD }, s.headers);
    expect(begun.json().uri).toMatch(/^otpauth:\/\/totp\/Bourse:.+secret=/);
    expect(begun.json().qrSvg).toContain('<svg');
    const wrong = await post('/api/v1/2fa/confirm', { code: '000000' }, s.headers);
    expect(wrong.json().code).toBe('invalid_code');
    const ok = await post(
      '/api/v1/2fa/confirm',
      { code: totpCode(backend, begun.json().secret) },
      s.headers,
    );
    expect(ok.json().recoveryCodes).toHaveLength(10);
    const rows = backend.store.db.select().from(users).all();
    const row = rows.find((u) => u.id === s.userId)!;
    expect(row.totpSecretEnc).toMatch(/^v1\./);
    expect(row.totpSecretEnc).not.toContain(begun.json().secret);
  });

  it('accepts ±1 step, never the same code twice, and recovery codes once', async () => {
    clock += 120_000;
    const s = await createUser(backend, 'trader');
    const on = await enableTwoFactor(backend, s);
    clock += 120_000;
    const prev = totpCode(backend, on.totpSecret!, -1);
    const ok = await post('/api/v1/auth/2fa', { challenge: await challenge(s.email), code: prev });
    expect(ok.statusCode).toBe(200);
    const replay = await post('/api/v1/auth/2fa', {
      challenge: await challenge(s.email),
      code: prev,
    });
    expect(replay.json().code).toBe('invalid_code');
    const tooOld = totpCode(backend, on.totpSecret!, -3);
    expect(
      (await post('/api/v1/auth/2fa', { challenge: await challenge(s.email), code: tooOld }))
        .statusCode,
    ).toBe(401);
    const rc = on.recoveryCodes[0]!;
    expect(
      (await post('/api/v1/auth/2fa', { challenge: await challenge(s.email), code: rc }))
        .statusCode,
    ).toBe(200);
    expect(
      (await post('/api/v1/auth/2fa', { challenge: await challenge(s.email), code: rc }))
        .statusCode,
    ).toBe(401);
  });

  it('throttles failed codes with a retry time', async () => {
    clock += 120_000;
    const s = await createUser(backend, 'trader');
    await enableTwoFactor(backend, s);
    const c = await challenge(s.email);
    for (let i = 0; i < 5; i++) await post('/api/v1/auth/2fa', { challenge: c, code: '123456' });
    const locked = await post('/api/v1/auth/2fa', { challenge: c, code: '123456' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().details.retryAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('cannot be turned off by roles that require it, but can by others', async () => {
    clock += 120_000;
    const admin = await createUser(backend, 'admin');
    const off = await post(
      '/api/v1/2fa/disable',
      { password: TEST_PASSWORD, code: '123456' },
      admin.headers,
    );
    expect(off.json().code).toBe('two_factor_mandatory');
    const t = await enableTwoFactor(backend, await createUser(backend, 'trader'));
    clock += 60_000;
    const ok = await post(
      '/api/v1/2fa/disable',
      { password: TEST_PASSWORD, code: totpCode(backend, t.totpSecret!) },
      t.headers,
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.twoFactorEnabled).toBe(false);
  });
});
