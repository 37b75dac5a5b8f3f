/**
 * The facade's public market-data endpoints (no signature): exchange rules, books, trades,
 * klines, average price and tickers, each with Binance's parameters, shapes and weights.
 */
import { MAX_DEPTH_LEVELS, type OperationOutput } from '../../../src-shared/contract';
import {
  BinanceError,
  averagePrice,
  binanceAggTrade,
  binancePublicTrade,
  binanceTicker24h,
  symbolInfo,
  type EngineLimits,
  type Market,
} from './mapping';
import { decimalsOf, subDecimal } from '../../domain/money';
import { barsBetween, mergeBars, percentChange } from './bars';
import {
  idParam,
  limitOf,
  listParam,
  namedSymbols,
  oneOrEach,
  timeWindow,
  type Call,
  type Route,
} from './call';
import { klines } from './klines';
import { depthWeight, tickerWeight } from './weights';

type PublicTrade = OperationOutput<'marketData.trades'>['items'][number];

/** How many recent public trades Bourse serves (the newest first). */
const PUBLIC_TRADES_KEPT = 500;
const MINUTE = 60_000;

/**
 * Public trades, oldest first: the latest `limit`, or — with `fromId` or a time window — the
 * first `limit` from there. Bourse serves the latest 500 public trades; a request reaching
 * back before them is refused (-1128) rather than answered with a silent gap.
 */
async function publicTrades(c: Call, maxLimit: number): Promise<PublicTrade[]> {
  const { market: m } = await c.market();
  const limit = limitOf(c.params, 500, maxLimit);
  const fromId = idParam(c.params, 'fromId');
  const window = timeWindow(c.params);
  const { items } = await c.invoke('marketData.trades', {
    symbol: m.symbol,
    limit: PUBLIC_TRADES_KEPT,
  });
  const kept = items.reverse();
  if (fromId === undefined && window.from === undefined && window.to === undefined) {
    return kept.slice(-limit);
  }
  const oldest = kept[0];
  const reachesBack =
    (fromId !== undefined && oldest !== undefined && fromId < oldest.tradeId) ||
    (window.from !== undefined && oldest !== undefined && window.from < oldest.ts);
  if (kept.length === PUBLIC_TRADES_KEPT && reachesBack) {
    throw new BinanceError(
      -1128,
      `Bourse serves the latest ${PUBLIC_TRADES_KEPT} public trades; the oldest is id ${oldest?.tradeId} at ${oldest?.ts}.`,
    );
  }
  const inWindow = kept.filter(
    (t) =>
      (fromId === undefined || t.tradeId >= fromId) &&
      (window.from === undefined || t.ts >= window.from) &&
      (window.to === undefined || t.ts <= window.to),
  );
  return fromId !== undefined || window.from !== undefined
    ? inWindow.slice(0, limit)
    : inWindow.slice(-limit);
}

/**
 * `exchangeInfo`'s markets: one `symbol`, a `symbols` list, or all; `permissions` keeps those
 * tradable under one of the listed permissions (every Bourse market is SPOT); `symbolStatus`
 * keeps those in that status.
 */
async function infoSymbols(c: Call, limits: EngineLimits) {
  const map = await c.symbols();
  const named = namedSymbols(c.params);
  const names = named ? ('one' in named ? [named.one] : named.list) : undefined;
  let entries = names ? names.map((s) => [s, map.market(s)] as const) : map.all();
  const perms = permissionsParam(c.params.permissions);
  if (!perms.includes('SPOT')) entries = [];
  const status = c.params.symbolStatus;
  if (status !== undefined) {
    if (!['TRADING', 'HALT', 'BREAK'].includes(status)) {
      throw new BinanceError(-1100, "Illegal characters found in parameter 'symbolStatus'.");
    }
    if (names) throw new BinanceError(-1128, 'Combination of optional parameters invalid.');
  }
  const { items: assets } = await c.invoke('assets.list', {});
  const scales = new Map(assets.map((a) => [a.code, a.scale]));
  return entries
    .map(([s, m]) => symbolInfo(s, m, (a) => scales.get(a) ?? 0, limits))
    .filter((info) => status === undefined || info.status === status);
}

/** `permissions`: `SPOT` or `["SPOT","MARGIN"]`; Binance's default is SPOT, MARGIN, LEVERAGED. */
function permissionsParam(raw: string | undefined): string[] {
  if (raw === undefined) return ['SPOT', 'MARGIN', 'LEVERAGED'];
  if (raw.startsWith('[')) return listParam({ permissions: raw }, 'permissions') ?? [];
  if (!/^[A-Z_]{1,40}$/.test(raw)) {
    throw new BinanceError(-1100, "Illegal characters found in parameter 'permissions'.");
  }
  return [raw];
}

/** `type`: FULL (the default) or MINI, as the tickers take it. */
function tickerType(c: Call): 'FULL' | 'MINI' {
  const t = c.params.type ?? 'FULL';
  if (t !== 'FULL' && t !== 'MINI') throw new BinanceError(-1139, 'Invalid ticker type.');
  return t;
}

/** MINI drops the price-change, average-price and book fields, as Binance's does. */
function mini(full: Record<string, unknown>): Record<string, unknown> {
  const {
    priceChange: _a,
    priceChangePercent: _b,
    weightedAvgPrice: _c,
    prevClosePrice: _d,
    lastQty: _e,
    bidPrice: _f,
    bidQty: _g,
    askPrice: _h,
    askQty: _i,
    ...rest
  } = full;
  return rest;
}

/** `windowSize`: 1m…59m, 1h…23h or 1d…7d (1d when not sent), in ms. */
export function windowSizeOf(raw: string | undefined): number {
  const m = /^([0-9]{1,2})([mhd])$/.exec(raw ?? '1d');
  const n = Number(m?.[1] ?? 0);
  const unit = m?.[2];
  const max = unit === 'm' ? 59 : unit === 'h' ? 23 : 7;
  if (!m || n < 1 || n > max) throw new BinanceError(-1100, 'Invalid windowSize.');
  return n * (unit === 'm' ? MINUTE : unit === 'h' ? 60 * MINUTE : 24 * 60 * MINUTE);
}

/**
 * The rolling-window ticker from one-minute bars: the window opens on the minute `windowMs`
 * before the current one, as Binance's does, and closes now.
 */
async function rollingTicker(c: Call, symbol: string, m: Market, windowMs: number) {
  const openTime = Math.floor(c.now / MINUTE) * MINUTE - windowMs;
  const bar = mergeBars(await barsBetween(c, m.symbol, '1m', openTime, c.now), openTime);
  const open = bar?.open ?? '0';
  const last = bar?.close ?? '0';
  const scale = decimalsOf(m.tickSize);
  return {
    symbol,
    priceChange: subDecimal(last, open),
    priceChangePercent: percentChange(open, last),
    weightedAvgPrice: bar ? averagePrice(bar.quoteVolume, bar.volume, scale) : '0',
    openPrice: open,
    highPrice: bar?.high ?? '0',
    lowPrice: bar?.low ?? '0',
    lastPrice: last,
    volume: bar?.volume ?? '0',
    quoteVolume: bar?.quoteVolume ?? '0',
    openTime,
    closeTime: c.now,
    firstId: -1,
    lastId: -1,
    count: bar?.trades ?? 0,
  };
}

/** Binance's average price: volume-weighted over the last five minutes (minute bars). */
async function avgPrice(c: Call) {
  const { market: m } = await c.market();
  const from = Math.floor(c.now / MINUTE) * MINUTE - 4 * MINUTE;
  const bar = mergeBars(await barsBetween(c, m.symbol, '1m', from, c.now), from);
  const { items } = await c.invoke('marketData.trades', { symbol: m.symbol, limit: 1 });
  const scale = decimalsOf(m.tickSize);
  // No trade in five minutes: the last price, as a quiet Binance market shows.
  const price = bar ? averagePrice(bar.quoteVolume, bar.volume, scale) : (m.lastPrice ?? '0');
  return { mins: 5, price, closeTime: items[0]?.ts ?? 0 };
}

export function marketRoutes(limits: EngineLimits): Route[] {
  return [
    { method: 'GET', path: '/ping', signed: false, weight: 1, handler: async () => ({}) },
    {
      method: 'GET',
      path: '/time',
      signed: false,
      weight: 1,
      handler: async (c) => ({ serverTime: c.now }),
    },
    {
      method: 'GET',
      path: '/exchangeInfo',
      signed: false,
      weight: 10,
      handler: async (c) => ({
        timezone: 'UTC',
        serverTime: c.now,
        rateLimits: c.rateLimits,
        exchangeFilters: [],
        symbols: await infoSymbols(c, limits),
      }),
    },
    {
      method: 'GET',
      path: '/depth',
      signed: false,
      weight: (p) => depthWeight(Number(p.limit ?? 100) || 100),
      handler: async (c) => {
        const { market: m } = await c.market();
        const d = await c.invoke('marketData.depth', {
          symbol: m.symbol,
          depth: limitOf(c.params, 100, MAX_DEPTH_LEVELS),
        });
        return { lastUpdateId: d.updateId, bids: d.bids, asks: d.asks };
      },
    },
    {
      method: 'GET',
      path: '/trades',
      signed: false,
      weight: 10,
      handler: async (c) => {
        const { market: m } = await c.market();
        const { items } = await c.invoke('marketData.trades', {
          symbol: m.symbol,
          limit: limitOf(c.params, 500, PUBLIC_TRADES_KEPT),
        });
        return items.reverse().map(binancePublicTrade);
      },
    },
    {
      method: 'GET',
      path: '/historicalTrades',
      signed: false,
      weight: 10,
      handler: async (c) => (await publicTrades(c, 1000)).map(binancePublicTrade),
    },
    {
      method: 'GET',
      path: '/aggTrades',
      signed: false,
      weight: 2,
      handler: async (c) => (await publicTrades(c, 1000)).map(binanceAggTrade),
    },
    {
      method: 'GET',
      path: '/klines',
      signed: false,
      weight: 2,
      handler: async (c) => klines(c, (await c.market()).market),
    },
    { method: 'GET', path: '/avgPrice', signed: false, weight: 2, handler: avgPrice },
    {
      method: 'GET',
      path: '/ticker/24hr',
      signed: false,
      weight: (p) => tickerWeight(p, 2, 80, (n) => (n <= 20 ? 2 : n <= 100 ? 40 : 80)),
      handler: async (c) => {
        const type = tickerType(c);
        const map = await c.symbols();
        const { items } = await c.invoke('marketData.tickers', {});
        const one = (s: string) => {
          const m = map.market(s);
          const t = items.find((x) => x.symbol === m.symbol);
          if (!t) throw new BinanceError(-1121, 'Invalid symbol.');
          const full = binanceTicker24h(t, s, m.tickSize, c.now);
          return type === 'MINI' ? mini(full) : full;
        };
        return oneOrEach(c, map, one);
      },
    },
    {
      method: 'GET',
      path: '/ticker',
      signed: false,
      weight: (p) => tickerWeight(p, 4, 4, (n) => Math.min(4 * n, 200)),
      handler: async (c) => {
        const type = tickerType(c);
        const windowMs = windowSizeOf(c.params.windowSize);
        const map = await c.symbols();
        if (namedSymbols(c.params) === null) {
          throw new BinanceError(
            -1102,
            "Mandatory parameter 'symbol' or 'symbols' was not sent, was empty/null, or malformed.",
          );
        }
        return oneOrEach(c, map, async (s) => {
          const t = await rollingTicker(c, s, map.market(s), windowMs);
          return type === 'MINI' ? mini(t) : t;
        });
      },
    },
    {
      method: 'GET',
      path: '/ticker/price',
      signed: false,
      weight: (p) => tickerWeight(p, 2, 4, () => 4),
      handler: async (c) => {
        const map = await c.symbols();
        const price = (s: string) => ({ symbol: s, price: map.market(s).lastPrice ?? '0' });
        return oneOrEach(c, map, price);
      },
    },
    {
      method: 'GET',
      path: '/ticker/bookTicker',
      signed: false,
      weight: (p) => tickerWeight(p, 2, 4, () => 4),
      handler: async (c) => {
        const map = await c.symbols();
        // The best bid and ask with their sizes; an empty side is "0", as on Binance.
        const top = async (s: string) => {
          const d = await c.invoke('marketData.depth', { symbol: map.market(s).symbol, depth: 1 });
          const [bidPrice = '0', bidQty = '0'] = d.bids[0] ?? [];
          const [askPrice = '0', askQty = '0'] = d.asks[0] ?? [];
          return { symbol: s, bidPrice, bidQty, askPrice, askQty };
        };
        return oneOrEach(c, map, top);
      },
    },
  ];
}
