import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src-main/operations/principal';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import { createUser } from '../helpers/auth';
import { setUpTrading, type TradingSetup } from '../integration/automation/setup';

/**
 * Issue #22: a refused webhook delivery with a made-up token was stored with its body
 * forever, and the limiter was keyed on an unverified header. Junk is now counted, not
 * stored, and the receiver's limit keys on the verified token else the client address.
 */

const ALLOWANCE = 60; // the default per-address allowance per minute
const MAX = 16 * 1024; // WEBHOOK_MAX_BYTES

let backend: TestBackend;
let t: TradingSetup;
let admin: Principal;
let clock = 0;

beforeEach(async () => {
  clock = Date.UTC(2026, 0, 5, 10, 0, 5);
  backend = await startTestBackend({ now: () => clock });
  const user = await createUser(backend, 'trader');
  t = await setUpTrading(backend, user.userId);
  admin = {
    kind: 'user',
    userId: 'admin-1',
    role: 'owner',
    permissions: new Set(['admin.system']),
  };
});
afterEach(async () => {
  await backend.cleanup();
});

/** Deterministic randomness: the same junk on every run. */
function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s % n;
  };
}
const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789{}":, =é€𝄞\n';

interface Junk {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** One piece of junk: a made-up token in one of the three places, a random body, random headers. */
function junk(rnd: (n: number) => number, i: number): Junk {
  const word = (n: number) => Array.from({ length: n }, () => CHARS[rnd(CHARS.length)]).join('');
  // Mostly within the 16 KB limit, some over it (refused as too large), none over Fastify's cut.
  const size = i % 10 === 9 ? MAX + 1 + rnd(4 * MAX) : rnd(MAX);
  let body = word(size);
  const headers: Record<string, string> = {
    'content-type': i % 7 === 6 ? 'application/x-www-form-urlencoded' : 'application/json',
    'x-bourse-key': word(20),
    'x-forwarded-for': `10.${rnd(256)}.${rnd(256)}.${rnd(256)}`,
    'x-correlation-id': `junk-${i}-${word(8).replace(/[^a-z0-9]/g, 'x')}`,
  };
  const token = `tok${i}${word(24).replace(/[^a-z0-9]/g, 'x')}`;
  let url = `/hooks/tv/${token}`;
  if (i % 4 === 1) {
    url = '/hooks/tv';
    body = JSON.stringify({ token, ticker: 'BTCUSDT', action: 'buy', pad: body.slice(0, MAX / 2) });
  } else if (i % 4 === 2) {
    url = '/api/unify/v1/webhook/local';
    headers.authorization = `Bearer ${token}`;
  } else if (i % 4 === 3) {
    url = '/hooks/tv'; // no token at all
  }
  return { url, body, headers };
}

const send = (j: Junk, remoteAddress: string) =>
  backend.http.inject({
    method: 'POST',
    url: j.url,
    payload: j.body,
    headers: j.headers,
    remoteAddress,
  });

const hook = (token: string, payload: string, remoteAddress = '127.0.0.1', headers = {}) =>
  backend.http.inject({
    method: 'POST',
    url: `/hooks/tv/${token}`,
    payload,
    headers: { 'content-type': 'application/json', ...headers },
    remoteAddress,
  });
const buy = (id: string) =>
  JSON.stringify({ ticker: 'BTCUSDT', action: 'buy', quantity: '0.01', id });

/** Row count of every table, and the database's size in pages once the WAL is folded in. */
function snapshot() {
  const db = backend.store.sqlite;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as Array<{ name: string }>;
  const rows: Record<string, number> = {};
  for (const { name } of tables) {
    rows[name] = (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
  }
  return { rows, pages: db.pragma('page_count', { simple: true }) as number };
}

describe('a flood of junk deliveries', () => {
  it('does not grow the database: counted per address, bodies dropped, nothing else written', async () => {
    const before = snapshot();
    const rnd = prng(22);
    const addresses = ['198.51.100.7', '198.51.100.8', '203.0.113.9', '2001:db8:1:2::5'];
    let bytes = 0;
    let i = 0;
    for (const address of addresses) {
      for (let n = 0; n < ALLOWANCE; n++, i++) {
        const j = junk(rnd, i);
        bytes += Buffer.byteLength(j.body);
        const res = await send(j, address);
        expect([401, 413, 415], res.body).toContain(res.statusCode);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().details?.logId).toBeUndefined(); // nothing was logged
      }
    }
    expect(bytes).toBeGreaterThan(1_500_000); // the burst carried megabytes of bodies

    const after = snapshot();
    // One counter row per address (all in one hour); every other table exactly as before.
    // job_runs is left out: the scheduler's real-time crons may record a run meanwhile.
    const changed = Object.keys(after.rows).filter(
      (name) => name !== 'job_runs' && after.rows[name] !== before.rows[name],
    );
    expect(changed).toEqual(['automation_webhook_refusals']);
    expect(after.rows.automation_webhook_refusals).toBe(addresses.length);
    // A new table's first pages (table + index), not megabytes: the old code added ~500 pages.
    expect(after.pages - before.pages).toBeLessThanOrEqual(6);

    const seen = (await backend.invoke('automation.refusals.list', {}, admin)) as {
      items: Array<{ address: string; count: number; bytes: number; tokenHint: string | null }>;
      totals: { deliveries: number; addresses: number };
    };
    expect(seen.totals).toEqual({ deliveries: ALLOWANCE * addresses.length, addresses: 4 });
    expect(seen.items.map((r) => r.address).sort()).toEqual([
      '198.51.100.7',
      '198.51.100.8',
      '2001:db8:1:2::/64',
      '203.0.113.9',
    ]);
    expect(seen.items.reduce((n, r) => n + r.bytes, 0)).toBe(bytes);
    for (const r of seen.items) expect(r.tokenHint ?? '').toMatch(/^([0-9a-f]{8})?$/);
    const metrics = await backend.metrics.registry.metrics();
    expect(metrics).toMatch(/bourse_webhook_refused_total\{reason="webhook_token_invalid"\} \d+/);

    // The flooded addresses are out of allowance, yet the account's own token still works.
    const ok = await hook(t.token, buy('after-flood'), addresses[0]);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('accepted');
    const log = backend.store.sqlite
      .prepare('SELECT status, user_id AS userId FROM automation_webhook_log WHERE id = ?')
      .get(ok.json().logId);
    expect(log).toEqual({ status: 'accepted', userId: t.userId });
  });

  it('answers 429 past the address allowance whatever headers or tokens it varies', async () => {
    const rnd = prng(7);
    const codes: number[] = [];
    for (let i = 0; i < ALLOWANCE + 15; i++) {
      const j = junk(rnd, i * 4); // always a made-up token in the path
      j.body = '{}';
      j.headers['content-type'] = 'application/json';
      codes.push((await send(j, '198.51.100.20')).statusCode);
    }
    expect(codes.slice(0, ALLOWANCE).every((c) => c === 401)).toBe(true);
    expect(codes.slice(ALLOWANCE)).toEqual(Array(15).fill(429));
    const limited = await send(junk(rnd, 0), '198.51.100.20');
    expect(limited.json()).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBe(55); // the clock is 5 s into its minute
    // Past the limit nothing more is counted in the database, only in the metric.
    const { totals } = (await backend.invoke('automation.refusals.list', {}, admin)) as {
      totals: { deliveries: number };
    };
    expect(totals.deliveries).toBe(ALLOWANCE);

    // Another IPv6 address of the same /64 shares the allowance; another address has its own.
    for (let i = 0; i < ALLOWANCE; i++) await send(junk(rnd, i * 4), '2001:db8:aa:bb::1');
    expect((await send(junk(rnd, 4), '2001:db8:aa:bb:ffff::2')).statusCode).toBe(429);
    expect((await send(junk(rnd, 4), '198.51.100.21')).statusCode).toBe(401);

    // The allowance comes back with the next minute.
    clock += 60_000;
    expect((await send(junk(rnd, 4), '198.51.100.20')).statusCode).toBe(401);
  });

  it('limits a verified token on its own allowance and logs only its first refusal', async () => {
    const small = await startTestBackend({
      now: () => clock,
      webhookRatePerMinute: { token: 5, address: 2 },
    });
    try {
      const user = await createUser(small, 'trader');
      const s = await setUpTrading(small, user.userId);
      const at = (token: string, id: string, address: string) =>
        small.http.inject({
          method: 'POST',
          url: `/hooks/tv/${token}`,
          payload: buy(id),
          headers: { 'content-type': 'application/json' },
          remoteAddress: address,
        });
      const codes: number[] = [];
      // Spread over addresses (TradingView's are shared): the token, not the address, counts.
      for (let i = 0; i < 9; i++)
        codes.push((await at(s.token, `v${i}`, `52.89.214.${i}`)).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429]);
      // The second account of the same user is counted apart.
      expect((await at(s.secondToken, 'w1', '52.89.214.1')).statusCode).toBe(200);
      const rows = small.store.sqlite
        .prepare(
          "SELECT count(*) AS n FROM automation_webhook_log WHERE error_code = 'rate_limited'",
        )
        .get() as { n: number };
      expect(rows.n).toBe(1);
    } finally {
      await small.cleanup();
    }
  });

  it('stores at most 16 KB of a body, cut on a character boundary', async () => {
    const pad = '€'.repeat(6000); // 18,000 bytes in 6,000 characters
    const body = JSON.stringify({ ticker: 'BTCUSDT', action: 'buy', quantity: '0.01', pad });
    const res = await hook(t.token, body);
    expect(res.statusCode).toBe(413);
    const row = backend.store.sqlite
      .prepare('SELECT raw_body AS raw FROM automation_webhook_log WHERE id = ?')
      .get(res.json().details.logId) as { raw: string };
    expect(Buffer.byteLength(row.raw)).toBeLessThanOrEqual(MAX);
    expect(Buffer.byteLength(row.raw)).toBeGreaterThan(MAX - 3);
    expect(row.raw).not.toContain('\uFFFD');
  });
});
