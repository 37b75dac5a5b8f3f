import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_STREAMS_PER_CONNECTION, WS_CLOSE } from '../../src-shared/contract';
import { ACCESS_TTL_MS } from '../../src-main/features/identity/tokens';
import { StreamSocket } from '../../src-renderer/src/client/transport';
import { MAX_STREAMS as BINANCE_MAX_STREAMS } from '../../src-main/transports/binance/stream-connection';
import { createUser } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import { admin } from '../helpers/exchange';
import { openSocket, until } from '../helpers/ws-client';
import { sampleDepthDiff, sampleOrder, sampleTicker } from '../helpers/stream-payloads';

type Msg = Record<string, unknown>;

let backend: TestBackend;
let clock = Date.UTC(2026, 0, 5, 12, 0, 0);
let wsUrl: string;

beforeAll(async () => {
  backend = await startTestBackend({ now: () => clock });
  wsUrl = (await backend.listen()).replace('http', 'ws') + '/ws';
});
afterAll(() => backend.cleanup());

/** Sends a message and waits for the next answer of the given `op`s. */
async function ask(
  s: { ws: WebSocket; messages: Msg[] },
  msg: object,
  ops = ['subscribed', 'error'],
) {
  const seen = s.messages.length;
  s.ws.send(JSON.stringify(msg));
  await until(() => s.messages.slice(seen).some((m) => ops.includes(String(m.op))));
  return s.messages.slice(seen).find((m) => ops.includes(String(m.op)))!;
}

/** The close frame, or a failure when none comes within `ms` (a bound, not a timing check). */
const closeOf = (ws: WebSocket, ms = 5_000) =>
  new Promise<{ code: number; reason: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the connection was not closed')), ms);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });

/** Creates markets (`QAA/USDT`, `QAB/USDT`, …) until there are `n` of them; answers their symbols. */
async function ensureMarkets(n: number): Promise<string[]> {
  const symbols: string[] = [];
  for (let i = 0; i < n; i++) {
    const code = `Q${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`;
    const symbol = `${code}/USDT`;
    symbols.push(symbol);
    if (i < created) continue;
    await backend.invoke('admin.assets.create', { code, scale: 8, name: code }, admin());
    await backend.invoke(
      'admin.markets.create',
      {
        symbol,
        base: code,
        quote: 'USDT',
        tickSize: '0.01',
        lotSize: '0.01',
        minQty: '0.01',
        minNotional: '1',
        makerFeePpm: 500,
        takerFeePpm: 1000,
        status: 'trading',
        priceBandBps: 1000,
      },
      admin(),
    );
    created = i + 1;
  }
  return symbols;
}
let created = 0;

describe('/ws subscriptions', () => {
  it('refuses made-up streams and holds none of them', async () => {
    const s = await openSocket<Msg>(wsUrl);
    const madeUp = Array.from({ length: 100 }, (_, i) => `made-up-${i}`);
    for (const streams of [
      madeUp,
      ['depth:NOPE/USDT'],
      ['candles:BTC/USDT:7m'],
      ['tape:BTC/USDT:extra'],
      ['tickers', 'orders:x'],
    ]) {
      const answer = await ask(s, { op: 'subscribe', streams });
      expect([streams[0], answer.op, answer.code]).toEqual([streams[0], 'error', 'unknown_stream']);
    }
    const ok = await ask(s, {
      op: 'subscribe',
      streams: ['tickers', 'depth:BTC/USDT', 'tape:ETH/USDT', 'candles:BTC/USDT:1m'],
    });
    expect(ok.op).toBe('subscribed');
    // Nothing of the refused requests was kept: only the subscribed stream arrives.
    backend.hub.publish('depth:NOPE/USDT', sampleDepthDiff({ symbol: 'NOPE/USDT' }));
    backend.hub.publish('tickers', sampleTicker());
    await until(() => s.messages.some((m) => m.stream === 'tickers'));
    expect(s.messages.filter((m) => m.stream !== undefined).map((m) => m.stream)).toEqual([
      'tickers',
    ]);
    s.ws.close();
  });

  it(`caps a connection at ${MAX_STREAMS_PER_CONNECTION} streams with a clear error`, async () => {
    // Enough real markets that the cap, not the names, is what refuses.
    const perMarket = ['depth', 'tape', 'candles:1m', 'candles:5m', 'candles:15m', 'candles:1h'];
    const symbols = await ensureMarkets(Math.ceil((MAX_STREAMS_PER_CONNECTION + 1) / 6));
    const streams = symbols.flatMap((symbol) =>
      perMarket.map((kind) => {
        const [k, interval] = kind.split(':');
        return interval ? `${k}:${symbol}:${interval}` : `${k}:${symbol}`;
      }),
    );
    const s = await openSocket<Msg>(wsUrl);
    const allowed = streams.slice(0, MAX_STREAMS_PER_CONNECTION);
    for (let i = 0; i < allowed.length; i += 100) {
      const answer = await ask(s, { op: 'subscribe', streams: allowed.slice(i, i + 100) });
      expect(answer.op).toBe('subscribed');
    }
    const over = await ask(s, { op: 'subscribe', streams: [streams[MAX_STREAMS_PER_CONNECTION]] });
    expect(over).toMatchObject({ op: 'error', code: 'too_many_subscriptions' });
    // Re-subscribing held streams adds nothing; unsubscribing makes room.
    expect((await ask(s, { op: 'subscribe', streams: allowed.slice(0, 3) })).op).toBe('subscribed');
    await ask(s, { op: 'unsubscribe', streams: [allowed[0]] }, ['unsubscribed']);
    const room = await ask(s, { op: 'subscribe', streams: [streams[MAX_STREAMS_PER_CONNECTION]] });
    expect(room.op).toBe('subscribed');
    s.ws.close();
  });
});

describe('Binance-compatible streams', () => {
  const KINDS = [
    'trade',
    'aggTrade',
    'bookTicker',
    'ticker',
    'miniTicker',
    ...['1m', '5m', '15m', '1h', '4h', '1d'].map((i) => `kline_${i}`),
    ...['', '@100ms', '@1000ms'].flatMap((speed) => [5, 10, 20].map((l) => `depth${l}${speed}`)),
  ];

  it(`refuse made-up streams and cap a connection at ${BINANCE_MAX_STREAMS}`, async () => {
    const symbols = await ensureMarkets(Math.ceil((BINANCE_MAX_STREAMS + 1) / KINDS.length));
    const names = symbols.flatMap((sym) =>
      KINDS.map((k) => `${sym.replace('/', '').toLowerCase()}@${k}`),
    );
    const base = wsUrl.replace(/\/ws$/, '');
    const s = await openSocket<Msg>(`${base}/binance/ws`);
    const request = async (id: number, method: string, params: unknown[] = []) => {
      s.ws.send(JSON.stringify({ method, params, id }));
      await until(() => s.messages.some((m) => m.id === id));
      return s.messages.find((m) => m.id === id)!;
    };
    expect(await request(1, 'SUBSCRIBE', ['madeup@trade', 'btcusdt@nonsense'])).toMatchObject({
      code: 2,
    });
    expect(await request(2, 'LIST_SUBSCRIPTIONS')).toEqual({ result: [], id: 2 });
    const allowed = names.slice(0, BINANCE_MAX_STREAMS);
    expect(await request(3, 'SUBSCRIBE', allowed)).toEqual({ result: null, id: 3 });
    expect(await request(4, 'SUBSCRIBE', [names[BINANCE_MAX_STREAMS]])).toMatchObject({
      code: 4,
      msg: expect.stringContaining('Too many subscriptions'),
    });
    const list = await request(5, 'LIST_SUBSCRIPTIONS');
    expect((list.result as string[]).length).toBe(BINANCE_MAX_STREAMS);
    s.ws.close();
  });
});

describe('/ws sessions end with their token', () => {
  /** A socket authenticated with `token` and subscribed to the user's orders. */
  async function authed(token: string) {
    const s = await openSocket<Msg>(wsUrl);
    expect(await ask(s, { op: 'auth', token }, ['auth', 'error'])).toEqual({
      op: 'auth',
      ok: true,
    });
    expect((await ask(s, { op: 'subscribe', streams: ['orders'] })).op).toBe('subscribed');
    return s;
  }

  it('answers token_expired and closes when the next message comes after expiry', async () => {
    const session = await createUser(backend, 'trader');
    const s = await authed(session.accessToken);
    const closed = closeOf(s.ws);
    clock += ACCESS_TTL_MS + 1_000;
    const answer = await ask(s, { op: 'ping' }, ['pong', 'error']);
    expect(answer).toMatchObject({ op: 'error', code: 'token_expired' });
    expect(await closed).toEqual({ code: WS_CLOSE.tokenExpired, reason: 'token expired' });
  });

  it('closes an idle connection once its token has expired', async () => {
    const session = await createUser(backend, 'trader');
    const s = await authed(session.accessToken);
    const closed = closeOf(s.ws);
    clock += ACCESS_TTL_MS + 1_000;
    expect((await closed).code).toBe(WS_CLOSE.tokenExpired);
    expect(s.messages.at(-1)).toMatchObject({ op: 'error', code: 'token_expired' });
  });

  it('keeps a connection whose token was refreshed with a new auth', async () => {
    const session = await createUser(backend, 'trader');
    const s = await authed(session.accessToken);
    clock += ACCESS_TTL_MS - 60_000; // the renderer refreshes a minute before expiry
    const refreshed = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const next = refreshed.json<{ accessToken: string }>().accessToken;
    expect(await ask(s, { op: 'auth', token: next }, ['auth', 'error'])).toEqual({
      op: 'auth',
      ok: true,
    });
    clock += 120_000; // past the first token's expiry
    expect((await ask(s, { op: 'ping' }, ['pong', 'error'])).op).toBe('pong');
    const mine = sampleOrder({ clientOrderId: 'mine' });
    backend.hub.publish('orders', mine, { kind: 'user', userId: session.userId });
    await until(() => s.messages.some((m) => m.stream === 'orders'));
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
    s.ws.close();
  });

  it("the renderer's stream socket re-authenticates when the session refreshes", async () => {
    const session = await createUser(backend, 'trader');
    let raw: WebSocket | undefined;
    const frames: Msg[] = [];
    const socket = new StreamSocket(wsUrl, (url) => {
      raw = new WebSocket(url);
      raw.on('message', (d) => frames.push(JSON.parse(String(d)) as Msg));
      return raw as unknown as globalThis.WebSocket;
    });
    const received: unknown[] = [];
    socket.subscribe(['orders'], (m) => received.push(m.data), session.accessToken);
    await until(() => frames.some((m) => m.op === 'subscribed'));
    clock += ACCESS_TTL_MS - 60_000;
    const refreshed = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    socket.setToken(refreshed.json<{ accessToken: string }>().accessToken);
    await until(() => frames.filter((m) => m.op === 'auth').length === 2);
    clock += 120_000;
    const after = sampleOrder({ clientOrderId: 'after-refresh' });
    backend.hub.publish('orders', after, { kind: 'user', userId: session.userId });
    await until(() => received.length > 0);
    expect(received).toEqual([after]);
    expect(frames.some((m) => m.op === 'error')).toBe(false);
    raw?.close();
  });
});
