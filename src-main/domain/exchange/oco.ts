import type { PlaceOcoCommand } from './commands';
import { ResultCode } from './result-codes';
import { initialTrailStop } from './trailing';
import type { EngineMarketConfig } from './types';
import { statusRejection, validatePlace } from './validation';

/**
 * Validation of an OCO pair that needs no book but the last price (both engines call it
 * first, so they refuse the same pairs with the same code): each leg on its own, then the
 * pair's shape — one user, one side, one quantity, a post-only limit and a stop, the
 * limit on the profit side of the stop, and a stop that does not hold at `last` already (a
 * trailing stop leg: its first stop price, or its activation price, does not).
 */
export function validateOco(
  config: EngineMarketConfig,
  status: Parameters<typeof statusRejection>[0],
  cmd: PlaceOcoCommand,
  last: number,
): ResultCode | null {
  const { limit, stop } = cmd;
  const blocked = statusRejection(status) ?? validatePlace(config, limit);
  if (blocked !== null) return blocked;
  const stopProblem = validatePlace(config, stop);
  if (stopProblem !== null) return stopProblem;
  const sameOrder =
    limit.userId === stop.userId &&
    limit.side === stop.side &&
    limit.qty !== undefined &&
    limit.qty === stop.qty &&
    stop.quoteQty === undefined;
  // validatePlace has checked each leg's own shape (a post-only limit is GTC).
  const legs =
    limit.kind === 'limit' &&
    limit.postOnly === true &&
    (stop.kind === 'stop_limit' || stop.kind === 'stop_market');
  if (!sameOrder || !legs || limit.orderId === stop.orderId) return ResultCode.invalidOrder;
  if (limit.clientOrderId !== undefined && limit.clientOrderId === stop.clientOrderId) {
    return ResultCode.duplicateClientOrderId;
  }
  const price = limit.price as number;
  // A trailing stop leg: its first stop price (or its activation price). Its stop can never
  // pass the limit afterwards: the market trades beyond the limit's price only once the limit
  // leg is filled, and the stop trails behind the best trade.
  const trigger = initialTrailStop(stop, last, config.tickSize);
  if (trigger === 0) return ResultCode.noReferencePrice;
  const buy = limit.side === 'buy';
  if (buy ? price >= trigger : price <= trigger) return ResultCode.invalidPrice;
  if (last > 0 && (buy ? last >= trigger : last <= trigger)) return ResultCode.stopWouldTrigger;
  return null;
}
