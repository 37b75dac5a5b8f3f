import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableSecretStore } from '../../../src-main/secrets/secret-store';
import { IpcDoor } from '../../../src-main/transports/ipc';
import type { FromBackend } from '../../../src-shared/ipc';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import { TEST_PASSWORD, createOwner, identityOf } from '../../helpers/auth';
import { HEADLESS_ENTRY, spawnHeadless } from '../../helpers/headless-child';

describe('first run', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => backend.cleanup());

  it('says setup is needed and refuses registration and token-less setup over HTTP', async () => {
    const status = await backend.http.inject({ method: 'GET', url: '/api/v1/auth/status' });
    expect(status.json()).toEqual({ setupRequired: true, user: null });
    const reg = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'early@example.test', password: TEST_PASSWORD },
    });
    expect(reg.json().code).toBe('setup_required');
    const noToken = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/setup/owner',
      payload: { email: 'o@example.test', password: TEST_PASSWORD, setupToken: 'guess' },
    });
    expect(noToken.statusCode).toBe(403);
  });

  it('lets the desktop window create the owner through the IPC door without a token', async () => {
    const posted: FromBackend[] = [];
    const door = new IpcDoor(backend, (m) => posted.push(m));
    await door.handle({
      kind: 'call',
      id: 1,
      name: 'setup.createOwner',
      input: { email: 'Desk@Example.test', password: TEST_PASSWORD },
    });
    door.close();
    expect(posted[0]).toMatchObject({
      ok: true,
      value: { user: { email: 'desk@example.test', role: 'owner' } },
    });
    const token = (posted[0] as { value: { accessToken: string } }).value.accessToken;
    const status = await backend.http.inject({
      method: 'GET',
      url: '/api/v1/auth/status',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.json()).toMatchObject({
      setupRequired: false,
      user: { role: 'owner', twoFactorRequired: true },
    });
    expect(identityOf(backend).takeSetupToken()).toBeUndefined();
  });
});

describe('2FA enrolment without a secret store', () => {
  it('fails with the store’s message', async () => {
    const backend = await startTestBackend();
    try {
      const owner = await createOwner(backend);
      const unavailable = new UnavailableSecretStore('no Secret Service');
      (identityOf(backend).twoFactor as unknown as { secrets: unknown }).secrets = unavailable;
      const res = await backend.http.inject({
        method: 'POST',
        url: '/api/v1/2fa/begin',
        headers: owner.headers,
        payload: { password: TEST_PASSWORD },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        code: 'secrets_unavailable',
        detail: unavailable.description,
      });
    } finally {
      await backend.cleanup();
    }
  });
});

describe('headless first run', () => {
  it('prints a one-time setup link that creates the owner', async (ctx) => {
    if (!fs.existsSync(HEADLESS_ENTRY)) ctx.skip(true, 'out/main/headless.js is not built');
    const dataDir = tempDataDir();
    // The link, not the secret store, is under test: a plain file keeps the child off the
    // machine's keychain (whose calls block the child's thread while they wait).
    const headless = spawnHeadless(
      ['--port', '0', '--data-dir', dataDir, '--log-level', 'warn', '--allow-plaintext-secrets'],
      { BOURSE_HOST: '' },
    );
    try {
      const [, link] = await headless.waitFor(/Set up the owner account: (\S+)/);
      const url = new URL(link!);
      const token = new URLSearchParams(url.hash.split('?')[1]).get('token')!;
      expect(url.hash.startsWith('#/setup?token=')).toBe(true);
      const res = await fetch(`${url.origin}/api/v1/setup/owner`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'head@example.test',
          password: TEST_PASSWORD,
          setupToken: token,
        }),
        signal: AbortSignal.timeout(20_000),
      });
      expect(res.status, headless.output()).toBe(200);
      const logs = path.join(dataDir, 'logs');
      const logText = fs.existsSync(logs)
        ? fs
            .readdirSync(logs)
            .map((f) => fs.readFileSync(path.join(logs, f), 'utf8'))
            .join('')
        : '';
      expect(logText).not.toContain(token);
    } finally {
      expect(await headless.stop(), headless.output()).toBe(0);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
