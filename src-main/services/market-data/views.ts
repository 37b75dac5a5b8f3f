import type { CandleMessage, DepthDiffMessage } from '../../../src-shared/contract';
import type {
  Candle,
  DepthMessage,
  LevelPair,
  MarketTrade,
  Ticker24h,
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
