import { OrderBook, type EngineMarketConfig } from '../../domain/exchange';
import type { MarketSpec } from '../../domain/markets';

/**
 * Engine limits. Prices are at most 10^9 ticks and quantities 9 × 10^6 lots so that
 * price × qty stays a safe integer inside the engine (ticks × lots ≤ 9 × 10^15).
 */
export const MAX_PRICE_TICKS = 1_000_000_000;
export const MAX_QTY_LOTS = 9_000_000;

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
