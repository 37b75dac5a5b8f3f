import {
  CLOSE_UNSAID,
  type BrokerAttachedClose,
  type BrokerFill,
  type BrokerOrder,
  type BrokerOrderStatus,
  type BrokerOrderType,
  type BrokerPosition,
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

const NO_CLOSE = CLOSE_UNSAID;

/**
 * One of an order row's attached closes, from its value column (`stopLoss`, `takeProfit`) and
 * the type column beside it, as TradeLocker documents them: `absolute` is a price, `offset` a
 * distance in price units from the order's price, `trailingOffset` (stop-loss only) a
 * stop-loss trailing by that distance. A value of 0, null or nothing is none; `undefined` when the
 * row cannot say (no such column, or a type TradeLocker does not list for that side).
 */
function closeOf(
  row: Row,
  column: 'stopLoss' | 'takeProfit',
): BrokerAttachedClose | null | undefined {
  if (!(column in row)) return undefined;
  const cell = row[column];
  if (cell === null || cell === undefined || cell === '') return null;
  const value = decimalCell(cell);
  // Unreadable, or negative (prices and TradeLocker's distances are positive): not read.
  if (value === null || value.startsWith('-')) return undefined;
  if (value === '0') return null;
  const kind = row[`${column}Type`];
  const type = column === 'stopLoss' ? 'stop_loss' : 'take_profit';
  if (kind === 'absolute') return { ...NO_CLOSE, type, price: value };
  if (kind === 'offset') return { ...NO_CLOSE, type, offset: value };
  if (kind === 'trailingOffset' && column === 'stopLoss') {
    return { ...NO_CLOSE, type: 'trailing_stop', trailAmount: value };
  }
  return undefined;
}

/**
 * An order's stop-loss and take-profit, stop-loss first: `[]` when the row says it has none;
 * undefined when either cannot be read (listing only the other would claim there is no such
 * close).
 */
export function closesOf(row: Row): BrokerAttachedClose[] | undefined {
  const sl = closeOf(row, 'stopLoss');
  const tp = closeOf(row, 'takeProfit');
  if (sl === undefined || tp === undefined) return undefined;
  return [sl, tp].filter((c): c is BrokerAttachedClose => c !== null);
}

/**
 * An order row. Its `stopLoss`/`takeProfit` columns (typed `absolute`/`offset`/
 * `trailingOffset`) are the closes TradeLocker attaches when it fills (`closesOf`).
 */
export function toOrder(row: Row, ctx: RowContext): BrokerOrder {
  const strategyId = typeof row.strategyId === 'string' && row.strategyId ? row.strategyId : null;
  const type = TYPES[String(row.type)] ?? 'market';
  const closes = closesOf(row);
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
    ...(closes !== undefined ? { closes } : {}),
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
