/**
 * Binance's WebSocket API door (`/binance/ws-api/v3`) and its user data stream, the way CCXT
 * Pro subscribes for spot: `userDataStream.subscribe.signature` signed with an API key, then
 * `executionReport` (orders and their fills), `listStatus` (order lists, when placed and when
 * done) and `outboundAccountPosition` (balances) events wrapped as
 * `{"subscriptionId", "event"}`. Its other requests (sessions, and those the REST facade
 * serves) are `ws-api-requests.ts`'s; every answer is `{id, status, result | error}`, with
 * `rateLimits` for the facade's. Written from Binance's WebSocket API documentation (user data
 * stream requests and events).
 *
 * A door: it checks signatures through the authenticator (the signed payload is the
 * parameters sorted by name; same replay and clock rules as the REST facade), forwards the
 * hub's private `orders`, `orderLists`, `fills` and `balances` events of the key's user, and
 * runs requests through the facade, never reading a service.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { OperationOutput } from '../../../src-shared/contract';
import type { BackendConfig } from '../../config';
import type { EventHub, Published } from '../../events/hub';
import { userIdOf } from '../../operations/principal';
import type { Logger } from '../../observability/logger';
import { isAllowedOrigin } from '../http/local-surface';
import { wsMessageBudget, type MessageBudget } from '../message-budget';
import { binanceOrder, toBinanceError } from './mapping';
import {
  mayRead,
  mayReadOrders,
  parseRequest,
  verifySubscription,
  wsApiRequests,
  type Seen,
  type WsApiConn,
  type WsApiDeps,
  type WsRequest,
} from './ws-api-requests';

export const BINANCE_WS_API_PATH = '/binance/ws-api/v3';
const USER_STREAMS = new Set(['orders', 'orderLists', 'fills', 'balances']);
/** Orders remembered per connection so a fill can be reported with its order. */
const MAX_CACHED_ORDERS = 1000;
const MAX_BUFFERED = 4 * 1024 * 1024;
type Order = OperationOutput<'orders.get'>;
type OrderList = OperationOutput<'orders.getList'>;
interface Fill {
  symbol: string;
  tradeId: number;
  orderId: number;
  side: 'buy' | 'sell';
  role: 'maker' | 'taker';
  price: string;
  qty: string;
  quoteQty: string;
  fee: string;
  feeAsset: string;
  ts: number;
}
interface Balance {
  asset: string;
  available: string;
  held: string;
}

interface Conn extends WsApiConn {
  socket: WebSocket;
  orders: Map<number, Order>;
  budget: MessageBudget;
}

const symbolOf = (s: string): string => s.replace('/', '');

/**
 * The execution type (`x`) of a report without a fill, from the order's Binance status (`X`):
 * an order the engine ended (a remainder, an OCO leg whose other leg acted) is EXPIRED on both,
 * one self-trade prevention ended is TRADE_PREVENTION / EXPIRED_IN_MATCH.
 */
const EXECUTION_TYPE: Record<string, string> = {
  CANCELED: 'CANCELED',
  EXPIRED: 'EXPIRED',
  EXPIRED_IN_MATCH: 'TRADE_PREVENTION',
  REJECTED: 'REJECTED',
};

/** An `executionReport` for an order that changed without a fill (new, cancelled, expired). */
export function executionReport(o: Order, now: number, fill?: Fill): Record<string, unknown> {
  const b = binanceOrder(o, symbolOf(o.symbol));
  const x = fill ? 'TRADE' : (EXECUTION_TYPE[String(b.status)] ?? 'NEW');
  return {
    e: 'executionReport',
    E: now,
    s: b.symbol,
    c: b.clientOrderId,
    S: b.side,
    o: b.type,
    f: b.timeInForce,
    q: b.origQty,
    p: b.price,
    P: b.stopPrice,
    F: '0',
    g: b.orderListId,
    C: '',
    x,
    X: b.status,
    r: 'NONE',
    i: o.orderId,
    l: fill?.qty ?? '0',
    z: o.filledQty,
    L: fill?.price ?? '0',
    n: fill?.fee ?? '0',
    N: fill ? fill.feeAsset : null,
    T: fill?.ts ?? o.tsUpdated,
    t: fill?.tradeId ?? -1,
    I: 0,
    w: b.isWorking,
    m: fill?.role === 'maker',
    M: false,
    O: o.tsCreated,
    Z: o.filledQuote,
    Y: fill?.quoteQty ?? '0',
    Q: b.origQuoteOrderQty,
    W: o.tsCreated,
    V: b.selfTradePreventionMode,
    // A trailing stop's conditional fields: trailingDelta and trailingTime (-1 until tracking).
    ...(b.trailingDelta !== undefined ? { d: b.trailingDelta, D: b.trailingTime } : {}),
  };
}

/**
 * True when the only change since the order's last version is its trailing stop moving (stop
 * price, anchor, start of tracking): the engine republishes the order at each move, but Binance
 * documents no report for one — it would read as one more NEW. A fill or an end changes
 * something else and is reported; so is a trigger alone, which changes nothing in the view.
 */
function onlyTrailed(before: Order | undefined, o: Order): boolean {
  if (!before || !o.trailing) return false;
  const rest = (x: Order) => ({ ...x, stopPrice: null, trailing: undefined, tsUpdated: 0 });
  const moved = before.stopPrice !== o.stopPrice || !isDeepStrictEqual(before.trailing, o.trailing);
  return moved && isDeepStrictEqual(rest(before), rest(o));
}

/**
 * A `listStatus` event: an OCO placed (`EXEC_STARTED`/`EXECUTING`) or done (`ALL_DONE`), its
 * orders stop leg first, as Binance lists them in its answers.
 */
export function listStatus(l: OrderList, now: number): Record<string, unknown> {
  const symbol = symbolOf(l.symbol);
  const done = l.status === 'all_done';
  return {
    e: 'listStatus',
    E: now,
    s: symbol,
    g: l.orderListId,
    c: 'OCO',
    l: done ? 'ALL_DONE' : 'EXEC_STARTED',
    L: done ? 'ALL_DONE' : 'EXECUTING',
    r: 'NONE',
    C: l.listClientOrderId ?? '',
    T: l.tsUpdated,
    O: [l.orders[1], l.orders[0]].flatMap((o) =>
      o ? [{ s: symbol, i: o.orderId, c: o.clientOrderId ?? '' }] : [],
    ),
  };
}

/** Sends one user-data event, wrapped as Binance wraps it; a too slow reader is dropped. */
function push(conn: Conn, event: Record<string, unknown>): void {
  if (conn.socket.bufferedAmount > MAX_BUFFERED) {
    conn.socket.close(1008, 'too slow');
    return;
  }
  conn.socket.send(JSON.stringify({ subscriptionId: 0, event }));
}

/** What one of the user's events becomes on this connection, if anything. */
function deliver(conn: Conn, msg: Published, now: number): void {
  if (msg.stream === 'orders') {
    const o = msg.data as Order;
    const before = conn.orders.get(o.orderId);
    conn.orders.delete(o.orderId);
    conn.orders.set(o.orderId, o);
    if (conn.orders.size > MAX_CACHED_ORDERS) {
      conn.orders.delete(conn.orders.keys().next().value as number);
    }
    // A fill is reported with its trade (the `fills` event of the same commit follows).
    if (o.status !== 'partially_filled' && o.status !== 'filled' && !onlyTrailed(before, o)) {
      push(conn, executionReport(o, now));
    }
  } else if (msg.stream === 'orderLists') {
    push(conn, listStatus(msg.data as OrderList, now));
  } else if (msg.stream === 'fills') {
    const f = msg.data as Fill;
    const o = conn.orders.get(f.orderId);
    if (o) push(conn, executionReport(o, now, f));
  } else if (msg.stream === 'balances' && mayRead(conn.principal, 'wallet.read')) {
    const b = msg.data as Balance;
    push(conn, {
      e: 'outboundAccountPosition',
      E: now,
      u: now,
      B: [{ a: b.asset, f: b.available, l: b.held }],
    });
  }
}

export interface BinanceUserDataDeps extends WsApiDeps {
  config: BackendConfig;
  hub: EventHub;
  log: Logger;
}

/** Registers `/binance/ws-api/v3`: the user data stream, and requests the REST facade serves. */
export function registerBinanceUserData(app: FastifyInstance, deps: BinanceUserDataDeps): void {
  const conns = new Set<Conn>();

  const onEvent = (msg: Published): void => {
    if (msg.audience.kind !== 'user') return;
    const now = deps.now();
    for (const conn of conns) {
      if (!conn.principal || userIdOf(conn.principal) !== msg.audience.userId) continue;
      if (deps.authenticator.stillValid && !deps.authenticator.stillValid(conn.principal)) {
        // The key was revoked (or its owner signed out everywhere): the stream ends.
        conn.principal = undefined;
        push(conn, { e: 'eventStreamTerminated', E: now });
        continue;
      }
      deliver(conn, msg, now);
    }
  };
  const unsubscribeHub = deps.hub.subscribe(onEvent, (stream) => {
    if (!USER_STREAMS.has(stream)) return false;
    for (const conn of conns) if (conn.principal) return true;
    return false;
  });
  app.addHook('onClose', async () => {
    unsubscribeHub();
    for (const conn of conns) conn.socket.close(1001, 'server shutting down');
  });

  const api = wsApiRequests(deps);

  /** The user data stream's own requests; the others are the WebSocket API's. */
  const answer = async (conn: Conn, req: WsRequest, ip: string, seen: Seen): Promise<unknown> => {
    switch (req.method) {
      case 'userDataStream.subscribe.signature':
        conn.principal = verifySubscription(req.params, ip, deps);
        return { subscriptionId: 0 };
      case 'userDataStream.subscribe':
        // The logged-on key's stream (session.logon), as Binance serves it.
        conn.principal = mayReadOrders(api.sessionOf(conn));
        return { subscriptionId: 0 };
      case 'userDataStream.unsubscribe':
        conn.principal = undefined;
        conn.orders.clear();
        return {};
      case 'ping':
        return {};
      default:
        return api.answer(conn, req, ip, seen);
    }
  };

  const open = (socket: WebSocket, req: FastifyRequest): void => {
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, deps.config.allowedOrigins)) {
      socket.close(4003, 'origin not allowed');
      return;
    }
    const conn: Conn = {
      socket,
      orders: new Map(),
      budget: wsMessageBudget(),
      connectedSince: deps.now(),
    };
    conns.add(conn);
    socket.on('close', () => conns.delete(conn));
    socket.on('message', (data) => {
      if (!conn.budget.take()) {
        socket.close(1008, 'too many messages');
        return;
      }
      void (async () => {
        let r: WsRequest | undefined;
        let reply: Record<string, unknown>;
        const seen: Seen = {};
        try {
          r = parseRequest(data.toString());
          reply = { id: r.id, status: 200, result: await answer(conn, r, req.ip, seen) };
        } catch (err) {
          const e = toBinanceError(err);
          if (e.status >= 500) deps.log.warn({ err }, 'binance ws-api: request failed');
          reply = { id: r?.id ?? null, status: e.status, error: e.body() };
        }
        const rateLimits = api.rateLimitsFor(r, seen, req.ip);
        if (rateLimits) reply.rateLimits = rateLimits;
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
      })();
    });
  };

  app.get(BINANCE_WS_API_PATH, { websocket: true, schema: { hide: true } }, open);
}
