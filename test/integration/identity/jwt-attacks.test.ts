import crypto from 'node:crypto';
import { base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { createOwner, createUser, identityOf, type TestSession } from '../../helpers/auth';

let backend: TestBackend;
let user: TestSession;
let claims: { sub: string; sid: string; sv: number };

beforeAll(async () => {
  backend = await startTestBackend();
  await createOwner(backend);
  user = await createUser(backend, 'trader');
  const payload = JSON.parse(Buffer.from(user.accessToken.split('.')[1]!, 'base64url').toString());
  claims = { sub: payload.sub, sid: payload.sid, sv: payload.sv };
});
afterAll(async () => backend.cleanup());

const call = (token: string) =>
  backend.http.inject({
    method: 'GET',
    url: '/api/v1/sessions',
    headers: { authorization: `Bearer ${token}` },
  });

const enc = (o: object) => base64url.encode(JSON.stringify(o));
const now = () => Math.floor(Date.now() / 1000);
const body = (extra: object = {}) => ({
  ...claims,
  iss: 'bourse',
  aud: 'bourse-api',
  iat: now(),
  exp: now() + 600,
  ...extra,
});

describe('access tokens over HTTP', () => {
  it('accepts the genuine token', async () => {
    expect((await call(user.accessToken)).statusCode).toBe(200);
  });

  it('refuses alg: none', async () => {
    const token = `${enc({ alg: 'none', typ: 'at+jwt' })}.${enc(body())}.`;
    expect((await call(token)).statusCode).toBe(401);
  });

  it('refuses algorithm confusion (HS256 keyed with the public key)', async () => {
    const id = identityOf(backend);
    const header = enc({ alg: 'HS256', typ: 'at+jwt', kid: id.tokens.kid });
    const payload = enc(body());
    for (const secret of [
      id.tokens.publicKeyRaw(),
      Buffer.from(id.tokens.publicKeyRaw().toString('base64')),
    ]) {
      const sig = crypto
        .createHmac('sha256', secret)
        .update(`${header}.${payload}`)
        .digest('base64url');
      expect((await call(`${header}.${payload}.${sig}`)).statusCode).toBe(401);
    }
  });

  it('refuses an unknown kid', async () => {
    const t = await identityOf(backend).tokens.sign(body(), 'at+jwt', 600_000, {
      kid: 'someone-else',
    });
    expect((await call(t)).statusCode).toBe(401);
  });

  it('refuses a token signed by another Ed25519 key with our kid', async () => {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const header = enc({ alg: 'EdDSA', typ: 'at+jwt', kid: identityOf(backend).tokens.kid });
    const payload = enc(body());
    const sig = crypto
      .sign(null, Buffer.from(`${header}.${payload}`), privateKey)
      .toString('base64url');
    expect((await call(`${header}.${payload}.${sig}`)).statusCode).toBe(401);
  });

  it('refuses expired and not-yet-valid tokens', async () => {
    const tokens = identityOf(backend).tokens;
    const expired = await tokens.sign(claims, 'at+jwt', 60_000, { iat: now() - 3600 });
    expect((await call(expired)).statusCode).toBe(401);
    const early = await tokens.sign(claims, 'at+jwt', 600_000, { nbf: now() + 600 });
    expect((await call(early)).statusCode).toBe(401);
  });

  it('refuses a wrong audience or issuer', async () => {
    const tokens = identityOf(backend).tokens;
    expect(
      (await call(await tokens.sign(claims, 'at+jwt', 600_000, { aud: 'other' }))).statusCode,
    ).toBe(401);
    expect(
      (await call(await tokens.sign(claims, 'at+jwt', 600_000, { iss: 'other' }))).statusCode,
    ).toBe(401);
  });

  it('refuses other token types (listen, 2FA challenge, refresh) as access tokens', async () => {
    const tokens = identityOf(backend).tokens;
    expect(
      (await call((await tokens.listen({ sub: claims.sub, sv: claims.sv })).token)).statusCode,
    ).toBe(401);
    expect((await call((await tokens.challenge(claims.sub, claims.sv)).token)).statusCode).toBe(
      401,
    );
    expect((await call(user.refreshToken)).statusCode).toBe(401);
  });

  it('refuses a tampered payload and a stale session version', async () => {
    const [h, , s] = user.accessToken.split('.');
    expect((await call(`${h}.${enc(body({ sub: 'usr_other' }))}.${s}`)).statusCode).toBe(401);
    const stale = await identityOf(backend).tokens.sign(
      { ...claims, sv: claims.sv - 1 },
      'at+jwt',
      600_000,
    );
    expect((await call(stale)).statusCode).toBe(401);
  });

  it('refuses bearer and signature together', async () => {
    const res = await backend.http.inject({
      method: 'GET',
      url: '/api/v1/sessions',
      headers: {
        authorization: `Bearer ${user.accessToken}`,
        'x-bourse-key': 'ak_x',
        'x-bourse-signature': 'x',
      },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('a token already accepted once', () => {
  it('is refused as soon as it expires (verified tokens are remembered only until exp)', async () => {
    let clock = Date.now();
    const b = await startTestBackend({ now: () => clock });
    try {
      await createOwner(b);
      const u = await createUser(b, 'trader');
      const get = () =>
        b.http.inject({
          method: 'GET',
          url: '/api/v1/sessions',
          headers: { authorization: `Bearer ${u.accessToken}` },
        });
      expect((await get()).statusCode).toBe(200);
      expect((await get()).statusCode).toBe(200);
      clock += 15 * 60_000 + 1;
      const res = await get();
      expect([res.statusCode, res.json().detail]).toEqual([401, 'The token has expired']);
    } finally {
      await b.cleanup();
    }
  });
});
