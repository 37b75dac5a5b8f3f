import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import {
  createApiKey,
  createOwner,
  createUser,
  signedHeaders,
  type TestApiKey,
  type TestSession,
} from '../../helpers/auth';
import { sampleNotification } from '../../helpers/stream-payloads';

let backend: TestBackend;
let clock = Date.UTC(2026, 0, 5, 12, 0, 0);
let trader: TestSession;
let key: TestApiKey;

beforeAll(async () => {
  backend = await startTestBackend({ now: () => clock });
  await createOwner(backend);
  trader = await createUser(backend, 'trader');
  key = await createApiKey(backend, trader);
});
afterAll(async () => backend.cleanup());

const LIST = '/api/v1/notifications?limit=5&unreadOnly=false';
const MARK = '/api/v1/notifications/read';

function send(method: string, url: string, headers: Record<string, string>, body = '') {
  return backend.http.inject({
    method: method as 'GET',
    url,
    headers,
    ...(body ? { payload: body } : {}),
  });
}

const signed = (k: TestApiKey, method: string, url: string, body = '', opts = {}) =>
  signedHeaders(k, method, url, body, { timestamp: clock, ...opts });

describe('signed REST requests', () => {
  it('accepts valid GET and POST requests and records the last use', async () => {
    expect((await send('GET', LIST, signed(key, 'GET', LIST))).statusCode).toBe(200);
    const body = JSON.stringify({ ids: [1] });
    const res = await send('POST', MARK, signed(key, 'POST', MARK, body), body);
    expect(res.statusCode).toBe(200);
    const keys = await send('GET', '/api/v1/api-keys', trader.headers);
    expect(keys.json().items[0].tsLastUsed).toBe(clock);
  });

  it('rejects a tampered body, path or query', async () => {
    const body = JSON.stringify({ ids: [1] });
    const h = signed(key, 'POST', MARK, body);
    expect((await send('POST', MARK, h, JSON.stringify({ ids: [2] }))).json().code).toBe(
      'invalid_signature',
    );
    const g = signed(key, 'GET', LIST);
    expect(
      (await send('GET', '/api/v1/notifications?limit=6&unreadOnly=false', g)).json().code,
    ).toBe('invalid_signature');
    expect((await send('GET', '/api/v1/jobs', g)).json().code).toBe('invalid_signature');
  });

  it('rejects old and future timestamps', async () => {
    // Up for longer than the widest window used here: requests from before the start are
    // refused as possible replays (test/security/replay.test.ts).
    clock += 10_000;
    const old = await send('GET', LIST, signed(key, 'GET', LIST, '', { timestamp: clock - 6_000 }));
    expect([old.statusCode, old.json().code]).toEqual([401, 'timestamp_expired']);
    const wide = await send(
      'GET',
      LIST,
      signed(key, 'GET', LIST, '', { timestamp: clock - 6_000, recvWindow: 10_000 }),
    );
    expect(wide.statusCode).toBe(200);
    const future = await send(
      'GET',
      LIST,
      signed(key, 'GET', LIST, '', { timestamp: clock + 1_500 }),
    );
    expect([future.statusCode, future.json().code]).toEqual([401, 'timestamp_in_future']);
  });

  it('rejects a replay', async () => {
    clock += 1;
    const h = signed(key, 'GET', LIST);
    expect((await send('GET', LIST, h)).statusCode).toBe(200);
    const again = await send('GET', LIST, h);
    expect([again.statusCode, again.json().code]).toEqual([401, 'replayed_request']);
  });

  it('rejects an address outside the allowlist', async () => {
    const k = await createApiKey(backend, trader, { ipAllowlist: ['10.0.0.0/8'] });
    const res = await send('GET', LIST, signed(k, 'GET', LIST));
    expect([res.statusCode, res.json().code]).toEqual([403, 'ip_not_allowed']);
    const local = await createApiKey(backend, trader, { ipAllowlist: ['127.0.0.0/8', '::1'] });
    expect((await send('GET', LIST, signed(local, 'GET', LIST))).statusCode).toBe(200);
  });

  it('requires an allowlist for withdrawal keys and limits keys to their scopes', async () => {
    const res = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: trader.headers,
      payload: { label: 'w', publicKey: key.publicKeyRaw, scopes: ['withdraw'] },
    });
    expect(res.json().code).toBe('ip_allowlist_required');
    const manage = await send('GET', '/api/v1/api-keys', signed(key, 'GET', '/api/v1/api-keys'));
    expect(manage.statusCode).toBe(403);
  });

  it('rejects an expired key', async () => {
    const k = await createApiKey(backend, trader, { expiresAt: clock + 60_000 });
    clock += 1;
    expect((await send('GET', LIST, signed(k, 'GET', LIST))).statusCode).toBe(200);
    clock += 60_000;
    const res = await send('GET', LIST, signed(k, 'GET', LIST));
    expect([res.statusCode, res.json().code]).toEqual([401, 'api_key_expired']);
  });

  it('rejects a revoked key at once and closes its WebSocket within a second', async () => {
    const k = await createApiKey(backend, trader);
    const lt = await send(
      'POST',
      '/api/v1/api-keys/listen-token',
      signed(k, 'POST', '/api/v1/api-keys/listen-token', '{}'),
      '{}',
    );
    expect(lt.statusCode).toBe(200);
    const base = (await backend.listen()).replace('http', 'ws');
    const ws = new WebSocket(`${base}/ws`);
    await new Promise((r) => ws.once('open', r));
    const messages: Array<Record<string, unknown>> = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    ws.send(JSON.stringify({ op: 'auth', token: lt.json().token }));
    ws.send(JSON.stringify({ op: 'subscribe', streams: ['notifications'] }));
    const until = async (f: () => boolean) => {
      for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => messages.length >= 2);
    const note = (title: string) => sampleNotification({ title });
    backend.hub.publish('notifications', note('mine'), { kind: 'user', userId: trader.userId });
    backend.hub.publish('notifications', note('theirs'), { kind: 'user', userId: 'usr_other' });
    await until(() => messages.length >= 3);
    expect(messages.slice(2).map((m) => m.data)).toEqual([note('mine')]);
    const closed = new Promise<number>((r) => ws.once('close', (c) => r(c)));
    const t0 = Date.now();
    await send(
      'POST',
      `/api/v1/api-keys/${k.id}/revoke`,
      { ...trader.headers, 'content-type': 'application/json' },
      '{}',
    );
    expect(await closed).toBe(4001);
    expect(Date.now() - t0).toBeLessThan(1000);
    clock += 1;
    const res = await send('GET', LIST, signed(k, 'GET', LIST));
    expect([res.statusCode, res.json().code]).toEqual([401, 'api_key_revoked']);
  });

  it('rejects unknown keys and garbage signatures', async () => {
    const h = signed({ ...key, id: 'ak_unknown' }, 'GET', LIST);
    expect((await send('GET', LIST, h)).statusCode).toBe(401);
    const g = { ...signed(key, 'GET', LIST), 'x-bourse-signature': 'AAAA' };
    expect((await send('GET', LIST, g)).json().code).toBe('invalid_signature');
  });
});

describe('examples/signed-request.mjs', () => {
  it('signs a request the server accepts', async () => {
    const real = await startTestBackend();
    const pem = path.join(os.tmpdir(), `bourse-example-${process.pid}.pem`);
    try {
      const url = await real.listen();
      await createOwner(real);
      const k = await createApiKey(real, await createUser(real, 'trader'));
      fs.writeFileSync(pem, k.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
      const run = (...args: string[]) =>
        new Promise<string>((resolve) => {
          const child = spawn(process.execPath, ['examples/signed-request.mjs', ...args], {
            env: {
              ...process.env,
              BOURSE_URL: url,
              BOURSE_KEY: k.id,
              BOURSE_PRIVATE_KEY_FILE: pem,
            },
          });
          let out = '';
          child.stdout.on('data', (d) => (out += String(d)));
          child.once('exit', () => resolve(out));
        });
      expect(await run('GET', '/api/v1/notifications?limit=5&unreadOnly=true')).toMatch(/^200 /);
      expect(await run('POST', '/api/v1/notifications/read', '{"ids":[1]}')).toMatch(/^200 /);
    } finally {
      fs.rmSync(pem, { force: true });
      await real.cleanup();
    }
  });
});
