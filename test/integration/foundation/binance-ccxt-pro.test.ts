// CCXT Pro (the `binance` class, unmodified: only its REST and stream base URLs changed)
// watching Bourse's Binance-compatible streams: it opens /binance/ws/<connection index>,
// subscribes live, and keeps an order book from the diff-depth stream joined to REST depth.
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, limit, place } from '../../helpers/exchange';

let backend: TestBackend;
let watcher: InstanceType<typeof ccxt.pro.binance>;

beforeAll(async () => {
  backend = await startTestBackend();
  const http = await backend.listen();
  await fund(backend, 'alice', 'BTC', '10');
  await fund(backend, 'bob', 'USDT', '1000000');
  watcher = new ccxt.pro.binance({
    options: {
      fetchMarkets: { types: ['spot'] },
      fetchCurrencies: false,
      fetchMargins: false,
    },
  });
  const api = watcher.urls.api as Record<string, unknown>;
  api.public = `${http}/api/v3`;
  (api.ws as Record<string, string>).spot = `${http.replace('http', 'ws')}/binance/ws`;
  // CCXT's own step for a plain ws:// URL (Bourse listens on loopback without TLS).
  await watcher.loadHttpProxyAgent();
  await watcher.loadMarkets();
}, 60_000);
afterAll(async () => {
  await watcher.close();
  await backend.cleanup();
});

let price = 30_000;
/** One trade of 0.01 BTC (alice's ask taken by bob), a tick higher each time. */
async function trade(): Promise<void> {
  price += 1;
  await place(backend, 'alice', limit('sell', price.toFixed(2), '0.0100'));
  await place(backend, 'bob', limit('buy', price.toFixed(2), '0.0100'));
}

/**
 * Awaits a `watch*` call, trading until it resolves: its SUBSCRIBE is in flight when it is
 * called, and only the events after the subscription reach it. Each round waits for the
 * trade's commit, never for a timer.
 */
async function whileTrading<T>(watch: Promise<T>): Promise<T> {
  let done = false;
  const out = watch.finally(() => {
    done = true;
  });
  for (let round = 0; round < 100 && !done; round++) await trade();
  return out;
}

describe('CCXT Pro (binance) against the streams', () => {
  it('watches trades, the ticker and candles', async () => {
    // The watch resolves on a trade of this run; more may have followed by the time it has.
    const ours = (p: number | undefined) => p !== undefined && p > 30_000 && p <= price;
    const trades = await whileTrading(watcher.watchTrades('BTC/USDT'));
    expect(trades.at(-1)).toMatchObject({ symbol: 'BTC/USDT', amount: 0.01, side: 'buy' });
    expect(ours(trades.at(-1)?.price)).toBe(true);

    const ticker = await whileTrading(watcher.watchTicker('BTC/USDT'));
    expect(ticker.symbol).toBe('BTC/USDT');
    expect(ours(ticker.last)).toBe(true);
    expect(ticker.baseVolume).toBeGreaterThanOrEqual(0.01);

    const bars = await whileTrading(watcher.watchOHLCV('BTC/USDT', '1m'));
    const [, open, high, low, close, volume] = bars.at(-1)!;
    expect([open, high, low, close].every(ours)).toBe(true);
    expect(volume).toBeGreaterThanOrEqual(0.01);
  });

  it('keeps an order book from diff depth equal to REST depth', async () => {
    await place(backend, 'alice', limit('sell', '31000.00', '0.5000'));
    await place(backend, 'bob', limit('buy', '29000.00', '0.2500'));
    let book = await watcher.watchOrderBook('BTC/USDT');
    expect(book.asks[0]).toEqual([31000, 0.5]);
    // Changes after the snapshot arrive as depthUpdate events CCXT applies in sequence.
    await place(backend, 'alice', limit('sell', '30900.00', '0.1000'));
    await place(backend, 'bob', limit('buy', '29100.00', '0.2000'));
    await place(backend, 'bob', limit('buy', '30900.00', '0.0400')); // takes part of the ask
    const rest = await watcher.fetchOrderBook('BTC/USDT');
    while ((book.nonce ?? 0) < (rest.nonce ?? 0)) book = await watcher.watchOrderBook('BTC/USDT');
    expect(book.nonce).toBe(rest.nonce);
    expect(book.asks.slice(0, 2)).toEqual([
      [30900, 0.06],
      [31000, 0.5],
    ]);
    expect(book.bids.slice(0, 2)).toEqual([
      [29100, 0.2],
      [29000, 0.25],
    ]);
    expect({ bids: book.bids, asks: book.asks }).toEqual({ bids: rest.bids, asks: rest.asks });
  });
});
