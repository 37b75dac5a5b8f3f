/**
 * An asset the exchange keeps balances in. `scale` is the number of decimals of its minor
 * unit: every balance, posting and fee in this asset is a bigint count of 10^-scale units.
 */
export interface Asset {
  /** Upper-case ticker, e.g. `BTC`; also the ledger's asset id. */
  code: string;
  /** Decimals of the minor unit (BTC 8, USDT 6, USD 2). */
  scale: number;
  /** Display name. */
  name: string;
}

/**
 * Who may do what on a market: `trading` accepts orders, `cancel_only` only cancellations,
 * `halted` neither (the book is frozen as it is).
 */
export type MarketStatus = 'trading' | 'halted' | 'cancel_only';

/**
 * A spot market as configured (decimal strings, as stored and shown). Prices are in quote
 * per one base; quantities are in base. The engine sees only integers:
 * price = priceTicks × tickSize, quantity = qtyLots × lotSize.
 */
export interface MarketConfig {
  /** `BASE/QUOTE`, e.g. `BTC/USDT`. */
  symbol: string;
  /** Base asset code (what is bought and sold). */
  base: string;
  /** Quote asset code (what prices, notionals and fees are in). */
  quote: string;
  /** Price increment in quote, decimal string, e.g. `"0.01"`. */
  tickSize: string;
  /** Quantity increment in base, decimal string, e.g. `"0.0001"`. */
  lotSize: string;
  /** Smallest order quantity in base (a multiple of lotSize). */
  minQty: string;
  /** Smallest order notional in quote. */
  minNotional: string;
  /** Fee for the resting (maker) side, in ppm of notional (1000 = 0.10 %). */
  makerFeePpm: number;
  /** Fee for the incoming (taker) side, in ppm of notional; must be ≥ makerFeePpm. */
  takerFeePpm: number;
  /** Trading status. */
  status: MarketStatus;
  /** Orders priced further than this from the reference price are refused (bps, 100 = 1 %). */
  priceBandBps: number;
}

/**
 * A validated market compiled to the integers the engine, the ledger rules and the edge
 * conversions need. Build it with `compileMarket`; never construct by hand.
 */
export interface MarketSpec {
  /** The configuration it was compiled from. */
  config: MarketConfig;
  /** The base asset. */
  base: Asset;
  /** The quote asset. */
  quote: Asset;
  /** Decimals in which prices are written (those of tickSize; may exceed the quote's scale). */
  priceScale: number;
  /** tickSize in units of 10^-priceScale. */
  tickUnits: bigint;
  /** Decimals in which quantities are written (those of lotSize, at most the base's scale). */
  qtyScale: number;
  /** lotSize in units of 10^-qtyScale. */
  lotUnits: bigint;
  /** One lot in base minor units (exact by validation). */
  lotBaseUnits: bigint;
  /** One tick × one lot in quote minor units (exact and ≥ 1 by validation). */
  tickLotQuoteUnits: bigint;
  /** minQty in lots. */
  minQtyLots: bigint;
  /** minNotional in quote minor units. */
  minNotionalUnits: bigint;
}
