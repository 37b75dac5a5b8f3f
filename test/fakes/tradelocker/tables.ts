import { divDecimal, mulDecimal, subDecimal } from '../../../src-shared/decimal';
import type { Book, FakeExecution, FakeOrder, FakePosition } from './book';

/**
 * `/trade/config` and the positional rows it describes. The column order is deliberately
 * not the SDK's listing order (side before qty, ids last…), so a connector that reads cells
 * by index instead of by column id gets wrong values.
 */
const ORDER_COLUMNS = [
  'side',
  'id',
  'status',
  'qty',
  'strategyId',
  'tradableInstrumentId',
  'type',
  'price',
  'filledQty',
  'routeId',
  'avgPrice',
  'stopPrice',
  'validity',
  'expireDate',
  'createdDate',
  'lastModified',
  'isOpen',
  'positionId',
  'stopLoss',
  'stopLossType',
  'takeProfit',
  'takeProfitType',
];

const POSITION_COLUMNS = [
  'qty',
  'side',
  'tradableInstrumentId',
  'id',
  'avgPrice',
  'routeId',
  'stopLossId',
  'takeProfitId',
  'openDate',
  'unrealizedPl',
  'strategyId',
];

const EXECUTION_COLUMNS = [
  'orderId',
  'qty',
  'id',
  'side',
  'price',
  'createdDate',
  'positionId',
  'tradableInstrumentId',
];

const ACCOUNT_COLUMNS = [
  'projectedBalance',
  'availableFunds',
  'balance',
  'blockedBalance',
  'cashBalance',
  'openGrossPnL',
  'openNetPnL',
  'positionsCount',
  'ordersCount',
];

export interface RateRule {
  rateLimitType: string;
  measure: 'SECONDS' | 'MINUTES';
  intervalNum: number;
  limit: number;
}

const cols = (id: string, ids: string[]) => ({
  id,
  title: id,
  columns: ids.map((c) => ({ id: c, description: c })),
});

export function tradeConfig(rateLimits: RateRule[]): object {
  return {
    customerAccess: {
      orders: true,
      ordersHistory: true,
      filledOrders: true,
      positions: true,
      symbolInfo: true,
      marketDepth: false,
    },
    positionsConfig: cols('positions', POSITION_COLUMNS),
    ordersConfig: cols('orders', ORDER_COLUMNS),
    ordersHistoryConfig: cols('ordersHistory', ORDER_COLUMNS),
    filledOrdersConfig: cols('filledOrders', EXECUTION_COLUMNS),
    accountDetailsConfig: cols('accountDetails', ACCOUNT_COLUMNS),
    limits: [{ limitType: 'QUOTES_HISTORY_BARS', limit: 5000 }],
    rateLimits,
  };
}

/** How amounts go out: strings (the default) or JSON numbers (both have been seen in clients). */
export type AmountStyle = 'string' | 'number';

const amount = (v: string | null, style: AmountStyle) =>
  v === null ? null : style === 'number' ? Number(v) : v;

const row = (columns: string[], record: Record<string, unknown>) =>
  columns.map((c) => record[c] ?? null);

export function orderRow(o: FakeOrder, style: AmountStyle): unknown[] {
  return row(ORDER_COLUMNS, {
    ...o,
    tradableInstrumentId: o.instrumentId,
    qty: amount(o.qty, style),
    filledQty: amount(o.filledQty, style),
    avgPrice: amount(o.avgPrice, style),
    price: amount(o.price ?? '0', style),
    stopPrice: amount(o.stopPrice ?? '0', style),
    stopLoss: amount(o.stopLoss, style),
    takeProfit: amount(o.takeProfit, style),
    isOpen: o.status === 'New',
    expireDate: null,
    positionId: o.positionId ?? '0',
  });
}

export function positionRow(p: FakePosition, book: Book, style: AmountStyle): unknown[] {
  const i = book.instrument(p.instrumentId)!;
  const exit = p.side === 'buy' ? i.bid : i.ask;
  // What closing now would make, in the quote currency (the fake's accounts are in it):
  // (exit − entry) × lots × contract size, negated for a sell, to cents.
  const move = p.side === 'buy' ? subDecimal(exit, p.avgPrice) : subDecimal(p.avgPrice, exit);
  const pl = divDecimal(mulDecimal(mulDecimal(move, p.qty), i.lotSize), '1', 2, 'half_even')!;
  return row(POSITION_COLUMNS, {
    ...p,
    tradableInstrumentId: p.instrumentId,
    qty: amount(p.qty, style),
    avgPrice: amount(p.avgPrice, style),
    unrealizedPl: amount(pl, style),
    exit,
  });
}

export function executionRow(e: FakeExecution, style: AmountStyle): unknown[] {
  return row(EXECUTION_COLUMNS, {
    ...e,
    tradableInstrumentId: e.instrumentId,
    qty: amount(e.qty, style),
    price: amount(e.price, style),
  });
}

export function accountRow(balance: string, book: Book, style: AmountStyle): unknown[] {
  const working = [...book.orders.values()].filter((o) => o.status === 'New').length;
  return row(ACCOUNT_COLUMNS, {
    balance: amount(balance, style),
    projectedBalance: amount(balance, style),
    availableFunds: amount(balance, style),
    blockedBalance: amount('0', style),
    cashBalance: amount(balance, style),
    openGrossPnL: amount('0', style),
    openNetPnL: amount('0', style),
    positionsCount: book.positions.size,
    ordersCount: working,
  });
}
