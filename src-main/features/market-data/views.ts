import type {
  BookUpdateMessage,
  CandleMessage,
  DepthDiffMessage,
} from '../../../src-shared/contract';
import type {
  Candle,
  DepthMessage,
  LevelPair,
  MarketTrade,
  Side,
  Ticker24h,
  TouchedLevels,
  UpdateRange,
} from '../../domain/market-data';
import { lotsToQty, ticksToPrice, type MarketSpec } from '../../domain/markets';
import { formatDecimal } from '../../domain/money';

/** Σ price × qty in tick·lots as a quote amount. */
export function quoteOf(spec: MarketSpec, tickLots: bigint): string {
  return formatDecimal(tickLots * spec.tickLotQuoteUnits, spec.quote.scale);
}

function pairs(spec: MarketSpec, levels: readonly LevelPair[]): [string, string][] {
  return levels.map(([p, q]) => [ticksToPrice(spec, p), lotsToQty(spec, q)]);
}

/** A depth snapshot or diff in decimals. */
export function depthMessage(spec: MarketSpec, m: DepthMessage): DepthDiffMessage {
  return {
    symbol: spec.config.symbol,
    seq: m.seq,
    bids: pairs(spec, m.bids),
    asks: pairs(spec, m.asks),
  };
}

/**
 * A full-book update in decimals: each touched level with the quantity resting there now,
 * bids high→low and asks low→high (the order Binance lists them in).
 */
export function bookUpdateMessage(
  spec: MarketSpec,
  range: UpdateRange,
  touched: TouchedLevels,
  qtyAt: (side: Side, price: number) => number,
): BookUpdateMessage {
  const side = (s: Side, prices: Set<number>): LevelPair[] =>
    [...prices]
      .sort((a, b) => (s === 'buy' ? b - a : a - b))
      .map((p): LevelPair => [p, qtyAt(s, p)]);
  return {
    symbol: spec.config.symbol,
    firstUpdateId: range.first,
    finalUpdateId: range.final,
    bids: pairs(spec, side('buy', touched.bids)),
    asks: pairs(spec, side('sell', touched.asks)),
  };
}

export function tradeView(spec: MarketSpec, t: MarketTrade) {
  return {
    tradeId: Number(t.id ?? 0),
    price: ticksToPrice(spec, t.price),
    qty: lotsToQty(spec, t.qty),
    quoteQty: quoteOf(spec, BigInt(t.price) * BigInt(t.qty)),
    takerSide: t.takerSide ?? 'buy',
    ts: t.ts,
  };
}

export function candleView(spec: MarketSpec, c: Candle): CandleMessage['candle'] {
  return {
    openTime: c.openTime,
    open: ticksToPrice(spec, c.open),
    high: ticksToPrice(spec, c.high),
    low: ticksToPrice(spec, c.low),
    close: ticksToPrice(spec, c.close),
    volume: lotsToQty(spec, c.volume),
    quoteVolume: quoteOf(spec, c.quoteVolume),
    trades: c.trades,
  };
}

const priceOrNull = (spec: MarketSpec, ticks: number | null): string | null =>
  ticks === null || ticks <= 0 ? null : ticksToPrice(spec, ticks);

export function tickerView(
  spec: MarketSpec,
  t: Ticker24h,
  book: { bestBid: number; bestAsk: number },
  ts: number,
) {
  return {
    symbol: spec.config.symbol,
    open: priceOrNull(spec, t.open),
    high: priceOrNull(spec, t.high),
    low: priceOrNull(spec, t.low),
    last: priceOrNull(spec, t.last),
    volume: lotsToQty(spec, t.volume),
    quoteVolume: quoteOf(spec, t.quoteVolume),
    change: ticksToPrice(spec, t.change),
    changePercent: t.changePercent,
    trades: t.trades,
    bestBid: priceOrNull(spec, book.bestBid),
    bestAsk: priceOrNull(spec, book.bestAsk),
    ts,
  };
}

export type TickerOut = ReturnType<typeof tickerView>;
