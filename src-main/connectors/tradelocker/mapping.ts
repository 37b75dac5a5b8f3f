import type {
  BrokerFill,
  BrokerOrder,
  BrokerOrderStatus,
  BrokerOrderType,
  BrokerPosition,
} from '../broker/port';
import { compareDecimal } from '../../../src-shared/decimal';
import { decimalCell, idCell, priceCell, timeCell, type Row } from './wire';

/**
 * TradeLocker rows (already named by `/trade/config` columns) in Bourse's words. `symbolOf`
 * turns a tradableInstrumentId into the instrument name; `clientIdOf` turns a strategyId back
 * into the client order id Bourse sent (identity unless it had to be hashed).
 */
export interface RowContext {
  symbolOf: (tradableInstrumentId: string) => string;
  clientIdOf: (strategyId: string) => string;
}

const HISTORY_STATUS: Record<string, BrokerOrderStatus> = {
  Filled: 'filled',
  Cancelled: 'cancelled',
  Removed: 'cancelled',
  Refused: 'rejected',
  Rejected: 'rejected',
  Unplaced: 'rejected',
  Expired: 'expired',
  Pending: 'pending',
  PartiallyFilled: 'partially_filled',
};

/**
 * The status of an order row. `New` is working: partially filled once `filledQty` is above
 * zero. Statuses the documentation does not list fall back on `isOpen`.
 */
export function orderStatus(row: Row): BrokerOrderStatus {
  const status = typeof row.status === 'string' ? row.status : '';
  const filled = decimalCell(row.filledQty) ?? '0';
  if (status === 'New' || status === 'Accepted' || status === 'Working') {
    return compareDecimal(filled, '0') > 0 ? 'partially_filled' : 'open';
  }
  return (
    HISTORY_STATUS[status] ?? (row.isOpen === true || row.isOpen === 'true' ? 'open' : 'cancelled')
  );
}

const TYPES: Record<string, BrokerOrderType> = { market: 'market', limit: 'limit', stop: 'stop' };

/**
 * An order row. Its `stopLoss`/`takeProfit` columns (with their `absolute`/`offset`/
 * `trailingOffset` types) are not read yet, so the order's `close` is left unsaid (absent,
 * shown as none) rather than claimed to be none.
 */
export function toOrder(row: Row, ctx: RowContext): BrokerOrder {
  const strategyId = typeof row.strategyId === 'string' && row.strategyId ? row.strategyId : null;
  const type = TYPES[String(row.type)] ?? 'market';
  return {
    orderId: idCell(row.id) ?? '',
    clientOrderId: strategyId === null ? null : ctx.clientIdOf(strategyId),
    symbol: ctx.symbolOf(idCell(row.tradableInstrumentId) ?? ''),
    side: row.side === 'sell' ? 'sell' : 'buy',
    type,
    qty: decimalCell(row.qty) ?? '0',
    filledQty: decimalCell(row.filledQty) ?? '0',
    price: type === 'limit' ? priceCell(row.price) : null,
    stopPrice: type === 'stop' ? priceCell(row.stopPrice) : null,
    avgPrice: priceCell(row.avgPrice),
    status: orderStatus(row),
    updatedAt: timeCell(row.lastModified) ?? timeCell(row.createdDate),
  };
}

export function toPosition(row: Row, ctx: RowContext): BrokerPosition {
  const positionId = idCell(row.id);
  return {
    symbol: ctx.symbolOf(idCell(row.tradableInstrumentId) ?? ''),
    side: row.side === 'sell' ? 'short' : 'long',
    qty: decimalCell(row.qty) ?? '0',
    avgPrice: decimalCell(row.avgPrice) ?? '0',
    unrealisedPnl: decimalCell(row.unrealizedPl),
    ...(positionId ? { positionId } : {}),
  };
}

/** An execution row; its client id comes from the order it belongs to, when known. */
export function toFill(
  row: Row,
  ctx: RowContext,
  clientIdOfOrder: (orderId: string) => string | null,
): BrokerFill {
  const orderId = idCell(row.orderId) ?? '';
  return {
    fillId: idCell(row.id) ?? '',
    orderId,
    clientOrderId: clientIdOfOrder(orderId),
    symbol: ctx.symbolOf(idCell(row.tradableInstrumentId) ?? ''),
    side: row.side === 'sell' ? 'sell' : 'buy',
    qty: decimalCell(row.qty) ?? '0',
    price: decimalCell(row.price) ?? '0',
    time: timeCell(row.createdDate) ?? 0,
  };
}
