import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_TTL_MS } from '../../src-main/features/identity/sessions';
import { createOwner, createUser, login } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';

/**
 * The identity feature remembers which sessions are active (every authenticated request asks).
 * A remembered session must stop working on the very next request however it ends: logout,
 * revoked from the list, a reused refresh token (theft), revoke-all, or plain expiry.
 */
let backend: TestBackend;
let clock = Date.UTC(2026, 5, 1, 12, 0, 0);

beforeAll(async () => {
  backend = await startTestBackend({ now: () => clock });
  await createOwner(backend);
});
afterAll(async () => backend.cleanup());

const get = (headers: Record<string, string>) =>
  backend.http.inject({ method: 'GET', url: '/api/v1/sessions', headers });
const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  backend.http.inject({ method: 'POST', url, payload, headers });

describe('remembered sessions end on the next request', () => {
  it('after logout', async () => {
    const s = await createUser(backend, 'trader');
    for (let i = 0; i < 3; i++) expect((await get(s.headers)).statusCode).toBe(200);
    await post('/api/v1/auth/logout', {}, s.headers);
    expect((await get(s.headers)).statusCode).toBe(401);
  });

  it('after a reused refresh token revokes the family (the thief’s access token too)', async () => {
    const s = await createUser(backend, 'trader');
    expect((await get(s.headers)).statusCode).toBe(200);
    const rotated = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken });
    expect(rotated.statusCode).toBe(200);
    const fresh = { authorization: `Bearer ${rotated.json().accessToken as string}` };
    expect((await get(fresh)).statusCode).toBe(200);
    // The old refresh token again: reuse, the whole session ends.
    expect((await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken })).statusCode).toBe(
      401,
    );
    expect((await get(fresh)).statusCode).toBe(401);
    expect((await get(s.headers)).statusCode).toBe(401);
  });

  it('after one session revokes another from the list', async () => {
    const s = await createUser(backend, 'trader');
    const other = await login(backend, s.email);
    expect((await get(s.headers)).statusCode).toBe(200);
    const items = (await get(other.headers)).json().items as Array<{
      id: string;
      current: boolean;
    }>;
    const target = items.find((x) => !x.current)!;
    await post(`/api/v1/sessions/${target.id}/revoke`, {}, other.headers);
    expect((await get(s.headers)).statusCode).toBe(401);
    expect((await get(other.headers)).statusCode).toBe(200);
  });

  it('at its expiry, though remembered as active before', async () => {
    const s = await createUser(backend, 'trader');
    const items = (await get(s.headers)).json().items as Array<{ id: string; current: boolean }>;
    const id = items.find((x) => x.current)!.id;
    const sessions = backend.features.identity.sessions;
    expect(sessions.isActive(id)).toBe(true);
    const before = clock;
    try {
      // Past the session's end the access token has long expired too, so ask the check
      // every request makes directly: the remembered entry must not outlive the session.
      clock += REFRESH_TTL_MS + 1;
      expect(sessions.isActive(id)).toBe(false);
    } finally {
      clock = before;
    }
  });
});
