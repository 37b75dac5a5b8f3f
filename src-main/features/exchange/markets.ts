import { OrderBook, type EngineMarketConfig } from '../../domain/exchange';
import { MAX_PRICE_TICKS, MAX_QTY_LOTS, type MarketSpec } from '../../domain/markets';

/** The engine's view of a market: one engine tick = one market tick, one lot = one lot. */
export function engineConfigOf(spec: MarketSpec): EngineMarketConfig {
  const perUnit = spec.tickLotQuoteUnits;
  const minNotional = (spec.minNotionalUnits + perUnit - 1n) / perUnit;
  return {
    symbol: spec.config.symbol,
    tickSize: 1,
    lotSize: 1,
    minQty: Number(spec.minQtyLots),
    minNotional: Number(minNotional),
    maxPrice: MAX_PRICE_TICKS,
    maxQty: MAX_QTY_LOTS,
    bandBps: spec.config.priceBandBps,
    status: spec.config.status,
  };
}

/** A fresh, empty book for a market. */
export function newEngine(spec: MarketSpec): OrderBook {
  return new OrderBook(engineConfigOf(spec));
}

/** Copies changed limits (minimums, band) into a live engine; status goes through a command. */
export function updateEngineLimits(engine: OrderBook, spec: MarketSpec): void {
  const next = engineConfigOf(spec);
  engine.config.minQty = next.minQty;
  engine.config.minNotional = next.minNotional;
  engine.config.bandBps = next.bandBps;
}
