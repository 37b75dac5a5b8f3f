import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FUTURE_MS } from '../../src-main/features/identity/signing';
import { ReplayFloor } from '../../src-main/features/identity/replay-floor';
import {
  createApiKey,
  createUser,
  identityOf,
  signedHeaders,
  type TestApiKey,
} from '../helpers/auth';
import { startTestBackend, tempDataDir, type TestBackend } from '../helpers/backend';

const MARK = '/api/v1/notifications/read';
const BODY = JSON.stringify({ ids: [1] });
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

let dataDir: string;
let clock = T0;
let backend: TestBackend;
let key: TestApiKey;
let other: TestApiKey;

const start = () => startTestBackend({ dataDir, now: () => clock });

/** A signed change (marking notifications read): the kind of request worth replaying. */
const signedMark = (k: TestApiKey, timestamp: number) =>
  signedHeaders(k, 'POST', MARK, BODY, { timestamp, recvWindow: 60_000 });

const send = (headers: Record<string, string>) =>
  backend.http.inject({
    method: 'POST',
    url: MARK,
    headers: { ...headers, 'content-type': 'application/json' },
    payload: BODY,
  });

const outcome = async (headers: Record<string, string>) => {
  const res = await send(headers);
  return res.statusCode === 200 ? 200 : `${res.statusCode} ${res.json<{ code: string }>().code}`;
};

/** Restarts the backend on the same data directory with the clock at `at`. */
async function restartAt(at: number, whileDown?: () => void): Promise<void> {
  await backend.close();
  whileDown?.();
  clock = at;
  backend = await start();
}

/** What a crash leaves: the last batch of marks never written, the run never marked stopped. */
function loseLastBatch(): void {
  const db = new Database(path.join(dataDir, 'bourse.sqlite'));
  try {
    db.prepare('UPDATE api_keys SET ts_last_signed = NULL').run();
    db.prepare("UPDATE app_meta SET value = '1' WHERE key = 'identity.replayFloor.running'").run();
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dataDir = tempDataDir('bourse-replay-');
  backend = await start();
  const trader = await createUser(backend, 'trader');
  key = await createApiKey(backend, trader, { scopes: ['read', 'trade'] });
  other = await createApiKey(backend, trader, { scopes: ['read', 'trade'] });
});
afterAll(async () => {
  await backend.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('signed requests across a restart', () => {
  it('refuses a request captured before a restart, within its window; a fresh one passes', async () => {
    clock = T0 + 1_000;
    const captured = signedMark(key, clock);
    expect(await outcome(captured)).toBe(200);
    expect(await outcome(captured)).toBe('401 replayed_request');

    await restartAt(T0 + 3_000); // still well inside the 60 s receive window
    expect(await outcome(captured)).toBe('401 replayed_request');
    expect(await outcome(signedMark(key, clock))).toBe(200);
  });

  it('refuses it by the persisted mark when the restart was quicker than the clock allowance', async () => {
    // Signed slightly ahead (allowed), and the backend is back before that moment: only the
    // key's persisted high-water mark knows the request was seen.
    const ahead = clock + MAX_FUTURE_MS - 100;
    const captured = signedMark(key, ahead);
    expect(await outcome(captured)).toBe(200);

    await restartAt(clock + 200);
    expect(ahead).toBeGreaterThan(clock);
    expect(await outcome(captured)).toBe('401 replayed_request');
    expect(await outcome(signedMark(key, ahead + 1))).toBe(200);
    // The mark is per key: another key's requests from after the start pass.
    expect(await outcome(signedMark(other, clock))).toBe(200);
  });

  it('refuses it when the clock stepped back across the restart', async () => {
    const seen = clock + 10;
    clock = seen;
    const captured = signedMark(other, seen);
    expect(await outcome(captured)).toBe(200);
    await restartAt(seen - 500);
    expect(await outcome(captured)).toBe('401 replayed_request');
    // The cost of a high-water mark: until the clock is back past it, the key's requests are
    // refused too (docs: keep the server's clock synchronised).
    expect(await outcome(signedMark(other, clock))).toBe('401 replayed_request');
    clock = seen + 1;
    expect(await outcome(signedMark(other, clock))).toBe(200);
  });
});

describe('signed requests across a crash', () => {
  it('refuses a request signed ahead whose mark was lost, by starting the floor that far ahead', async () => {
    clock += 10_000;
    const ahead = clock + MAX_FUTURE_MS - 100;
    const captured = signedMark(key, ahead);
    expect(await outcome(captured)).toBe(200);

    await restartAt(clock + 200, loseLastBatch);
    expect(ahead).toBeGreaterThan(clock);
    expect(await outcome(captured)).toBe('401 replayed_request');
    expect(await outcome(signedMark(key, clock))).toBe('401 replayed_request');
    clock += MAX_FUTURE_MS;
    expect(await outcome(signedMark(key, clock))).toBe(200);
  });

  it('starts without that delay after a clean stop', async () => {
    await restartAt(clock + 5_000);
    expect(await outcome(signedMark(key, clock))).toBe(200);
  });
});

describe('the replay floor', () => {
  it('writes marks in batches, not on the signature-check path', async () => {
    const floor = identityOf(backend).replayFloor;
    floor.stop(); // no timer during this check: the flush below is the only write
    const ts = clock + 10_000;
    clock = ts;
    const markOf = () =>
      (
        backend.store.sqlite
          .prepare('SELECT ts_last_signed AS ts FROM api_keys WHERE id = ?')
          .get(key.id) as { ts: number | null }
      ).ts;
    const before = markOf();
    expect(await outcome(signedMark(key, ts))).toBe(200);
    expect(markOf()).toBe(before);
    floor.flush();
    expect(markOf()).toBe(ts);
  });

  it('refuses what is older than the start even for a key without a mark', () => {
    const startedAt = clock + 60_000;
    // As after a clean stop (a crash would move the floor ahead, tested above).
    backend.store.sqlite
      .prepare("UPDATE app_meta SET value = '0' WHERE key = 'identity.replayFloor.running'")
      .run();
    const floor = new ReplayFloor(backend.store, () => startedAt);
    expect(floor.floor).toBe(startedAt);
    expect(() => floor.check('ak_without_mark', startedAt - 1)).toThrow(
      expect.objectContaining({ code: 'replayed_request', status: 401 }),
    );
    expect(() => floor.check('ak_without_mark', startedAt)).not.toThrow();
  });
});
