import type {
  MarketStatus,
  OrderSide,
  OrderType,
  StpMode,
  TimeInForce,
} from '../../../src-shared/contract/exchange';

/** Side of an order: a buy (bid) or a sell (ask). Defined once in the contract. */
export type Side = OrderSide;

/**
 * What an order does on arrival. Stops wait in the trigger book until the last trade price
 * reaches their stop price, then behave as a market or limit order.
 */
export type OrderKind = OrderType;

/**
 * Time in force (GTC, IOC, FOK) and self-trade prevention (decided by the incoming order when
 * it meets a resting order of the same userId): the contract's definitions.
 */
export type { StpMode, TimeInForce };

/** `trading` accepts everything; `halted` and `cancel_only` accept only cancels and expiries. */
export type { MarketStatus };

/**
 * One market as the engine sees it: integers only. Prices are in engine ticks and quantities
 * in engine lots (the edge converts decimals: price = ticks × the market's decimal tick).
 * "Notional units" are ticks × lots: the quote value of one lot at a price of one tick.
 */
export interface EngineMarketConfig {
  /** Market symbol, copied onto nothing; for logs and snapshots. */
  symbol: string;
  /** Prices must be multiples of this many ticks (1 = every tick is allowed). */
  tickSize: number;
  /** Quantities must be multiples of this many lots (1 = every lot is allowed). */
  lotSize: number;
  /** Smallest quantity of a new order, in lots. */
  minQty: number;
  /** Smallest price × qty (or quote amount) of a new order, in notional units (ticks × lots). */
  minNotional: number;
  /** Largest accepted price in ticks; maxPrice × maxQty must be a safe integer. */
  maxPrice: number;
  /** Largest accepted quantity in lots. */
  maxQty: number;
  /**
   * Market-order protection in basis points around the reference price (last trade, or the
   * best opposite price at arrival when nothing has traded). 0 disables the band.
   */
  bandBps: number;
  /** Initial trading status. */
  status: MarketStatus;
}

/** A permissive default market: every tick and lot, no minimum, a 5 % band. */
export function defaultMarketConfig(symbol = 'TEST'): EngineMarketConfig {
  return {
    symbol,
    tickSize: 1,
    lotSize: 1,
    minQty: 1,
    minNotional: 0,
    maxPrice: 1_000_000_000,
    maxQty: 1_000_000,
    bandBps: 500,
    status: 'trading',
  };
}
