/** Market data derived from engine trades and books: candles, depth, 24 h ticker, recent trades. */
export type { CandleInterval, MarketTrade, Side } from './types';
export { CANDLE_INTERVALS, INTERVAL_MS, bucketStart } from './types';
export type { Candle, CandleUpdate } from './candles';
export { CandleBuilder, candleEnd, candleFromTrade, candlesFromTrades } from './candles';
export type { IntervalUpdate } from './candle-set';
export { CandleSet } from './candle-set';
export { aggregate, fillGaps } from './aggregate';
export type {
  BookOrderView,
  DepthDiff,
  DepthLevel,
  DepthMessage,
  DepthSnapshot,
  DepthView,
  LevelPair,
} from './depth';
export { DepthPublisher, aggregateDepth, diffDepth, isEmptyDiff, toSnapshot } from './depth';
export { LevelBook } from './level-book';
export type { ApplyResult } from './depth-book';
export { DepthBook } from './depth-book';
export type { Ticker24h } from './ticker';
export { TICKER_BUCKETS, TICKER_WINDOW_MS, TickerWindow, formatBps, ratioBps } from './ticker';
export { RecentTrades } from './recent-trades';
export type { BookEvent, TouchedLevels, UpdateRange } from './book-updates';
export { BookUpdateIds, touchedLevels } from './book-updates';
