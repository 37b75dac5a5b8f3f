import * as orderTypes from '../../../src-shared/contract/exchange';
import type { PlaceCommand } from './commands';
import { ResultCode } from './result-codes';
import { MAX_TRAIL_BPS } from './trailing';
import type { EngineMarketConfig, MarketStatus, Side } from './types';

const SIDES = new Set(['buy', 'sell']);
// Bound once: under tsx (benches, tests) an imported binding is a getter on each use.
const { isLimitType, isStopType, isTriggerType } = orderTypes;
const KINDS = new Set<string>(orderTypes.ORDER_TYPES);
const TIFS = new Set(['GTC', 'IOC', 'FOK']);
const STPS = new Set(['cancel_newest', 'cancel_oldest', 'cancel_both']);
const BPS = 10_000;

/** The reject code for a command other than a cancel/expire under this status, or null. */
export function statusRejection(status: MarketStatus): ResultCode | null {
  if (status === 'trading') return null;
  return status === 'halted' ? ResultCode.marketHalted : ResultCode.marketCancelOnly;
}

/** Checks a price (or stop price) in ticks against the market's bounds and tick size. */
export function priceProblem(config: EngineMarketConfig, price: unknown): ResultCode | null {
  if (!Number.isSafeInteger(price)) return ResultCode.invalidPrice;
  const p = price as number;
  if (p <= 0 || p > config.maxPrice) return ResultCode.invalidPrice;
  return p % config.tickSize === 0 ? null : ResultCode.tickSize;
}

/** Checks a quantity in lots: positive, within maxQty, a multiple of lotSize. */
export function qtyProblem(config: EngineMarketConfig, qty: unknown): ResultCode | null {
  if (!Number.isSafeInteger(qty)) return ResultCode.invalidQuantity;
  const q = qty as number;
  if (q <= 0 || q > config.maxQty) return ResultCode.invalidQuantity;
  return q % config.lotSize === 0 ? null : ResultCode.lotSize;
}

function shapeProblem(config: EngineMarketConfig, cmd: PlaceCommand): ResultCode | null {
  if (!SIDES.has(cmd.side) || !KINDS.has(cmd.kind)) return ResultCode.invalidOrder;
  if (!Number.isSafeInteger(cmd.orderId) || cmd.orderId < 0) return ResultCode.invalidOrder;
  if (typeof cmd.userId !== 'string' || cmd.userId.length === 0) return ResultCode.invalidOrder;
  if (cmd.stp !== undefined && !STPS.has(cmd.stp)) return ResultCode.invalidOrder;
  if (cmd.tif !== undefined && !TIFS.has(cmd.tif)) return ResultCode.invalidOrder;
  if (!isLimitType(cmd.kind)) {
    if ((cmd.tif ?? 'IOC') !== 'IOC' || cmd.postOnly === true) return ResultCode.invalidOrder;
    if (cmd.price !== undefined) return ResultCode.invalidOrder;
    const byQty = cmd.qty !== undefined;
    const byQuote = cmd.quoteQty !== undefined;
    if (byQty === byQuote || (byQuote && cmd.side !== 'buy')) return ResultCode.invalidOrder;
  } else {
    if (cmd.quoteQty !== undefined || cmd.qty === undefined) return ResultCode.invalidOrder;
    if (cmd.postOnly === true && (cmd.tif ?? 'GTC') !== 'GTC') return ResultCode.invalidOrder;
    if (cmd.postOnly === true && cmd.kind !== 'limit') return ResultCode.invalidOrder;
  }
  // Only stops trail: a take-profit waits for one price, then runs.
  const isStop = isStopType(cmd.kind);
  if (cmd.trailBps !== undefined && cmd.trailAmount !== undefined) return ResultCode.invalidOrder;
  if (cmd.trailBps !== undefined) {
    // A trailing stop's stop price is optional: an activation price when given.
    const bps = cmd.trailBps;
    const ok = isStop && Number.isSafeInteger(bps) && bps >= 1 && bps <= MAX_TRAIL_BPS;
    return ok ? null : ResultCode.invalidOrder;
  }
  if (cmd.trailAmount !== undefined) {
    // A distance in price units: checked as a price is (positive, on the tick grid).
    return isStop ? priceProblem(config, cmd.trailAmount) : ResultCode.invalidOrder;
  }
  return isTriggerType(cmd.kind) === (cmd.stopPrice !== undefined) ? null : ResultCode.invalidOrder;
}

function sizeProblem(config: EngineMarketConfig, cmd: PlaceCommand): ResultCode | null {
  if (cmd.quoteQty !== undefined) {
    const q = cmd.quoteQty;
    if (!Number.isSafeInteger(q) || q <= 0 || q > config.maxPrice * config.maxQty) {
      return ResultCode.invalidQuantity;
    }
    return q < config.minNotional ? ResultCode.minNotional : null;
  }
  const problem = qtyProblem(config, cmd.qty);
  if (problem !== null) return problem;
  const qty = cmd.qty as number;
  if (qty < config.minQty) return ResultCode.minQty;
  // A market order by quantity has no price to value it at; its notional is not checked.
  const valuedAt = cmd.kind === 'market' ? 0 : (cmd.price ?? cmd.stopPrice ?? 0);
  return valuedAt > 0 && valuedAt * qty < config.minNotional ? ResultCode.minNotional : null;
}

/**
 * Static validation of a new order (no book state): shape, prices, sizes, minimums. Both
 * engines call it first, so they reject the same commands with the same code.
 */
export function validatePlace(config: EngineMarketConfig, cmd: PlaceCommand): ResultCode | null {
  const shape = shapeProblem(config, cmd);
  if (shape !== null) return shape;
  if (cmd.stopPrice !== undefined) {
    const stop = priceProblem(config, cmd.stopPrice);
    if (stop !== null) return stop;
  }
  if (isLimitType(cmd.kind)) {
    const price = priceProblem(config, cmd.price);
    if (price !== null) return price;
  }
  return sizeProblem(config, cmd);
}

/**
 * The worst price a market order may trade at: the reference price moved by bandBps in the
 * order's disfavour, rounded inwards (buys floor, sells ceil) so the band is never exceeded.
 * bandBps = 0 means no band.
 */
export function bandLimit(side: Side, reference: number, bandBps: number): number {
  if (bandBps <= 0) return side === 'buy' ? Number.MAX_SAFE_INTEGER : 0;
  if (side === 'buy') return Math.floor((reference * (BPS + bandBps)) / BPS);
  return Math.ceil((reference * Math.max(0, BPS - bandBps)) / BPS);
}
