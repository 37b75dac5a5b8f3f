/**
 * Binance stream names (`btcusdt@kline_1m`, `ethusdt@depth10@100ms`, …): which market and which
 * hub channel feed each one. A name Bourse does not serve is refused with Binance's error codes.
 */
import {
  TICKERS_STREAM,
  bookUpdatesStream,
  candlesStream,
  depthStream,
  tapeStream,
} from '../../../src-shared/contract';
import { INTERVAL_MS, type Market, type SymbolMap } from './mapping';

const PARTIAL_DEPTHS = new Set([5, 10, 20]);

/** One subscribed stream, resolved against the markets when it was subscribed. */
export type Subscription =
  | {
      kind: 'trade' | 'aggTrade' | 'bookTicker' | 'ticker' | 'miniTicker';
      binance: string;
      market: Market;
    }
  | { kind: 'kline'; interval: string; binance: string; market: Market }
  | { kind: 'depth'; levels: number; binance: string; market: Market }
  | { kind: 'diffDepth'; binance: string; market: Market }
  /** `!ticker@arr` / `!miniTicker@arr`: every market's ticker, by the markets when subscribed. */
  | { kind: 'allTickers' | 'allMiniTickers'; binance: string; symbols: SymbolMap };

/** The all-market streams Bourse serves, and what each is. */
const ALL_MARKET = new Map([
  ['!ticker@arr', 'allTickers'],
  ['!miniTicker@arr', 'allMiniTickers'],
] as const);

/** A subscription fed by snapshots of the market's top 20 rather than by the events themselves. */
export type BookSubscription = Extract<Subscription, { kind: 'depth' | 'bookTicker' }>;

export function isBookSubscription(s: Subscription): s is BookSubscription {
  return s.kind === 'depth' || s.kind === 'bookTicker';
}

/** A request Binance answers with an error: `{"code", "msg", "id"}`. */
export class StreamRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a Binance stream name (`btcusdt@kline_1m`) into what feeds it. */
export function parseStream(name: string, symbols: SymbolMap): Subscription {
  const all = ALL_MARKET.get(name as never);
  if (all) return { kind: all, binance: name, symbols };
  const at = name.indexOf('@');
  const rest = at < 0 ? '' : name.slice(at + 1);
  const lower = at < 0 ? '' : name.slice(0, at);
  if (lower === '' || lower !== lower.toLowerCase()) {
    throw new StreamRequestError(
      2,
      `Invalid request: stream "${name}" is not <lowercase symbol>@<type>`,
    );
  }
  let market: Market;
  try {
    market = symbols.market(lower.toUpperCase());
  } catch {
    throw new StreamRequestError(
      2,
      `Invalid request: no market ${lower.toUpperCase()} (stream "${name}")`,
    );
  }
  return streamOf(name, rest, lower.toUpperCase(), market);
}

/** The subscription for the part of a stream name after the `@`. */
function streamOf(name: string, rest: string, binance: string, market: Market): Subscription {
  if (
    rest === 'trade' ||
    rest === 'aggTrade' ||
    rest === 'bookTicker' ||
    rest === 'ticker' ||
    rest === 'miniTicker'
  ) {
    return { kind: rest, binance, market };
  }
  const kline = /^kline_(\w+)$/.exec(rest);
  if (kline) {
    const interval = kline[1] as string;
    if (INTERVAL_MS[interval] === undefined) {
      throw new StreamRequestError(
        2,
        `Invalid request: interval "${interval}" is not one of ${Object.keys(INTERVAL_MS).join(', ')}`,
      );
    }
    return { kind: 'kline', interval, binance, market };
  }
  const depth = /^depth(\d+)?(@100ms|@1000ms)?$/.exec(rest);
  if (depth) {
    if (depth[1] === undefined) return { kind: 'diffDepth', binance, market };
    const levels = Number(depth[1]);
    if (!PARTIAL_DEPTHS.has(levels)) {
      throw new StreamRequestError(
        2,
        `Invalid request: partial depth has 5, 10 or 20 levels ("${name}"); <symbol>@depth is the diff depth`,
      );
    }
    return { kind: 'depth', levels, binance, market };
  }
  throw new StreamRequestError(2, `Invalid request: unknown stream type "${rest}" in "${name}"`);
}

/** The hub channel whose events feed a subscription. */
export function channelOf(s: Subscription): string {
  switch (s.kind) {
    case 'trade':
    case 'aggTrade':
      return tapeStream(s.market.symbol);
    case 'kline':
      return candlesStream(s.market.symbol, s.interval);
    case 'depth':
    case 'bookTicker':
      return depthStream(s.market.symbol);
    case 'diffDepth':
      return bookUpdatesStream(s.market.symbol);
    case 'ticker':
    case 'miniTicker':
    case 'allTickers':
    case 'allMiniTickers':
      return TICKERS_STREAM;
  }
}
