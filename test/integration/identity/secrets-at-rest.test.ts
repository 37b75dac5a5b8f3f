import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestBackend, tempDataDir } from '../../helpers/backend';
import { createOwner, enableTwoFactor, identityOf, login } from '../../helpers/auth';

function filesOf(dataDir: string): string[] {
  const out = ['bourse.sqlite', 'bourse.sqlite-wal'].map((f) => path.join(dataDir, f));
  const logs = path.join(dataDir, 'logs');
  if (fs.existsSync(logs)) for (const f of fs.readdirSync(logs)) out.push(path.join(logs, f));
  return out.filter((f) => fs.existsSync(f));
}

function leaks(dataDir: string, secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const file of filesOf(dataDir)) {
    const bytes = fs.readFileSync(file);
    for (const [name, value] of Object.entries(secrets)) {
      if (bytes.includes(Buffer.from(value))) found.push(`${name} in ${path.basename(file)}`);
    }
  }
  return found;
}

describe('secrets never reach the database file, its WAL or the logs', () => {
  it('holds for passwords, TOTP secrets, refresh tokens and reset tokens', async () => {
    const dataDir = tempDataDir();
    let clock = Date.now();
    const backend = await startTestBackend({
      dataDir,
      logToFile: true,
      logLevel: 'trace',
      now: () => clock,
    });
    try {
      const password = 'Zebra-Quartz-Mango-4411';
      const email = 'secretive@example.test';
      const owner = await createOwner(backend, email, password);
      const { totpSecret } = await enableTwoFactor(backend, owner, password);
      clock += 60_000;
      const session = await login(backend, email, password, totpSecret);
      const refreshed = await backend.http.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: session.refreshToken },
      });
      expect(refreshed.statusCode).toBe(200);
      await backend.http.inject({
        method: 'POST',
        url: '/api/v1/password-reset',
        payload: { email },
      });
      const resetToken = /token=(\S+)/.exec(identityOf(backend).outbox.list(true)[0]!.body)![1]!;
      const secrets = {
        password,
        totpSecret: totpSecret!,
        refreshToken: session.refreshToken.split('.')[1]!,
        rotatedRefresh: (refreshed.json().refreshToken as string).split('.')[1]!,
        resetToken: resetToken.split('.')[1]!,
      };
      backend.log.flush?.();
      await new Promise((r) => setTimeout(r, 300));
      expect(filesOf(dataDir).some((f) => f.endsWith('-wal'))).toBe(true);
      expect(filesOf(dataDir).some((f) => f.includes(`${path.sep}logs${path.sep}`))).toBe(true);
      expect(leaks(dataDir, secrets)).toEqual([]);
      await backend.close();
      expect(leaks(dataDir, secrets)).toEqual([]);
    } finally {
      await backend.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
