import type { Book } from './book';
import { closePosition, modifyOrder, placeOrder, Refusal } from './rules';
import {
  accountRow,
  executionRow,
  orderRow,
  positionRow,
  tradeConfig,
  type AmountStyle,
  type RateRule,
} from './tables';

/** One answer of the fake: JSON with a status, or no answer ('hold'), or a dropped socket. */
export type Reply =
  { status: number; body: unknown; headers?: Record<string, string> } | 'hold' | 'drop';

export interface TradeRequest {
  method: string;
  path: string;
  url: URL;
  body: string;
  account: { id: string; balance: string; book: Book };
  /** The last path segment of `/trade/accounts/{id}/<table>`. */
  table: string | undefined;
  style: AmountStyle;
  rateLimits: RateRule[];
}

/** Misbehaviour the test asked for, taken once. */
export interface TradeHooks {
  takeReject(): string | null;
  takeLoss(): boolean;
}

/**
 * The `/trade/*` endpoints of the fake once the session, `accNum` and rate limit have been
 * checked: config, instruments and details (INFO routes), tables, and the order and position
 * operations of the book.
 */
export function tradeRoutes(r: TradeRequest, hooks: TradeHooks): Reply {
  const { method, path, url, body, account, table, style, rateLimits } = r;
  const book = account.book;
  const q = (k: string) => url.searchParams.get(k);
  if (method === 'GET' && path === '/trade/config') return ok(tradeConfig(rateLimits));
  if (method === 'GET' && table === 'instruments') {
    return ok({
      instruments: book.instruments.map((i) => ({
        tradableInstrumentId: Number(i.id),
        id: Number(i.id) + 1000,
        name: i.name,
        description: i.name,
        type: i.type,
        tradingExchange: 'FAKE',
        routes: [
          ...i.infoRoutes.map((id) => ({ id: Number(id), type: 'INFO' })),
          { id: Number(i.tradeRoute), type: 'TRADE' },
        ],
      })),
    });
  }
  const detail = /^\/trade\/instruments\/(\d+)$/.exec(path);
  if (method === 'GET' && (detail || path === '/trade/quotes')) {
    const i = book.instrument(detail?.[1] ?? q('tradableInstrumentId') ?? '');
    if (!i) throw new Refusal(404, 'Instrument not found');
    const routeId = q('routeId') ?? '';
    if (!i.infoRoutes.includes(routeId) || i.badInfoRoutes.includes(routeId))
      return { status: 200, body: { s: 'error', errmsg: 'Invalid route' } };
    if (!detail) return ok({ ap: Number(i.ask), bp: Number(i.bid), as: 1000000, bs: 1000000 });
    return ok({
      tradableInstrumentId: Number(i.id),
      name: i.name,
      lotSize: Number(i.lotSize),
      lotStep: Number(i.lotStep),
      minLot: Number(i.minLot),
      maxLot: Number(i.maxLot),
      tickSize: [{ leftRangeLimit: null, rightRangeLimit: null, tickSize: Number(i.tick) }],
      tickCost: [{ leftRangeLimit: null, rightRangeLimit: null, tickCost: 1 }],
      baseCurrency: i.name.slice(0, 3),
      quotingCurrency: i.name.slice(3),
      tradeSessionId: 1,
    });
  }
  if (method === 'GET' && table === 'state')
    return ok({ accountDetailsData: accountRow(account.balance, book, style) });
  if (method === 'GET' && table === 'orders')
    return ok({
      orders: [...book.orders.values()]
        .filter((o) => o.status === 'New')
        .map((o) => orderRow(o, style)),
    });
  if (method === 'GET' && table === 'ordersHistory')
    return ok({
      ordersHistory: [...book.orders.values()]
        .filter((o) => o.status !== 'New')
        .map((o) => orderRow(o, style)),
    });
  if (method === 'GET' && table === 'positions')
    return ok({
      positions: [...book.positions.values()].map((p) => positionRow(p, book, style)),
    });
  if (method === 'GET' && table === 'executions')
    return ok({ executions: book.executions.map((e) => executionRow(e, style)) });
  if (method === 'POST' && table === 'orders') {
    const placed = placeOrder(book, json(body), hooks.takeReject());
    if (hooks.takeLoss()) return 'hold';
    return placed.ok
      ? ok({ orderId: placed.orderId })
      : { status: 200, body: { s: 'error', errmsg: placed.errmsg } };
  }
  if (method === 'DELETE' && table === 'orders') {
    const only = q('tradableInstrumentId');
    for (const o of book.orders.values()) {
      if (o.status === 'New' && !o.closes && (!only || o.instrumentId === only))
        book.finish(o, 'Cancelled');
    }
    return ok({});
  }
  const order = /^\/trade\/orders\/([^/]+)$/.exec(path);
  if (order) {
    const o = book.orders.get(order[1]!);
    if (!o) throw new Refusal(404, 'Order not found');
    if (o.status !== 'New')
      return { status: 200, body: { s: 'error', errmsg: `Order is not active (${o.status})` } };
    if (method === 'DELETE') {
      book.finish(o, 'Cancelled');
      return ok({});
    }
    if (method === 'PATCH') return modifyOrder(book, o, json(body)) ?? ok({});
  }
  const pos = /^\/trade\/positions\/([^/]+)$/.exec(path);
  if (pos && method === 'DELETE') {
    const p = book.positions.get(pos[1]!);
    if (!p) throw new Refusal(404, 'Position not found');
    return closePosition(book, p, json(body)) ?? ok({});
  }
  throw new Refusal(404, `no route ${method} ${path}`);
}

export function ok(d: unknown, wrap = true, status = 200): Reply {
  return { status, body: wrap ? { s: 'ok', d } : d };
}

export function json(text: string): unknown {
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v;
  } catch {
    throw new Refusal(400, 'Body must be a JSON object');
  }
}
