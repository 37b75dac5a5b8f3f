/**
 * exchangeInfo's per-market filters, written from the rules orders are checked against (the
 * engine's bounds, the market's minimums and price band), so a client that keeps them is
 * never refused and one refused can see why.
 */
import { decimalsOf, formatDecimalText, unitsAt } from '../../domain/money';
import type { Market } from './mapping';

/** A decimal string as integer units at its own scale (`"0.01"` → 1n, scale 2). */
const unitsOf = (d: string) => ({ units: unitsAt(d, decimalsOf(d)), scale: decimalsOf(d) });

/** `step × n` exactly (the largest price is the tick × the engine's most ticks). */
const times = (step: string, n: number) => {
  const { units, scale } = unitsOf(step);
  return formatDecimalText(units * BigInt(n), scale);
};

/** `1 ± bps/10 000` as Binance writes a multiplier (`1000` → `"1.1"` and `"0.9"`). */
const multiplier = (bps: number) => formatDecimalText(BigInt(10_000 + bps), 4);

/**
 * Binance's own TRAILING_DELTA range, in basis points, published and enforced as it is: the
 * engine trails from 1 to 5000, but a client written for Binance expects Binance's bounds, and
 * a bot that keeps to them behaves here as there. Above (a buy stop's) and below (a sell
 * stop's) are the same.
 */
export const TRAILING_DELTA = {
  minTrailingAboveDelta: 10,
  maxTrailingAboveDelta: 2000,
  minTrailingBelowDelta: 10,
  maxTrailingBelowDelta: 2000,
} as const;

/**
 * True when `trailingDelta` passes the TRAILING_DELTA filter: a STOP_LOSS(_LIMIT) buy triggers
 * on a rise, so it is held to the "above" bounds, a sell to the "below" ones.
 */
export function passesTrailingDelta(side: 'buy' | 'sell', bps: number): boolean {
  const f = TRAILING_DELTA;
  return side === 'buy'
    ? bps >= f.minTrailingAboveDelta && bps <= f.maxTrailingAboveDelta
    : bps >= f.minTrailingBelowDelta && bps <= f.maxTrailingBelowDelta;
}

/**
 * The engine's bounds behind the published filters: the most ticks a price and the most lots
 * a quantity may have, and the most open orders an account may keep in one market.
 */
export interface EngineLimits {
  maxPriceTicks: number;
  maxQtyLots: number;
  maxNumOrders: number;
}

/**
 * A market's filters exactly as its orders are checked: the tick and lot (and the engine's
 * bounds on both), the minimum notional — checked for limit and stop orders at their price and
 * for market buys by quoteOrderQty, not for market orders by quantity, which have no price to
 * value them at, hence `applyMinToMarket: false` — and the price band around the last trade
 * that limit orders must keep (avgPriceMins 0: Binance's "last price" reference), and the
 * trailingDelta range of trailing stops.
 */
export function symbolFilters(m: Market, limits: EngineLimits): Array<Record<string, unknown>> {
  const maxPrice = times(m.tickSize, limits.maxPriceTicks);
  const maxQty = times(m.lotSize, limits.maxQtyLots);
  const tick = unitsOf(maxPrice);
  const lot = unitsOf(maxQty);
  const lotSize = { minQty: m.minQty, maxQty, stepSize: m.lotSize };
  const filters: Array<Record<string, unknown>> = [
    { filterType: 'PRICE_FILTER', minPrice: m.tickSize, maxPrice, tickSize: m.tickSize },
    { filterType: 'LOT_SIZE', ...lotSize },
    { filterType: 'MARKET_LOT_SIZE', ...lotSize },
    {
      filterType: 'NOTIONAL',
      minNotional: m.minNotional,
      applyMinToMarket: false,
      maxNotional: formatDecimalText(tick.units * lot.units, tick.scale + lot.scale),
      applyMaxToMarket: true,
      avgPriceMins: 0,
    },
    { filterType: 'MAX_NUM_ORDERS', maxNumOrders: limits.maxNumOrders },
    { filterType: 'TRAILING_DELTA', ...TRAILING_DELTA },
  ];
  if (m.priceBandBps > 0) {
    const up = multiplier(m.priceBandBps);
    const down = multiplier(-m.priceBandBps);
    filters.push({
      filterType: 'PERCENT_PRICE_BY_SIDE',
      bidMultiplierUp: up,
      bidMultiplierDown: down,
      askMultiplierUp: up,
      askMultiplierDown: down,
      avgPriceMins: 0,
    });
  }
  return filters;
}
