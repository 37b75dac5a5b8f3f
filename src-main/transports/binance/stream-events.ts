/**
 * Per-stream encoders: a hub event or a depth snapshot as the payload Binance sends on that
 * stream (field names and meanings from Binance's spot WebSocket streams documentation).
 */
import type {
  BookUpdateMessage,
  CandleMessage,
  OperationOutput,
} from '../../../src-shared/contract';
import type { Published } from '../../events/hub';
import {
  INTERVAL_MS,
  binanceAggTrade,
  binanceTicker24h,
  type Market,
  type PublicTrade,
} from './mapping';
import type { BookSubscription, Subscription } from './stream-names';

export type Ticker = OperationOutput<'marketData.tickers'>['items'][number];
export type Depth = OperationOutput<'marketData.depth'>;

export function tradeEvent(s: Subscription, t: PublicTrade, now: number): Record<string, unknown> {
  if (s.kind === 'aggTrade') return { e: 'aggTrade', E: now, s: s.binance, ...binanceAggTrade(t) };
  return {
    e: 'trade',
    E: now,
    s: s.binance,
    t: t.tradeId,
    p: t.price,
    q: t.qty,
    T: t.ts,
    m: t.takerSide === 'sell', // the buyer was the maker
    M: true,
  };
}

/**
 * A kline event. `x` (closed) is true once the bar's time is over when it is published: the
 * bar a trade closed is published once as it closed. Bars hold no trade ids, so `f`/`L` are -1,
 * and they do not split volume by the taker's side, so `V`/`Q` are "0" (as in `/klines`).
 */
export function klineEvent(
  s: Subscription & { kind: 'kline' },
  msg: CandleMessage,
  now: number,
): Record<string, unknown> {
  const c = msg.candle;
  const closeTime = c.openTime + (INTERVAL_MS[s.interval] ?? 0) - 1;
  return {
    e: 'kline',
    E: now,
    s: s.binance,
    k: {
      t: c.openTime,
      T: closeTime,
      s: s.binance,
      i: s.interval,
      f: -1,
      L: -1,
      o: c.open,
      c: c.close,
      h: c.high,
      l: c.low,
      v: c.volume,
      n: c.trades,
      x: now > closeTime,
      q: c.quoteVolume,
      V: '0',
      Q: '0',
      B: '0',
    },
  };
}

export function tickerEvent(
  s: { kind: Subscription['kind']; binance: string; market: Market },
  t: Ticker,
  now: number,
): Record<string, unknown> {
  if (s.kind === 'miniTicker') {
    return {
      e: '24hrMiniTicker',
      E: now,
      s: s.binance,
      c: t.last ?? '0',
      o: t.open ?? '0',
      h: t.high ?? '0',
      l: t.low ?? '0',
      v: t.volume,
      q: t.quoteVolume,
    };
  }
  const r = binanceTicker24h(t, s.binance, s.market.tickSize, now);
  return {
    e: '24hrTicker',
    E: now,
    s: s.binance,
    p: r.priceChange,
    P: r.priceChangePercent,
    w: r.weightedAvgPrice,
    x: r.prevClosePrice,
    c: r.lastPrice,
    Q: r.lastQty,
    b: r.bidPrice,
    B: r.bidQty,
    a: r.askPrice,
    A: r.askQty,
    o: r.openPrice,
    h: r.highPrice,
    l: r.lowPrice,
    v: r.volume,
    q: r.quoteVolume,
    O: r.openTime,
    C: r.closeTime,
    F: r.firstId,
    L: r.lastId,
    n: r.count,
  };
}

/** A diff-depth event: every level the update touched, with its quantity now ("0" = gone). */
export function depthUpdateEvent(
  s: Subscription,
  m: BookUpdateMessage,
  now: number,
): Record<string, unknown> {
  return {
    e: 'depthUpdate',
    E: now,
    s: s.binance,
    U: m.firstUpdateId,
    u: m.finalUpdateId,
    b: m.bids,
    a: m.asks,
  };
}

/**
 * The payload of a depth or book-ticker subscription from a snapshot of the top 20. Its id is
 * the snapshot's `updateId`, as `/api/v3/depth`'s `lastUpdateId` is.
 */
export function bookEvent(s: Subscription, d: Depth): Record<string, unknown> {
  if (s.kind === 'depth') {
    return {
      lastUpdateId: d.updateId,
      bids: d.bids.slice(0, s.levels),
      asks: d.asks.slice(0, s.levels),
    };
  }
  const [b = '0', B = '0'] = d.bids[0] ?? [];
  const [a = '0', A = '0'] = d.asks[0] ?? [];
  return { u: d.updateId, s: s.binance, b, B, a, A };
}

/**
 * What a hub event on the subscription's channel becomes on the stream, or undefined when it
 * is not for this stream (another market's ticker). Book subscriptions are fed by snapshots.
 */
export function liveEvent(
  sub: Exclude<Subscription, BookSubscription>,
  msg: Published,
  now: number,
): Record<string, unknown> | Array<Record<string, unknown>> | undefined {
  switch (sub.kind) {
    case 'trade':
    case 'aggTrade':
      return tradeEvent(sub, msg.data as PublicTrade, now);
    case 'kline':
      return klineEvent(sub, msg.data as CandleMessage, now);
    case 'ticker':
    case 'miniTicker':
      return (msg.data as Ticker).symbol === sub.market.symbol
        ? tickerEvent(sub, msg.data as Ticker, now)
        : undefined;
    case 'diffDepth':
      return depthUpdateEvent(sub, msg.data as BookUpdateMessage, now);
    case 'allTickers':
    case 'allMiniTickers': {
      // Binance sends the tickers that changed in the last second as one array; Bourse sends
      // each as it changes, an array of one: sooner, and the same shape to read.
      const t = msg.data as Ticker;
      const binance = sub.symbols.symbolOf(t.symbol);
      if (binance === undefined) return undefined;
      const kind = sub.kind === 'allTickers' ? 'ticker' : 'miniTicker';
      const one = { kind, binance, market: sub.symbols.market(binance) } as const;
      return [tickerEvent(one, t, now)];
    }
  }
}
