import { isLimitType as isLimitTypeFn } from '../../../src-shared/contract/exchange';
import { BookOrder } from './book-order';
import type { PlaceCommand } from './commands';
import type { CancelReason } from './events';
import { ResultCode } from './result-codes';
import type { MarketStatus } from './types';

// Bound once: under tsx (benches, tests) an imported binding is a getter on each use.
const isLimitType = isLimitTypeFn;

/** Statuses a `set_status` command may set. */
export const STATUSES: ReadonlySet<MarketStatus> = new Set(['trading', 'halted', 'cancel_only']);

/**
 * The result code of a place whose taker remainder was cancelled for `reason`: an IOC or
 * quote-budget remainder is a normal outcome (`ok`); the others tell the caller why.
 */
export function remainderCode(reason: CancelReason): ResultCode {
  if (reason === 'price_band') return ResultCode.priceBand;
  if (reason === 'no_liquidity') return ResultCode.noLiquidity;
  return ResultCode.ok;
}

/** A validated place command as an order object; defaults: GTC (IOC for market), cancel_newest. */
export function newOrderFromCommand(cmd: PlaceCommand): BookOrder {
  const market = !isLimitType(cmd.kind);
  const o = new BookOrder(
    cmd.orderId,
    cmd.userId,
    cmd.clientOrderId,
    cmd.side,
    cmd.kind,
    cmd.tif ?? (market ? 'IOC' : 'GTC'),
    cmd.price ?? 0,
    cmd.stopPrice ?? 0,
    cmd.qty ?? 0,
    cmd.quoteQty ?? 0,
    cmd.quoteQty !== undefined,
    cmd.postOnly === true,
    cmd.stp ?? 'cancel_newest',
  );
  if (cmd.trailBps !== undefined || cmd.trailAmount !== undefined) {
    o.trailBps = cmd.trailBps ?? 0;
    o.trailAmount = cmd.trailAmount ?? 0;
    o.trailFrom = cmd.stopPrice ?? 0;
  }
  return o;
}
