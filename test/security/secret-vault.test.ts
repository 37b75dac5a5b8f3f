import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { configFromCli } from '../../src-main/config';
import type { KdfParams } from '../../src-main/secrets/encrypted-file';
import {
  TEST_PASSWORD,
  createOwner,
  createUser,
  enableTwoFactor,
  login,
  totpCode,
  type TestSession,
} from '../helpers/auth';
import { startTestBackend, tempDataDir, type TestBackend } from '../helpers/backend';

/** Cheap derivation: these tests are about who may try, not about argon2's cost. */
const FAST: KdfParams = { memoryKiB: 1024, iterations: 1, parallelism: 1 };
const PASSPHRASE = 'Lantern-orchard-velvet-42';
const GUESS = 'wrong-guess-passphrase-77';

const clock = { t: Date.parse('2026-03-02T10:00:00Z') };
const dirs: string[] = [];
let running: TestBackend | undefined;

/**
 * A backend with no keychain in use: the encrypted file, logging to files at debug level
 * (desktop mode: the log goes to files only, not into the test's output).
 */
async function start(dataDir: string): Promise<TestBackend> {
  running = await startTestBackend({
    mode: 'desktop',
    dataDir,
    secrets: 'encrypted-file',
    secretsKdf: FAST,
    logToFile: true,
    logLevel: 'debug',
    now: () => clock.t,
  });
  return running;
}

afterEach(async () => {
  await running?.close();
  running = undefined;
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function newDir(): string {
  const dir = tempDataDir('bourse-vault-sec-');
  dirs.push(dir);
  return dir;
}

const post = (b: TestBackend, url: string, payload: object, headers = {}, ip = '127.0.0.1') =>
  b.http.inject({ method: 'POST', url, payload, headers, remoteAddress: ip });

const statusOf = (b: TestBackend) =>
  b.http.inject({ method: 'GET', url: '/api/v1/secrets/status' });

/** Every byte the backend wrote in the data directory (database, WAL, logs, secrets file). */
function everyFile(dir: string): Array<[string, Buffer]> {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      return [file, fs.readFileSync(file)] as [string, Buffer];
    });
}

/** The owner chose the passphrase and enrolled 2FA; a trader without 2FA exists. */
async function preparedInstall(): Promise<{
  dir: string;
  owner: TestSession;
  trader: TestSession;
}> {
  const dir = newDir();
  const b = await start(dir);
  const owner = await createOwner(b);
  const created = await post(
    b,
    '/api/v1/secrets/create',
    { passphrase: PASSPHRASE },
    owner.headers,
  );
  expect(created.statusCode).toBe(200);
  const enrolled = await enableTwoFactor(b, owner);
  const trader = await createUser(b, 'trader', { twoFactor: false });
  await b.close();
  running = undefined;
  clock.t += 60_000; // the enrolment's TOTP step is spent
  return { dir, owner: enrolled, trader };
}

describe('encrypted secret store (no OS keychain)', () => {
  it('lets only the signed-in owner choose the first passphrase, with a minimum strength', async () => {
    const b = await start(newDir());
    expect((await statusOf(b)).json()).toMatchObject({
      kind: 'encrypted-file',
      state: 'uninitialized',
    });
    const anonymous = await post(b, '/api/v1/secrets/create', { passphrase: PASSPHRASE });
    expect(anonymous.json()).toMatchObject({ code: 'forbidden' });
    const owner = await createOwner(b);
    const trader = await createUser(b, 'trader', { twoFactor: false });
    const byTrader = await post(
      b,
      '/api/v1/secrets/create',
      { passphrase: PASSPHRASE },
      trader.headers,
    );
    expect(byTrader.json()).toMatchObject({ code: 'forbidden' });
    const weak = await post(b, '/api/v1/secrets/create', { passphrase: 'short' }, owner.headers);
    expect(weak.json()).toMatchObject({ code: 'passphrase_too_weak' });
    // Before a passphrase exists, 2FA enrolment says why it cannot proceed.
    const begin = await post(b, '/api/v1/2fa/begin', { password: TEST_PASSWORD }, owner.headers);
    expect(begin.statusCode).toBe(423);
    expect(begin.json()).toMatchObject({ code: 'secrets_locked' });
    const ok = await post(b, '/api/v1/secrets/create', { passphrase: PASSPHRASE }, owner.headers);
    expect(ok.json()).toMatchObject({ state: 'ready' });
    const again = await post(
      b,
      '/api/v1/secrets/create',
      { passphrase: PASSPHRASE },
      owner.headers,
    );
    expect(again.json()).toMatchObject({ code: 'conflict' });
  });

  it('after a restart refuses secret use with secrets_locked while the rest works, until unlocked', async () => {
    const { dir, owner, trader } = await preparedInstall();
    const b = await start(dir);
    expect((await statusOf(b)).json()).toMatchObject({ state: 'locked' });

    // The owner's second factor needs the sealed TOTP secret: refused with the code.
    const first = await post(b, '/api/v1/auth/login', {
      email: owner.email,
      password: TEST_PASSWORD,
    });
    const second = await post(b, '/api/v1/auth/2fa', {
      challenge: first.json().challenge as string,
      code: totpCode(b, owner.totpSecret!),
    });
    expect(second.statusCode).toBe(423);
    expect(second.json()).toMatchObject({ code: 'secrets_locked' });

    // A user without 2FA signs in and trades; enrolment is what waits for the passphrase.
    const t = await login(b, trader.email);
    const topUp = await post(b, '/api/v1/balances/demo-top-up', {}, t.headers);
    expect(topUp.statusCode).toBe(200);
    const begin = await post(b, '/api/v1/2fa/begin', { password: TEST_PASSWORD }, t.headers);
    expect(begin.json()).toMatchObject({ code: 'secrets_locked' });

    const unlocked = await post(b, '/api/v1/secrets/unlock', { passphrase: PASSPHRASE });
    expect(unlocked.json()).toMatchObject({ state: 'ready' });
    clock.t += 30_000; // the refused attempt's code may not be used twice
    await expect(login(b, owner.email, TEST_PASSWORD, owner.totpSecret)).resolves.toMatchObject({
      role: 'owner',
    });
    const trail = b.store.sqlite
      .prepare(`SELECT action FROM audit_events WHERE action LIKE 'secrets.%' ORDER BY id`)
      .all() as Array<{ action: string }>;
    expect(trail.map((r) => r.action)).toEqual(['secrets.create', 'secrets.unlock']);
  });

  it('counts unlock guesses before deriving the key: a parallel burst meets 429', async () => {
    const { dir } = await preparedInstall();
    const b = await start(dir);
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => post(b, '/api/v1/secrets/unlock', { passphrase: GUESS })),
    );
    const codes = burst.map((r) => r.json().code as string);
    expect(codes.filter((c) => c === 'wrong_passphrase')).toHaveLength(5);
    expect(codes.filter((c) => c === 'too_many_attempts')).toHaveLength(7);
    expect(burst.every((r) => r.statusCode === 403 || r.statusCode === 429)).toBe(true);
    // Even the right passphrase waits out the lock from that address…
    const right = await post(b, '/api/v1/secrets/unlock', { passphrase: PASSPHRASE });
    expect(right.statusCode).toBe(429);
    // …and every failure is in the audit trail.
    const failures = b.store.sqlite
      .prepare(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'secrets.unlockFailure'`)
      .get() as { n: number };
    expect(failures.n).toBe(5);
    clock.t += 61_000;
    const later = await post(b, '/api/v1/secrets/unlock', { passphrase: PASSPHRASE });
    expect(later.json()).toMatchObject({ state: 'ready' });
  });

  it('caps guesses spread over many addresses', async () => {
    const { dir } = await preparedInstall();
    const b = await start(dir);
    const burst = await Promise.all(
      Array.from({ length: 26 }, (_, i) =>
        post(b, '/api/v1/secrets/unlock', { passphrase: GUESS }, {}, `10.0.0.${i + 1}`),
      ),
    );
    expect(burst.filter((r) => r.statusCode === 429)).toHaveLength(6);
    const right = await post(
      b,
      '/api/v1/secrets/unlock',
      { passphrase: PASSPHRASE },
      {},
      '10.9.9.9',
    );
    expect(right.statusCode).toBe(429);
  });

  it('never writes the passphrase or a guess to the database, the logs or the secrets file', async () => {
    const { dir } = await preparedInstall();
    const b = await start(dir);
    await post(b, '/api/v1/secrets/unlock', { passphrase: GUESS });
    await post(b, '/api/v1/secrets/unlock', { passphrase: PASSPHRASE });
    await b.close();
    running = undefined;
    const files = everyFile(dir);
    expect(files.some(([f]) => f.endsWith('secrets.enc'))).toBe(true);
    expect(files.some(([f]) => f.includes(`${path.sep}logs${path.sep}`))).toBe(true);
    expect(files.some(([f]) => f.endsWith('bourse.sqlite'))).toBe(true);
    for (const [file, bytes] of files) {
      for (const secret of [PASSPHRASE, GUESS]) {
        expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${secret} in ${file}`).toBe(false);
      }
    }
    expect(fs.statSync(path.join(dir, 'secrets.enc')).mode & 0o777).toBe(0o600);
  });

  it('takes BOURSE_SECRETS_PASSPHRASE once, out of the environment, and opens the store with it', async () => {
    const env: NodeJS.ProcessEnv = { BOURSE_SECRETS_PASSPHRASE: PASSPHRASE };
    const dir = newDir();
    const config = configFromCli(['--encrypted-secrets', '--data-dir', dir], env);
    expect(env.BOURSE_SECRETS_PASSPHRASE).toBeUndefined();
    expect(JSON.stringify(config)).not.toContain(PASSPHRASE);
    const { takeSecretsPassphrase } = config;
    running = await startTestBackend({
      ...config,
      port: 0,
      logLevel: 'silent',
      logToFile: false,
      secretsKdf: FAST,
    });
    expect(takeSecretsPassphrase?.()).toBeUndefined(); // the backend took it
    expect((await statusOf(running)).json()).toMatchObject({
      kind: 'encrypted-file',
      state: 'ready',
    });
  });

  it('reads the passphrase from BOURSE_SECRETS_PASSPHRASE_FILE without keeping it', async () => {
    const dir = newDir();
    const file = path.join(dir, 'passphrase');
    fs.writeFileSync(file, `${PASSPHRASE}\n`, { mode: 0o600 });
    const config = configFromCli(['--encrypted-secrets', '--data-dir', dir], {
      BOURSE_SECRETS_PASSPHRASE_FILE: file,
    });
    expect(JSON.stringify(config)).not.toContain(PASSPHRASE);
    expect(config.takeSecretsPassphrase?.()).toBe(PASSPHRASE);
    expect(config.takeSecretsPassphrase?.()).toBeUndefined();
  });
});
