// Binance-compatible market streams (/binance/ws, /binance/stream), driven as Binance's spot
// WebSocket streams documentation describes: raw and combined streams, live SUBSCRIBE /
// UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY, and Binance's payloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, limit, place } from '../../helpers/exchange';
import { openSocket, until } from '../../helpers/ws-client';

let backend: TestBackend;
let base: string;
beforeAll(async () => {
  backend = await startTestBackend();
  base = (await backend.listen()).replace('http', 'ws');
  await fund(backend, 'alice', 'BTC', '10');
  await fund(backend, 'bob', 'USDT', '1000000');
});
afterAll(async () => backend.cleanup());

type Msg = Record<string, unknown>;

const open = (path: string, headers: Record<string, string> = {}) =>
  openSocket<Msg>(`${base}${path}`, headers);
const settle = () => new Promise((r) => setTimeout(r, 100));
const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((r) =>
    ws.once('close', (code, reason) => r({ code, reason: reason.toString() })),
  );

/** A resting ask from alice and bob's buy that takes it: one trade of 0.0100 at `price`. */
async function trade(price: string): Promise<void> {
  await place(backend, 'alice', limit('sell', price, '0.0100'));
  await place(backend, 'bob', limit('buy', price, '0.0100'));
}

describe('Binance-compatible market streams', () => {
  it('serves a raw trade stream with Binance’s trade payload', async () => {
    const { ws, messages } = await open('/binance/ws/btcusdt@trade');
    await settle(); // the URL's subscription is in place
    await trade('30000.00');
    await until(() => messages.length === 1);
    const [t] = messages;
    expect(t).toEqual({
      e: 'trade',
      E: expect.any(Number),
      s: 'BTCUSDT',
      t: expect.any(Number),
      p: '30000.00',
      q: '0.0100',
      T: expect.any(Number),
      m: false, // the taker bought: the buyer was not the maker
      M: true,
    });
    ws.close();
  });

  it('wraps combined streams and sends the current book at once, then when it changes', async () => {
    const { ws, messages } = await open(
      '/binance/stream?streams=btcusdt@aggTrade/btcusdt@depth5@100ms',
    );
    await until(() => messages.length === 1);
    expect(messages[0]).toEqual({
      stream: 'btcusdt@depth5@100ms',
      data: { lastUpdateId: expect.any(Number), bids: [], asks: [] },
    });
    await place(backend, 'alice', limit('sell', '30100.00', '0.0200'));
    await until(() => messages.length === 2);
    expect(messages[1]).toMatchObject({
      stream: 'btcusdt@depth5@100ms',
      data: { bids: [], asks: [['30100.00', '0.0200']] },
    });
    const firstId = (messages[0]?.data as Msg).lastUpdateId as number;
    expect((messages[1]?.data as Msg).lastUpdateId).toBeGreaterThan(firstId);
    await place(backend, 'bob', limit('buy', '30100.00', '0.0200'));
    await until(() => messages.some((m) => m.stream === 'btcusdt@aggTrade'));
    await until(() => messages.length === 4);
    const agg = messages.find((m) => m.stream === 'btcusdt@aggTrade')?.data as Msg;
    expect(agg).toMatchObject({
      e: 'aggTrade',
      s: 'BTCUSDT',
      p: '30100.00',
      q: '0.0200',
      m: false,
    });
    expect(agg.f).toBe(agg.a);
    expect(agg.l).toBe(agg.a);
    expect(messages.at(-1)).toMatchObject({
      stream: 'btcusdt@depth5@100ms',
      data: { bids: [], asks: [] },
    });
    ws.close();
  });

  it('answers live requests as Binance does', async () => {
    const { ws, messages } = await open('/binance/ws');
    const ask = async (req: Msg) => {
      const n = messages.length;
      ws.send(JSON.stringify(req));
      await until(() => messages.some((m, i) => i >= n && m.id === req.id));
      return messages.find((m, i) => i >= n && m.id === req.id);
    };
    expect(
      await ask({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m', 'btcusdt@bookTicker'], id: 1 }),
    ).toEqual({ result: null, id: 1 });
    // The answer first, as Binance sends it, then the book ticker's current state.
    await until(() => messages.length === 2);
    expect(messages).toEqual([
      { result: null, id: 1 },
      { u: expect.any(Number), s: 'BTCUSDT', b: '0', B: '0', a: '0', A: '0' },
    ]);
    expect(await ask({ method: 'LIST_SUBSCRIPTIONS', id: 2 })).toEqual({
      result: ['btcusdt@kline_1m', 'btcusdt@bookTicker'],
      id: 2,
    });
    expect(await ask({ method: 'GET_PROPERTY', params: ['combined'], id: 3 })).toEqual({
      result: false,
      id: 3,
    });
    expect(await ask({ method: 'SET_PROPERTY', params: ['combined', true], id: 'x4' })).toEqual({
      result: null,
      id: 'x4',
    });
    expect(await ask({ method: 'UNSUBSCRIBE', params: ['btcusdt@bookTicker'], id: 5 })).toEqual({
      result: null,
      id: 5,
    });
    const before = messages.length;
    await trade('30200.00');
    await until(() => messages.length > before);
    await settle();
    const after = messages.slice(before);
    expect(after.every((m) => m.stream === 'btcusdt@kline_1m')).toBe(true);
    const k = (after.at(-1)?.data as Msg).k as Msg;
    expect(after.at(-1)?.data).toMatchObject({ e: 'kline', s: 'BTCUSDT' });
    expect(k).toMatchObject({
      s: 'BTCUSDT',
      i: '1m',
      c: '30200.00',
      V: '0',
      Q: '0',
      B: '0',
    });
    expect(typeof k.x).toBe('boolean'); // false unless the minute ended in between (unit-tested)
    expect((k.T as number) - (k.t as number)).toBe(59_999);
    expect(Number(k.n)).toBeGreaterThanOrEqual(1);
    ws.close();
  });

  it('pushes the 24 h ticker and mini ticker of the subscribed market', async () => {
    const { ws, messages } = await open(
      '/binance/stream?streams=btcusdt@miniTicker/btcusdt@ticker',
    );
    await settle();
    await trade('30300.00');
    // The resting ask moved the best prices (a ticker push too); the trade's push comes last.
    const last = (stream: string) =>
      messages.filter((m) => m.stream === stream).at(-1)?.data as Msg;
    await until(() => last('btcusdt@ticker')?.c === '30300.00');
    await until(() => last('btcusdt@miniTicker')?.c === '30300.00');
    const mini = last('btcusdt@miniTicker');
    expect(mini).toMatchObject({ e: '24hrMiniTicker', s: 'BTCUSDT', c: '30300.00' });
    const full = last('btcusdt@ticker');
    expect(full).toMatchObject({ e: '24hrTicker', s: 'BTCUSDT', c: '30300.00', h: '30300.00' });
    expect(Object.keys(full).sort()).toEqual(
      [
        'e',
        'E',
        's',
        'p',
        'P',
        'w',
        'x',
        'c',
        'Q',
        'b',
        'B',
        'a',
        'A',
        'o',
        'h',
        'l',
        'v',
        'q',
        'O',
        'C',
        'F',
        'L',
        'n',
      ].sort(),
    );
    ws.close();
  });

  it('pushes every market’s tickers on the all-market streams, as arrays', async () => {
    const { ws, messages } = await open('/binance/stream?streams=!miniTicker@arr/!ticker@arr');
    await settle();
    await trade('30400.00');
    const last = (stream: string) =>
      messages.filter((m) => m.stream === stream).at(-1)?.data as Msg[] | undefined;
    const btc = (stream: string) => last(stream)?.find((t) => t.s === 'BTCUSDT');
    await until(() => btc('!ticker@arr')?.c === '30400.00');
    await until(() => btc('!miniTicker@arr')?.c === '30400.00');
    expect(btc('!ticker@arr')).toMatchObject({ e: '24hrTicker', c: '30400.00' });
    expect(btc('!miniTicker@arr')).toMatchObject({ e: '24hrMiniTicker', c: '30400.00' });
    ws.close();
  });

  it('refuses bad requests with Binance’s codes and subscribes all or nothing', async () => {
    const { ws, messages } = await open('/binance/ws');
    const sendRaw = async (text: string) => {
      const n = messages.length;
      ws.send(text);
      await until(() => messages.length > n);
      return messages.at(-1);
    };
    expect(await sendRaw('not json')).toMatchObject({ code: 3, id: null });
    expect(await sendRaw(JSON.stringify({ method: 'DANCE', id: 7 }))).toMatchObject({
      code: 2,
      msg: expect.stringMatching(/^Invalid request: unknown variant DANCE/),
      id: 7,
    });
    expect(await sendRaw(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: -1.5 }))).toMatchObject(
      {
        code: 2,
        msg: 'Invalid request: request ID must be an unsigned integer',
      },
    );
    expect(
      await sendRaw(
        JSON.stringify({
          method: 'SUBSCRIBE',
          params: ['btcusdt@trade', 'btcusdt@depth15'],
          id: 8,
        }),
      ),
    ).toMatchObject({ code: 2, msg: expect.stringContaining('partial depth'), id: 8 });
    expect(
      await sendRaw(JSON.stringify({ method: 'SUBSCRIBE', params: ['dogeusdt@trade'], id: 9 })),
    ).toMatchObject({ code: 2, msg: expect.stringContaining('no market DOGEUSDT'), id: 9 });
    expect(
      await sendRaw(JSON.stringify({ method: 'SUBSCRIBE', params: ['BTCUSDT@trade'], id: 10 })),
    ).toMatchObject({ code: 2, id: 10 });
    expect(
      await sendRaw(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@kline_2m'], id: 11 })),
    ).toMatchObject({ code: 2, msg: expect.stringContaining('interval'), id: 11 });
    expect(await sendRaw(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 12 }))).toEqual({
      result: [],
      id: 12,
    });
    expect(
      await sendRaw(
        JSON.stringify({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 13 }),
      ),
    ).toEqual({ code: 1, msg: 'Invalid value type: expected Boolean', id: 13 });
    expect(
      await sendRaw(JSON.stringify({ method: 'GET_PROPERTY', params: ['colour'], id: 14 })),
    ).toEqual({
      code: 0,
      msg: 'Unknown property',
      id: 14,
    });
    ws.close();
  });

  it('keeps a bare connection opened at /ws/<connection id> (as CCXT Pro does) for SUBSCRIBE', async () => {
    const { ws, messages } = await open('/binance/ws/0');
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 1 }));
    await until(() => messages.length === 1);
    expect(messages[0]).toEqual({ result: null, id: 1 });
    await trade('30050.00');
    await until(() => messages.length === 2);
    expect(messages[1]).toMatchObject({ e: 'trade', s: 'BTCUSDT', p: '30050.00' });
    // The SUBSCRIBE payload is still checked: an unknown stream is refused, nothing subscribed.
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@nonsense'], id: 2 }));
    await until(() => messages.length === 3);
    expect(messages[2]).toMatchObject({ code: 2, id: 2 });
    ws.close();
  });

  it('closes a connection whose URL names a stream it does not serve, or from a foreign origin', async () => {
    const bad = await open('/binance/ws/btcusdt@depth15');
    expect(await closed(bad.ws)).toMatchObject({
      code: 1008,
      reason: expect.stringContaining('partial depth'),
    });
    const foreign = await open('/binance/ws/btcusdt@trade', { origin: 'https://evil.example' });
    expect((await closed(foreign.ws)).code).toBe(4003);
  });
});
