/** Assets and spot markets: configuration, validation, and decimal ↔ integer conversions. */
export type { Asset, MarketConfig, MarketSpec, MarketStatus } from './types';
export type { ConfigIssue } from './compile-market';
export { assetIssues, compileMarket, compileMarkets } from './compile-market';
export type { IntLike } from './convert';
export {
  baseUnits,
  checkOrderSize,
  distanceToTicks,
  lotsToQty,
  marketAllows,
  notionalQuoteUnits,
  priceBand,
  priceToTicks,
  qtyToLots,
  quoteAmountToUnits,
  ticksToPrice,
  toBigInt,
} from './convert';
export { DEFAULT_ASSETS, DEFAULT_MARKETS, DEMO_ALLOWANCE } from './defaults';
export { MAX_PRICE_TICKS, MAX_QTY_LOTS } from './limits';
