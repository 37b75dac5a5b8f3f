/** Technical indicators: batch functions over arrays and streaming bar-by-bar versions. */
export { checkPeriod } from './common';
export type { IndicatorConvention } from './conventions';
export { INDICATOR_CONVENTIONS, DEFAULT_INDICATOR_CONVENTION } from './conventions';
export { sma, ema, rma, wma } from './moving-averages';
export type { MacdResult, StochasticResult } from './oscillators';
export { rsi, macd, stochastic } from './oscillators';
export type { BollingerResult } from './volatility';
export { bollinger, atr, trueRange } from './volatility';
export type { DonchianResult } from './channels';
export { donchian, rollingMax, rollingMin } from './channels';
export { crossover, crossunder, crossSeries } from './cross';
export type { StreamingIndicator } from './streaming-averages';
export { SmaStream, EmaStream, RmaStream, WmaStream, SmoothStream } from './streaming-averages';
export {
  RsiStream,
  MacdStream,
  BollingerStream,
  AtrStream,
  DonchianStream,
  StochasticStream,
  CrossStream,
} from './streaming-oscillators';
