import type { Page } from 'playwright-core';
import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { roleNeedsTwoFactor, type Role } from '../../src-shared/contract';
import type { Backend } from '../../src-main/backend';
import type { IdentityService } from '../../src-main/features/identity/service';
import { canonicalString } from '../../src-main/features/identity/signing';

/** A password that passes the common-password check. */
export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestSession {
  userId: string;
  email: string;
  role: Role;
  accessToken: string;
  refreshToken: string;
  /** `{ authorization: 'Bearer …' }` */
  headers: Record<string, string>;
  /** The TOTP secret (base32) when 2FA was enabled by `enableTwoFactor`. */
  totpSecret?: string;
}

export function identityOf(backend: Backend): IdentityService {
  return backend.features.identity;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface TokensBody {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; role: Role };
}

function toSession(body: TokensBody, totpSecret?: string): TestSession {
  return {
    userId: body.user.id,
    email: body.user.email,
    role: body.user.role,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    headers: bearer(body.accessToken),
    totpSecret,
  };
}

async function post(backend: Backend, url: string, payload: unknown, headers = {}) {
  const res = await backend.http.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers,
  });
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/** Creates the owner through the setup link's token (as a headless user would). */
export async function createOwner(
  backend: Backend,
  email = 'owner@example.test',
  password = TEST_PASSWORD,
): Promise<TestSession> {
  const setupToken = identityOf(backend).takeSetupToken();
  const body = await post(backend, '/api/v1/setup/owner', { email, password, setupToken });
  return toSession(body as TokensBody);
}

/** Logs in with a password (and a TOTP code when `totpSecret` is given). */
export async function login(
  backend: Backend,
  email: string,
  password = TEST_PASSWORD,
  totpSecret?: string,
): Promise<TestSession> {
  const body = await post(backend, '/api/v1/auth/login', { email, password });
  if (body.status === 'ok') return toSession(body.session as TokensBody, totpSecret);
  if (!totpSecret) throw new Error(`${email} needs a 2FA code`);
  const done = await post(backend, '/api/v1/auth/2fa', {
    challenge: body.challenge,
    code: totpCode(backend, totpSecret),
  });
  return toSession(done as TokensBody, totpSecret);
}

/** The TOTP code at the backend's clock (`offsetSteps` moves it by 30 s steps). */
export function totpCode(backend: Backend, secret: string, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
  return totp.generate({ timestamp: backend.config.now() + offsetSteps * 30_000 });
}

/**
 * A user with a role, logged in. Roles that need 2FA (`roleNeedsTwoFactor`) get it enabled unless
 * `twoFactor: false`; 2FA uses the backend's clock, so give the backend a controllable one
 * if the test logs in more than once per 30 s.
 */
export async function createUser(
  backend: Backend,
  role: Role,
  opts: { email?: string; twoFactor?: boolean } = {},
): Promise<TestSession> {
  const id = identityOf(backend);
  const email = opts.email ?? `${role}-${crypto.randomBytes(4).toString('hex')}@example.test`;
  await id.accounts.createUser(email, TEST_PASSWORD, role, 'test');
  const session = await login(backend, email);
  const wants2fa = opts.twoFactor ?? roleNeedsTwoFactor(role);
  return wants2fa ? enableTwoFactor(backend, session) : session;
}

/** Enrols and confirms TOTP through the API; answers the new session (old tokens end). */
export async function enableTwoFactor(
  backend: Backend,
  session: TestSession,
  password = TEST_PASSWORD,
): Promise<TestSession & { recoveryCodes: string[] }> {
  const begun = await post(backend, '/api/v1/2fa/begin', { password }, session.headers);
  const confirmed = await post(
    backend,
    '/api/v1/2fa/confirm',
    { code: totpCode(backend, begun.secret as string) },
    session.headers,
  );
  return {
    ...toSession(confirmed.session as TokensBody, begun.secret as string),
    recoveryCodes: confirmed.recoveryCodes as string[],
  };
}

export type ApiKeyScope = 'read' | 'trade' | 'withdraw';

export interface TestApiKey {
  id: string;
  privateKey: crypto.KeyObject;
  publicKeyRaw: string;
}

/** Generates an Ed25519 key pair and registers its public half. */
export async function createApiKey(
  backend: Backend,
  session: TestSession,
  input: {
    scopes?: ApiKeyScope[];
    ipAllowlist?: string[];
    expiresAt?: number;
    label?: string;
  } = {},
): Promise<TestApiKey> {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = (publicKey.export({ format: 'der', type: 'spki' }) as Buffer)
    .subarray(12)
    .toString('base64');
  const body = await post(
    backend,
    '/api/v1/api-keys',
    { label: input.label ?? 'test key', publicKey: raw, ...input },
    session.headers,
  );
  return { id: body.id as string, privateKey, publicKeyRaw: raw };
}

/**
 * Headers of a signed request. `url` is the path with its query (`/api/v1/x?a=1`); `body`
 * is the exact JSON text sent.
 */
export function signedHeaders(
  key: TestApiKey,
  method: string,
  url: string,
  body = '',
  opts: { timestamp?: number; recvWindow?: number } = {},
): Record<string, string> {
  const [path, qs = ''] = url.split('?') as [string, string | undefined];
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(qs)) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const timestamp = String(opts.timestamp ?? Date.now());
  const recvWindow = opts.recvWindow === undefined ? '' : String(opts.recvWindow);
  const canonical = canonicalString({
    keyId: key.id,
    timestamp,
    recvWindow,
    method,
    path,
    query,
    rawBody: body,
  });
  const headers: Record<string, string> = {
    'x-bourse-key': key.id,
    'x-bourse-timestamp': timestamp,
    'x-bourse-signature': crypto
      .sign(null, Buffer.from(canonical), key.privateKey)
      .toString('base64'),
  };
  if (recvWindow) headers['x-bourse-recv-window'] = recvWindow;
  if (body) headers['content-type'] = 'application/json';
  return headers;
}

/** Signs in through the UI's form (the page shows the sign-in screen until then). */
export async function signInInBrowser(
  page: Page,
  url: string,
  email: string,
  password = TEST_PASSWORD,
): Promise<void> {
  await page.goto(`${url}/?signin=1#/trade`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
