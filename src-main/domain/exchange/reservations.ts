import { isLimitType } from '../../../src-shared/contract/exchange';
import type { PlaceCommand } from './commands';
import type { EngineMarketConfig } from './types';
import { trailingBuyCeiling } from './trailing';
import { bandLimit } from './validation';

/**
 * What the ledger must hold before an order is placed, in engine units: for a buy, quote in
 * notional units (ticks × lots; × MarketSpec.tickLotQuoteUnits gives quote minor units), for
 * a sell, base in lots. Fees are not included: the caller adds its maximum fee on top
 * (the ledger's holdAmount rounds that fee up, in the exchange's favour).
 */
export interface HoldRequirement {
  asset: 'quote' | 'base';
  amount: number;
  /**
   * A buy by quantity: the price per lot it is held at (amount is priceTicks × qty). Near the
   * market's largest price and quantity that product passes 2^53, where `amount` is no longer
   * exact: the ledger multiplies priceTicks by the quantity as bigints.
   */
  priceTicks?: number;
}

/**
 * The most an order can cost, from a validated place command:
 * - sell (any kind): qty lots;
 * - buy limit / stop-limit / take-profit-limit: price × qty (fills at the maker's price can
 *   only cost less);
 * - buy by quote amount (market, stop-market): quoteQty, never exceeded by the engine;
 * - buy market by qty: qty × the band ceiling around `reference` (the engine's
 *   `marketReference('buy')` at placement); null when there is no reference or no band,
 *   because nothing then bounds the price: the service must refuse or ask for a quote amount;
 * - buy stop-market or take-profit-market by qty: qty × the band ceiling around the stop
 *   price, the reference the engine uses when it triggers; for a trailing stop, around the highest stop price it
 *   is banded on (trailingBuyCeiling: from its activation price, else from `reference`, the
 *   last price it tracks from).
 */
export function holdRequirement(
  config: EngineMarketConfig,
  cmd: PlaceCommand,
  reference: number,
): HoldRequirement | null {
  const qty = cmd.qty ?? 0;
  if (cmd.side === 'sell') return { asset: 'base', amount: qty };
  if (cmd.quoteQty !== undefined) return { asset: 'quote', amount: cmd.quoteQty };
  if (isLimitType(cmd.kind)) {
    const price = cmd.price ?? 0;
    return { asset: 'quote', amount: price * qty, priceTicks: price };
  }
  let ref = reference;
  if (cmd.kind === 'take_profit_market') ref = cmd.stopPrice ?? 0;
  else if (cmd.kind === 'stop_market') {
    ref =
      cmd.trailBps === undefined && cmd.trailAmount === undefined
        ? (cmd.stopPrice ?? 0)
        : trailingBuyCeiling(
            cmd.stopPrice ?? 0,
            reference,
            cmd.trailBps ?? 0,
            cmd.trailAmount ?? 0,
            config.tickSize,
          );
  }
  if (ref <= 0 || config.bandBps <= 0) return null;
  const ceiling = bandLimit('buy', ref, config.bandBps);
  return { asset: 'quote', amount: ceiling * qty, priceTicks: ceiling };
}

/**
 * Quote left over on a buy after a fill below its limit price (price improvement), in
 * notional units: the hold was limitPrice × qty, the fill cost tradePrice × qty.
 */
export function priceImprovement(limitPrice: number, tradePrice: number, qty: number): number {
  return (limitPrice - tradePrice) * qty;
}
