import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import {
  ClientDepthBook,
  type DepthMessage,
} from '../../../src-renderer/src/screens/trade/depth-book';
import { ANONYMOUS } from '../../../src-main/operations/principal';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import { fund, place } from '../../helpers/exchange';
import { openSocket, until } from '../../helpers/ws-client';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 30);
let clock = T0;
let backend: TestBackend;
let wsBase = '';
const dataDir = tempDataDir();

beforeAll(async () => {
  backend = await startTestBackend({ dataDir, now: () => clock });
  wsBase = (await backend.listen()).replace('http', 'ws');
  for (const u of ['maker', 'taker']) {
    await fund(backend, u, 'USDT', '1000000');
    await fund(backend, u, 'BTC', '100');
  }
});
afterAll(async () => {
  await backend.cleanup();
});

const call = <T>(name: string, input: Record<string, unknown>) =>
  backend.invoke(name, input, ANONYMOUS) as Promise<T>;

interface Frame {
  op?: string;
  stream?: string;
  seq?: number;
  data?: unknown;
}

async function open(): Promise<{ ws: WebSocket; frames: Frame[] }> {
  const { ws, messages } = await openSocket<Frame>(`${wsBase}/ws`);
  return { ws, frames: messages };
}

const limit = (side: 'buy' | 'sell', price: string, qty: string) => ({
  symbol: 'BTC/USDT',
  side,
  type: 'limit',
  price,
  qty,
});

describe('market data operations', () => {
  it('derives depth, trades, candles and tickers from the engine', async () => {
    await place(backend, 'maker', limit('sell', '65010', '0.5'));
    await place(backend, 'maker', limit('sell', '65010', '0.25'));
    await place(backend, 'maker', limit('sell', '65020', '1'));
    await place(backend, 'maker', limit('buy', '64990', '0.4'));
    const depth = await call<{ seq: number; bids: string[][]; asks: string[][] }>(
      'marketData.depth',
      { symbol: 'BTC/USDT', depth: 1 },
    );
    expect(depth.asks).toEqual([['65010.00', '0.7500']]);
    expect(depth.bids).toEqual([['64990.00', '0.4000']]);
    expect(depth.seq).toBeGreaterThan(1);

    await place(backend, 'taker', { symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.6' });
    clock += 60_000;
    await place(backend, 'taker', limit('sell', '64990', '0.1'));

    const trades = await call<{ items: Array<Record<string, unknown>> }>('marketData.trades', {
      symbol: 'BTC/USDT',
    });
    expect(trades.items.map((t) => [t.price, t.qty, t.takerSide])).toEqual([
      ['64990.00', '0.1000', 'sell'],
      ['65010.00', '0.1000', 'buy'],
      ['65010.00', '0.5000', 'buy'],
    ]);
    const m1 = await call<{ items: Array<Record<string, unknown>> }>('marketData.candles', {
      symbol: 'BTC/USDT',
      interval: '1m',
    });
    expect(m1.items).toEqual([
      {
        openTime: Date.UTC(2026, 0, 5, 10, 0),
        open: '65010.00',
        high: '65010.00',
        low: '65010.00',
        close: '65010.00',
        volume: '0.6000',
        quoteVolume: '39006.000000',
        trades: 2,
      },
      expect.objectContaining({ openTime: Date.UTC(2026, 0, 5, 10, 1), close: '64990.00' }),
    ]);
    const h1 = await call<{ items: Array<Record<string, unknown>> }>('marketData.candles', {
      symbol: 'BTC/USDT',
      interval: '1h',
    });
    expect(h1.items).toEqual([
      expect.objectContaining({ open: '65010.00', low: '64990.00', close: '64990.00', trades: 3 }),
    ]);
    const ranged = await call<{ items: unknown[] }>('marketData.candles', {
      symbol: 'BTC/USDT',
      interval: '1m',
      from: Date.UTC(2026, 0, 5, 10, 1),
    });
    expect(ranged.items).toHaveLength(1);
    const tickers = await call<{ items: Array<Record<string, unknown>> }>('marketData.tickers', {
      symbol: 'BTC/USDT',
    });
    expect(tickers.items[0]).toMatchObject({
      symbol: 'BTC/USDT',
      open: '65010.00',
      last: '64990.00',
      change: '-20.00',
      changePercent: '-0.03',
      volume: '0.7000',
      trades: 3,
      bestBid: '64990.00',
      bestAsk: '65010.00',
    });
  });

  it('answers unknown markets with unknown_market', async () => {
    await expect(call('marketData.depth', { symbol: 'NOPE/USDT' })).rejects.toMatchObject({
      code: 'unknown_market',
    });
  });

  it('serves the reads over REST without signing in', async () => {
    const res = await backend.http.inject({
      method: 'GET',
      url: '/api/v1/market-data/candles?symbol=BTC/USDT&interval=5m&limit=10',
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: unknown[] }).items).toHaveLength(1);
  });
});

describe('market data streams', () => {
  it('streams depth diffs in sequence; a dropped diff is detected and resynced', async () => {
    const { ws, frames } = await open();
    ws.send(
      JSON.stringify({
        op: 'subscribe',
        streams: ['depth:BTC/USDT', 'tape:BTC/USDT', 'candles:BTC/USDT:1m', 'tickers'],
      }),
    );
    await until(() => frames.some((f) => f.op === 'subscribed'));
    const book = new ClientDepthBook();
    const snapshot = () => call<DepthMessage>('marketData.depth', { symbol: 'BTC/USDT' });
    book.applySnapshot(await snapshot());

    const diffs = () => frames.filter((f) => f.stream === 'depth:BTC/USDT');
    await place(backend, 'maker', limit('buy', '64980', '1'));
    await place(backend, 'maker', limit('buy', '64970', '2'));
    await place(backend, 'maker', limit('sell', '65030', '3'));
    await until(() => diffs().length === 3);
    const [d1, d2, d3] = diffs().map((f) => f.data as DepthMessage);
    expect(d2!.seq).toBe(d1!.seq + 1);
    expect(d3!.seq).toBe(d2!.seq + 1);
    expect(d2!.bids).toEqual([['64970.00', '2.0000']]);

    // The client applies the first diff, "loses" the second, then receives the third.
    expect(book.onDiff(d1!)).toBe('applied');
    expect(book.onDiff(d3!)).toBe('gap');
    expect(book.needsSnapshot).toBe(true);
    // Resync: fetch a snapshot; buffered diffs it already contains are skipped.
    book.applySnapshot(await snapshot());
    expect(book.needsSnapshot).toBe(false);
    const server = await snapshot();
    expect(book.levels('bids')).toEqual(server.bids);
    expect(book.levels('asks')).toEqual(server.asks);
    expect(book.levels('bids', 3).map((l) => l[0])).toEqual(['64990.00', '64980.00', '64970.00']);

    // A trade then moves the tape, the 1m candle and the ticker.
    await place(backend, 'taker', limit('sell', '64990', '0.05'));
    await until(() => frames.some((f) => f.stream === 'tape:BTC/USDT'));
    await until(() => frames.some((f) => f.stream === 'candles:BTC/USDT:1m'));
    expect(frames.find((f) => f.stream === 'tape:BTC/USDT')?.data).toMatchObject({
      price: '64990.00',
      qty: '0.0500',
      takerSide: 'sell',
    });
    expect(frames.find((f) => f.stream === 'candles:BTC/USDT:1m')?.data).toMatchObject({
      interval: '1m',
      candle: { close: '64990.00', trades: 2 },
    });
    const tickers = frames.filter((f) => f.stream === 'tickers');
    expect(tickers.at(-1)?.data).toMatchObject({ symbol: 'BTC/USDT', last: '64990.00' });
    // The diff of that trade follows the last one the client saw.
    await until(() => diffs().length === 4);
    expect(book.onDiff(diffs()[3]!.data as DepthMessage)).toBe('applied');
    const after = await snapshot();
    expect(book.levels('bids')).toEqual(after.bids);
    ws.close();
  });

  it('publishes each bar once per commit, as it stands after the last trade', async () => {
    const { ws, frames } = await open();
    ws.send(
      JSON.stringify({
        op: 'subscribe',
        streams: ['tape:BTC/USDT', 'candles:BTC/USDT:1m', 'candles:BTC/USDT:1h'],
      }),
    );
    await until(() => frames.some((f) => f.op === 'subscribed'));
    clock += 60_000; // a 1m bar of its own
    await place(backend, 'maker', limit('sell', '65001', '0.01'));
    await place(backend, 'maker', limit('sell', '65002', '0.01'));
    // One taker order, two trades, one commit.
    await place(backend, 'taker', { symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.02' });
    const tape = () => frames.filter((f) => f.stream === 'tape:BTC/USDT');
    await until(() => tape().length === 2);
    await new Promise((r) => setTimeout(r, 50));
    for (const interval of ['1m', '1h']) {
      const stored = await call<{ items: Array<{ openTime: number }> }>('marketData.candles', {
        symbol: 'BTC/USDT',
        interval,
      });
      const last = stored.items.at(-1)!;
      // The 1m bar before closed with this commit's first trade: it is sent once more, final.
      const bars = frames.filter(
        (f) =>
          f.stream === `candles:BTC/USDT:${interval}` &&
          (f.data as { candle: { openTime: number } }).candle.openTime === last.openTime,
      );
      expect(bars).toHaveLength(1);
      expect(bars[0]!.data).toEqual({ symbol: 'BTC/USDT', interval, candle: last });
      expect(last).toMatchObject({ close: '65002.00' });
    }
    ws.close();
  });
});

describe('candles across a restart', () => {
  const all = async () => {
    const out: unknown[] = [];
    for (const interval of ['1m', '5m', '15m', '1h', '4h', '1d']) {
      out.push(await call('marketData.candles', { symbol: 'BTC/USDT', interval }));
    }
    return out;
  };

  it('loads stored bars as they were', async () => {
    const before = await all();
    await backend.close();
    backend = await startTestBackend({ dataDir, now: () => clock });
    expect(await all()).toEqual(before);
  });

  it('rebuilds bars from the trades when the candle write was lost', async () => {
    const before = await all();
    await backend.close();
    // A crash between the trade commit and the (batched) candle write: no bars at all.
    const sqlite = (await import('better-sqlite3')).default;
    const db = new sqlite(`${dataDir}/bourse.sqlite`);
    db.prepare('DELETE FROM market_candles').run();
    db.prepare('DELETE FROM market_data_progress').run();
    db.close();
    backend = await startTestBackend({ dataDir, now: () => clock });
    expect(await all()).toEqual(before);
    const m1 = await call<{ items: Array<{ trades: number }> }>('marketData.candles', {
      symbol: 'BTC/USDT',
      interval: '1m',
    });
    expect(m1.items.map((c) => c.trades)).toEqual([2, 2, 2]);
  });

  it('counts only the last 24 hours of trades in the ticker after a restart', async () => {
    const ticker = async () =>
      (
        await call<{ items: Array<{ trades: number; volume: string }> }>('marketData.tickers', {
          symbol: 'BTC/USDT',
        })
      ).items[0]!;
    expect((await ticker()).trades).toBeGreaterThan(1);
    clock += 25 * 3_600_000; // every earlier trade leaves the window
    await place(backend, 'maker', limit('sell', '65000', '0.01'));
    await place(backend, 'taker', limit('buy', '65000', '0.01'));
    await backend.close();
    backend = await startTestBackend({ dataDir, now: () => clock });
    expect(await ticker()).toMatchObject({ trades: 1, volume: '0.0100' });
  });
});
