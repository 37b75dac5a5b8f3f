/** Candle import and representation: the public surface of the candles domain. */
export type { Candles, CandleRow } from './candles';
export { allocateCandles, candleAt, candlesFromRows, sliceCandles } from './candles';
export type { BarInterval } from './interval';
export { detectInterval, labelInterval, DAY_MS } from './interval';
export type { CandleIssue, CandleIssueCode } from './issues';
export { ISSUE_SEVERITY } from './issues';
export type { ParseCandlesOptions, ParseCandlesResult } from './parse-candles';
export { parseCandles } from './parse-candles';
export { parseTimestamp } from './parse-time';
export type { GapMode } from './validate';
