import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { auditEvents } from '../../../src-main/db/schema';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import {
  TEST_PASSWORD,
  createOwner,
  createUser,
  enableTwoFactor,
  identityOf,
  login,
  type TestSession,
} from '../../helpers/auth';

let backend: TestBackend;
let wsBase: string;
let clock = Date.UTC(2026, 0, 5, 12, 0, 0);
let owner: TestSession;

beforeAll(async () => {
  backend = await startTestBackend({ now: () => clock });
  wsBase = (await backend.listen()).replace('http', 'ws');
  owner = await enableTwoFactor(backend, await createOwner(backend));
  clock += 60_000;
});
afterAll(async () => backend.cleanup());

const get = (url: string, headers: Record<string, string> = {}) =>
  backend.http.inject({ method: 'GET', url, headers });
const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  backend.http.inject({ method: 'POST', url, payload, headers });

async function liveSocket(token: string): Promise<{ closed: Promise<number> }> {
  const ws = new WebSocket(`${wsBase}/ws`);
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  const authed = new Promise<unknown>((r) => ws.once('message', (d) => r(JSON.parse(String(d)))));
  ws.send(JSON.stringify({ op: 'auth', token }));
  expect(await authed).toEqual({ op: 'auth', ok: true });
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  return { closed };
}

/** The old token stops at once and the live socket closes within a second. */
async function expectEnded(s: TestSession, end: () => Promise<unknown>) {
  const { closed } = await liveSocket(s.accessToken);
  expect((await get('/api/v1/sessions', s.headers)).statusCode).toBe(200);
  const t0 = Date.now();
  await end();
  expect((await get('/api/v1/sessions', s.headers)).statusCode).toBe(401);
  const code = await Promise.race([
    closed,
    new Promise<number>((r) => setTimeout(() => r(-1), 1000)),
  ]);
  expect(code).toBe(4001);
  expect(Date.now() - t0).toBeLessThan(1000);
}

describe('login answers', () => {
  it('answers unknown users and wrong passwords identically (status and body)', async () => {
    await createUser(backend, 'trader', { email: 'known@example.test' });
    const unknown = await post('/api/v1/auth/login', {
      email: 'nobody@example.test',
      password: 'x'.repeat(12),
    });
    const wrong = await post('/api/v1/auth/login', {
      email: 'known@example.test',
      password: 'x'.repeat(12),
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, correlationId: undefined });
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
  });

  it('locks an account after repeated failures with a retry time, then lets it in', async () => {
    await createUser(backend, 'trader', { email: 'locked@example.test' });
    for (let i = 0; i < 5; i++) {
      const r = await post('/api/v1/auth/login', {
        email: 'locked@example.test',
        password: 'wrong password!',
      });
      expect(r.statusCode).toBe(401);
    }
    const locked = await post('/api/v1/auth/login', {
      email: 'locked@example.test',
      password: TEST_PASSWORD,
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('too_many_attempts');
    const retryAt = Date.parse(locked.json().details.retryAt as string);
    expect(retryAt).toBeGreaterThan(clock);
    expect(locked.json().detail).toContain(locked.json().details.retryAt);
    clock = retryAt + 1;
    expect(
      (await post('/api/v1/auth/login', { email: 'locked@example.test', password: TEST_PASSWORD }))
        .statusCode,
    ).toBe(200);
  });

  it('accepts long passphrases and refuses the most common passwords', async () => {
    const long = 'a long passphrase '.repeat(30);
    const ok = await post('/api/v1/auth/register', { email: 'long@example.test', password: long });
    expect(ok.statusCode).toBe(200);
    expect(
      (await post('/api/v1/auth/login', { email: 'long@example.test', password: long })).statusCode,
    ).toBe(200);
    const common = await post('/api/v1/auth/register', {
      email: 'c@example.test',
      password: 'password123',
    });
    expect(common.json().code).toBe('password_too_common');
  });
});

describe('refresh tokens', () => {
  it('rotate on every use; reusing an old one revokes the family and is audited', async () => {
    const s = await createUser(backend, 'trader');
    const first = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken });
    expect(first.statusCode).toBe(200);
    const rotated = first.json().refreshToken as string;
    expect(rotated).not.toBe(s.refreshToken);
    const reuse = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken });
    expect(reuse.statusCode).toBe(401);
    // The whole family is gone: the newest token and its access token too.
    expect((await post('/api/v1/auth/refresh', { refreshToken: rotated })).statusCode).toBe(401);
    expect(
      (await get('/api/v1/sessions', { authorization: `Bearer ${first.json().accessToken}` }))
        .statusCode,
    ).toBe(401);
    const audit = backend.store.db.select().from(auditEvents).all();
    expect(audit.some((a) => a.action === 'session.refresh_reuse' && a.actor === s.userId)).toBe(
      true,
    );
  });

  it('is not accepted as an access token, nor an access token as a refresh token', async () => {
    const s = await createUser(backend, 'trader');
    expect(
      (await get('/api/v1/sessions', { authorization: `Bearer ${s.refreshToken}` })).statusCode,
    ).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refreshToken: s.accessToken })).statusCode).toBe(
      401,
    );
  });
});

describe('ending sessions', () => {
  it('logout', async () => {
    const s = await createUser(backend, 'trader');
    await expectEnded(s, () => post('/api/v1/auth/logout', {}, s.headers));
    expect((await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken })).statusCode).toBe(
      401,
    );
  });

  it('revoking a session from the list', async () => {
    const s = await createUser(backend, 'trader');
    const other = await login(backend, s.email);
    const list = (await get('/api/v1/sessions', other.headers)).json().items as Array<{
      id: string;
      current: boolean;
    }>;
    expect(list).toHaveLength(2);
    const target = list.find((x) => !x.current)!;
    await expectEnded(s, () => post(`/api/v1/sessions/${target.id}/revoke`, {}, other.headers));
    expect((await get('/api/v1/sessions', other.headers)).statusCode).toBe(200);
  });

  it('password change (the caller gets a fresh session)', async () => {
    const s = await createUser(backend, 'trader');
    let fresh = '';
    await expectEnded(s, async () => {
      const r = await post(
        '/api/v1/account/password',
        { currentPassword: TEST_PASSWORD, newPassword: 'another long passphrase' },
        s.headers,
      );
      expect(r.statusCode).toBe(200);
      fresh = r.json().accessToken as string;
    });
    expect((await get('/api/v1/sessions', { authorization: `Bearer ${fresh}` })).statusCode).toBe(
      200,
    );
    expect(
      (await post('/api/v1/auth/login', { email: s.email, password: TEST_PASSWORD })).statusCode,
    ).toBe(401);
  });

  it('2FA change', async () => {
    const s = await createUser(backend, 'trader');
    await expectEnded(s, () => enableTwoFactor(backend, s));
  });

  it('admin "end sessions"', async () => {
    const s = await createUser(backend, 'trader');
    await expectEnded(s, () =>
      post(`/api/v1/admin/users/${s.userId}/end-sessions`, {}, owner.headers),
    );
  });

  it('ban (and login refused until unbanned)', async () => {
    const s = await createUser(backend, 'trader');
    await expectEnded(s, () => post(`/api/v1/admin/users/${s.userId}/ban`, {}, owner.headers));
    expect(
      (await post('/api/v1/auth/login', { email: s.email, password: TEST_PASSWORD })).json().code,
    ).toBe('account_banned');
    await post(`/api/v1/admin/users/${s.userId}/unban`, {}, owner.headers);
    expect(
      (await post('/api/v1/auth/login', { email: s.email, password: TEST_PASSWORD })).statusCode,
    ).toBe(200);
  });
});

describe('roles and setup', () => {
  it('refuses a second owner setup and keeps the last owner', async () => {
    const again = await post('/api/v1/setup/owner', {
      email: 'x@example.test',
      password: TEST_PASSWORD,
      setupToken: 'x',
    });
    expect(again.statusCode).toBe(409);
    const demote = await post(
      `/api/v1/admin/users/${owner.userId}/role`,
      { role: 'trader' },
      owner.headers,
    );
    expect(demote.json().code).toBe('last_owner');
  });

  it('needs 2FA before an admin may use admin operations', async () => {
    const admin = await createUser(backend, 'admin', { twoFactor: false });
    const r = await get('/api/v1/admin/users', admin.headers);
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('two_factor_required');
    clock += 60_000;
    const with2fa = await enableTwoFactor(backend, admin);
    expect((await get('/api/v1/admin/users', with2fa.headers)).statusCode).toBe(200);
  });

  it('lets only owners make admins', async () => {
    clock += 60_000;
    const admin = await createUser(backend, 'admin');
    const t = await createUser(backend, 'trader');
    const r = await post(`/api/v1/admin/users/${t.userId}/role`, { role: 'admin' }, admin.headers);
    expect(r.statusCode).toBe(403);
    const ok = await post(`/api/v1/admin/users/${t.userId}/role`, { role: 'admin' }, owner.headers);
    expect(ok.json().role).toBe('admin');
  });

  it('delivers password reset links through the admin outbox, single use', async () => {
    const s = await createUser(backend, 'trader');
    expect((await post('/api/v1/password-reset', { email: s.email })).statusCode).toBe(200);
    expect((await post('/api/v1/password-reset', { email: 'ghost@example.test' })).statusCode).toBe(
      200,
    );
    const outbox = (await get('/api/v1/admin/outbox', owner.headers)).json().items as Array<{
      to: string;
      body: string;
    }>;
    const token = /token=([^\s]+)/.exec(outbox.find((m) => m.to === s.email)!.body)![1]!;
    const done = await post('/api/v1/password-reset/complete', {
      token,
      newPassword: 'brand new passphrase',
    });
    expect(done.statusCode).toBe(200);
    const again = await post('/api/v1/password-reset/complete', {
      token,
      newPassword: 'brand new passphrase 2',
    });
    expect(again.json().code).toBe('invalid_reset_token');
    expect((await get('/api/v1/sessions', s.headers)).statusCode).toBe(401);
    expect(
      identityOf(backend)
        .outbox.list(true)
        .some((m) => m.to === s.email),
    ).toBe(false);
  });
});
