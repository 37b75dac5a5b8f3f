/**
 * Open WebSocket connections are bounded per client address and in all (docs/security.md,
 * "WebSocket limits"). The request budget counts upgrade attempts only; without this bound one
 * caller could keep thousands of sockets open — file descriptors the database and every other
 * client need.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_CLOSE } from '../../src-shared/contract';
import { WS_MESSAGE_BURST } from '../../src-main/transports/message-budget';
import { startTestBackend, type TestBackend } from '../helpers/backend';

/** Polls `cond` until it holds; fails after 5 s. */
async function until(cond: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 5_000;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting for the server to count closes');
    await new Promise((r) => setTimeout(r, 5));
  }
}

let backend: TestBackend;
let base: string;
const open: WebSocket[] = [];

beforeAll(async () => {
  backend = await startTestBackend({ wsConnections: { perAddress: 3, total: 5 } });
  base = (await backend.listen()).replace('http', 'ws');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map(closed));
  await serverHolds(0);
});

/** Waits until the server counts `n` open connections (its socket closes after the client's). */
async function serverHolds(n: number): Promise<void> {
  const count = async () => (await backend.metrics.wsConnections.get()).values[0]?.value ?? 0;
  await until(async () => (await count()) === n);
}
afterAll(() => backend.cleanup());

type Outcome =
  | { ok: true; ws: WebSocket }
  | { ok: false; status: number; type: string; body: Record<string, unknown> };

/** Opens a connection from `from` (a loopback address): the socket, or the refusal in full. */
function connect(path: string, from = '127.0.0.1'): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base}${path}`, { localAddress: from });
    ws.once('open', () => {
      open.push(ws);
      resolve({ ok: true, ws });
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () =>
        resolve({
          ok: false,
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          body: JSON.parse(text) as Record<string, unknown>,
        }),
      );
    });
    ws.once('error', (e) => {
      if (!/Unexpected server response/.test(e.message)) reject(e);
    });
  });
}

function closed(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
    ws.close();
  });
}

describe('open WebSocket connections per address and in all', () => {
  it('refuses the upgrade past the per-address limit with a 429 problem, before the handshake', async () => {
    for (let i = 0; i < 3; i++) expect((await connect('/ws')).ok).toBe(true);
    const refused = await connect('/ws');
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.status).toBe(429);
    expect(refused.type).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      code: 'too_many_connections',
      details: { limit: 3, scope: 'address' },
    });
    expect(String(refused.body.detail)).toMatch(/already holds 3 open WebSocket connections/);
  });

  it('counts every door that upgrades against the same allowance', async () => {
    expect((await connect('/ws')).ok).toBe(true);
    expect((await connect('/binance/ws')).ok).toBe(true);
    expect((await connect('/binance/ws-api/v3')).ok).toBe(true);
    for (const path of [
      '/ws',
      '/binance/ws/btcusdt@trade',
      '/binance/stream',
      '/binance/ws-api/v3',
    ]) {
      const r = await connect(path);
      expect(r.ok ? 'accepted' : r.body.code, path).toBe('too_many_connections');
    }
  });

  it('gives the slot back when a connection closes, and a refused upgrade holds none', async () => {
    const [a] = await Promise.all([connect('/ws'), connect('/ws'), connect('/ws')]);
    for (let i = 0; i < 5; i++) expect((await connect('/ws')).ok).toBe(false);
    if (!a.ok) throw new Error('expected the first connection to open');
    await closed(a.ws);
    await serverHolds(2);
    expect((await connect('/ws')).ok).toBe(true);
    // Full again: the refusals above left nothing counted, the closed one was returned once.
    expect((await connect('/ws')).ok).toBe(false);
  });

  it('counts a burst of parallel upgrades one by one: no more than the limit get through', async () => {
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => connect('/ws')));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    expect(outcomes.filter((o) => !o.ok && o.status === 429)).toHaveLength(7);
  });

  it('keeps one address at its limit from affecting another, up to the server-wide limit', async () => {
    for (let i = 0; i < 3; i++) expect((await connect('/ws', '127.0.0.1')).ok).toBe(true);
    expect((await connect('/ws', '127.0.0.2')).ok).toBe(true);
    expect((await connect('/ws', '127.0.0.3')).ok).toBe(true);
    const refused = await connect('/ws', '127.0.0.4');
    expect(refused.ok ? 'accepted' : refused.body.details).toEqual({ limit: 5, scope: 'server' });
  });

  it('leaves plain HTTP requests alone while an address is at its limit', async () => {
    for (let i = 0; i < 3; i++) expect((await connect('/ws')).ok).toBe(true);
    expect((await connect('/ws')).ok).toBe(false);
    const res = await fetch(`${base.replace('ws', 'http')}/api/v1/health`);
    expect(res.status).toBe(200);
  });
});

const MOST = WS_MESSAGE_BURST + 10;

describe('messages per WebSocket connection', () => {
  /**
   * Sends `n` messages at once; answers the close code and how many answers came first. The
   * budget refills 20 a second while the flood is sent, so a slow machine may answer a few
   * more than the burst: `MOST` allows for that (a flood costs the server at most this).
   */
  async function flood(path: string, n: number, message: string) {
    const r = await connect(path);
    if (!r.ok) throw new Error('expected the connection to open');
    let answers = 0;
    r.ws.on('message', () => answers++);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      r.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    for (let i = 0; i < n; i++) r.ws.send(message);
    return { ...(await closed), answers };
  }

  it('ends a /ws connection that floods it, before it checks the flood (4009)', async () => {
    // Each bogus token would cost a signature check: the 101st message is never parsed.
    const bogus = JSON.stringify({ op: 'auth', token: 'x'.repeat(200) });
    const end = await flood('/ws', 300, bogus);
    expect(end).toMatchObject({ code: WS_CLOSE.tooManyMessages, reason: 'too many messages' });
    expect(end.answers).toBeLessThanOrEqual(MOST);
  });

  it('ends a Binance stream or WebSocket API connection that floods it (1008)', async () => {
    const list = JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 1 });
    const streams = await flood('/binance/ws', 300, list);
    expect(streams).toMatchObject({ code: 1008, reason: 'too many messages' });
    expect(streams.answers).toBeLessThanOrEqual(MOST);
    const ping = JSON.stringify({ id: 1, method: 'ping' });
    const api = await flood('/binance/ws-api/v3', 300, ping);
    expect(api).toMatchObject({ code: 1008, reason: 'too many messages' });
    expect(api.answers).toBeLessThanOrEqual(MOST);
  });

  it('serves a burst of subscriptions, one message each, as a screen or a bot sends them', async () => {
    const r = await connect('/ws');
    if (!r.ok) throw new Error('expected the connection to open');
    const answers: unknown[] = [];
    r.ws.on('message', (d) => answers.push(JSON.parse(d.toString())));
    for (let i = 0; i < WS_MESSAGE_BURST; i++) r.ws.send(JSON.stringify({ op: 'ping' }));
    const end = Date.now() + 5_000;
    while (answers.length < WS_MESSAGE_BURST && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(answers).toHaveLength(WS_MESSAGE_BURST);
    expect(r.ws.readyState).toBe(WebSocket.OPEN);
  });
});
