import { describe, expect, it } from 'vitest';
import { DEFAULT_MARKETS } from '../../../src-main/domain/markets';
import { SymbolMap } from '../../../src-main/transports/binance/mapping';
import { bookEvent, klineEvent } from '../../../src-main/transports/binance/stream-events';
import { StreamRequestError, parseStream } from '../../../src-main/transports/binance/stream-names';

const rules = DEFAULT_MARKETS[0]!;
const symbols = new SymbolMap([
  {
    ...rules,
    symbol: 'BTC/USDT',
    base: 'BTC',
    quote: 'USDT',
    lastPrice: null,
    bestBid: null,
    bestAsk: null,
  },
] as never);

describe('Binance stream names', () => {
  it('resolves each served type to its market', () => {
    expect(parseStream('btcusdt@trade', symbols)).toMatchObject({
      kind: 'trade',
      binance: 'BTCUSDT',
    });
    expect(parseStream('btcusdt@kline_4h', symbols)).toMatchObject({
      kind: 'kline',
      interval: '4h',
    });
    expect(parseStream('btcusdt@depth20@100ms', symbols)).toMatchObject({
      kind: 'depth',
      levels: 20,
    });
    expect(parseStream('btcusdt@depth10@1000ms', symbols)).toMatchObject({
      kind: 'depth',
      levels: 10,
    });
    expect(parseStream('btcusdt@bookTicker', symbols)).toMatchObject({
      market: { symbol: 'BTC/USDT' },
    });
    expect(parseStream('!ticker@arr', symbols)).toMatchObject({ kind: 'allTickers' });
    expect(parseStream('!miniTicker@arr', symbols)).toMatchObject({ kind: 'allMiniTickers' });
    expect(() => parseStream('!bookTicker', symbols)).toThrow(StreamRequestError);
    expect(parseStream('btcusdt@depth', symbols)).toMatchObject({ kind: 'diffDepth' });
    expect(parseStream('btcusdt@depth@100ms', symbols)).toMatchObject({ kind: 'diffDepth' });
  });

  it('refuses what Binance would not serve, or Bourse does not', () => {
    for (const bad of [
      'btcusdt',
      '@trade',
      'BTCUSDT@trade', // symbols are lowercase in stream names
      'btcusdt@depth15',
      'btcusdt@depth@500ms',
      'btcusdt@kline_3m',
      'btcusdt@avgPrice',
      'ethbtc@trade', // no such market here
    ]) {
      expect(() => parseStream(bad, symbols), bad).toThrow(/^Invalid request/);
    }
  });
});

describe('Binance stream payloads', () => {
  const sub = parseStream('btcusdt@kline_1m', symbols) as Parameters<typeof klineEvent>[0];
  const bar = {
    symbol: 'BTC/USDT',
    interval: '1m' as const,
    candle: {
      openTime: 60_000,
      open: '1.00',
      high: '3.00',
      low: '1.00',
      close: '2.00',
      volume: '0.5000',
      quoteVolume: '1.00',
      trades: 3,
    },
  };

  it('marks a kline closed once its minute is over when it is published', () => {
    expect(klineEvent(sub, bar, 100_000)).toMatchObject({
      e: 'kline',
      E: 100_000,
      k: {
        t: 60_000,
        T: 119_999,
        i: '1m',
        o: '1.00',
        h: '3.00',
        l: '1.00',
        c: '2.00',
        n: 3,
        x: false,
      },
    });
    expect((klineEvent(sub, bar, 119_999).k as { x: boolean }).x).toBe(false);
    expect((klineEvent(sub, bar, 120_000).k as { x: boolean }).x).toBe(true);
  });

  it('cuts a depth snapshot to the subscribed levels; an empty side is "0" on the book ticker', () => {
    const levels = Array.from(
      { length: 20 },
      (_, i) => [`${100 - i}.00`, '1.0000'] as [string, string],
    );
    // The id is the full-book update id (REST's lastUpdateId), not the native stream's seq.
    const d = { symbol: 'BTC/USDT', seq: 7, updateId: 42, bids: levels, asks: [] };
    const depth5 = bookEvent(parseStream('btcusdt@depth5', symbols), d);
    expect(depth5).toEqual({ lastUpdateId: 42, bids: levels.slice(0, 5), asks: [] });
    expect(bookEvent(parseStream('btcusdt@bookTicker', symbols), d)).toEqual({
      u: 42,
      s: 'BTCUSDT',
      b: '100.00',
      B: '1.0000',
      a: '0',
      A: '0',
    });
  });
});
