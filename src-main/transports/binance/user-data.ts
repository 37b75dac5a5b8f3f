/**
 * Binance's WebSocket API (`/binance/ws-api/v3`). Its user data stream, the way CCXT Pro
 * subscribes for spot: `userDataStream.subscribe.signature` signed with an API key, then
 * `executionReport` (orders and their fills), `listStatus` (order lists, when placed and when
 * done) and `outboundAccountPosition` (balances) events wrapped as
 * `{"subscriptionId", "event"}`. And its requests (`order.place`, `account.status`, `depth`…,
 * what CCXT Pro's `createOrderWs`, `fetchBalanceWs` and the like send), each run by the REST
 * facade's endpoint of the same meaning — same weights, order counts, rules and answers — and
 * answered as `{id, status, result | error, rateLimits}`. Written from Binance's WebSocket API
 * documentation (general information, user data stream requests and events, trading, account
 * and market data requests).
 *
 * A door: it checks signatures through the authenticator (the signed payload is the
 * parameters sorted by name; same replay and clock rules as the REST facade), forwards the
 * hub's private `orders`, `orderLists`, `fills` and `balances` events of the key's user, and
 * runs requests through the facade, never reading a service.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { OperationOutput, Permission } from '../../../src-shared/contract';
import type { BackendConfig } from '../../config';
import type { EventHub, Published } from '../../events/hub';
import type { Authenticator } from '../../operations/auth';
import { ANONYMOUS, userIdOf, type Principal } from '../../operations/principal';
import type { Logger } from '../../observability/logger';
import { isAllowedOrigin } from '../http/local-surface';
import { wsMessageBudget, type MessageBudget } from '../message-budget';
import { BinanceError, binanceOrder, toBinanceError } from './mapping';
import type { Params, Route } from './call';
import { API_ROUTES, type BinanceFacade } from './facade';
import { REQUEST_WEIGHT_PER_MINUTE } from './weights';

export const BINANCE_WS_API_PATH = '/binance/ws-api/v3';
const USER_STREAMS = new Set(['orders', 'orderLists', 'fills', 'balances']);
/** Orders remembered per connection so a fill can be reported with its order. */
const MAX_CACHED_ORDERS = 1000;
const MAX_BUFFERED = 4 * 1024 * 1024;
/** The REST facade's clock rules (Binance's): default and largest recvWindow, ms ahead allowed. */
const DEFAULT_RECV_WINDOW = 5_000;
const MAX_RECV_WINDOW = 60_000;
const MAX_AHEAD = 1_000;

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

interface Conn {
  socket: WebSocket;
  /** Whose user data stream this connection carries, once subscribed. */
  principal?: Principal;
  /** The key logged on with `session.logon`, and when. */
  session?: { principal: Principal; apiKey: string; since: number };
  readonly connectedSince: number;
  orders: Map<number, Order>;
  budget: MessageBudget;
}

type WsRequest = { id: string | number | null; method: string; params: Record<string, unknown> };

function parseRequest(text: string): WsRequest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new BinanceError(-1102, 'Malformed request: not JSON.', 400);
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    throw new BinanceError(-1102, 'Malformed request: expected a JSON object.', 400);
  }
  const r = m as Record<string, unknown>;
  const id = r.id ?? null;
  if (id !== null && typeof id !== 'string' && !Number.isSafeInteger(id)) {
    throw new BinanceError(-1102, "Malformed request: 'id' must be a string or an integer.");
  }
  if (typeof r.method !== 'string') throw new BinanceError(-1102, "Mandatory 'method' missing.");
  const params = r.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new BinanceError(-1102, "'params' must be an object.");
  }
  return { id: id as WsRequest['id'], method: r.method, params: params as Record<string, unknown> };
}

/**
 * The WebSocket API's signed payload: every parameter but `signature`, sorted by name, as
 * `name=value` joined with `&` (values as sent, not URL-encoded).
 */
export function wsApiPayload(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

const symbolOf = (s: string): string => s.replace('/', '');

/**
 * The WebSocket API's requests that run a REST endpoint, by Binance's method names (its
 * WebSocket API documentation: market data, trading, account requests).
 */
const WS_METHODS: Record<string, string> = {
  time: 'GET /time',
  exchangeInfo: 'GET /exchangeInfo',
  depth: 'GET /depth',
  'trades.recent': 'GET /trades',
  'trades.historical': 'GET /historicalTrades',
  'trades.aggregate': 'GET /aggTrades',
  klines: 'GET /klines',
  avgPrice: 'GET /avgPrice',
  'ticker.24hr': 'GET /ticker/24hr',
  ticker: 'GET /ticker',
  'ticker.price': 'GET /ticker/price',
  'ticker.book': 'GET /ticker/bookTicker',
  'order.place': 'POST /order',
  'order.test': 'POST /order/test',
  'order.status': 'GET /order',
  'order.cancel': 'DELETE /order',
  'order.cancelReplace': 'POST /order/cancelReplace',
  'openOrders.status': 'GET /openOrders',
  'openOrders.cancelAll': 'DELETE /openOrders',
  'orderList.place.oco': 'POST /orderList/oco',
  'orderList.status': 'GET /orderList',
  'orderList.cancel': 'DELETE /orderList',
  'openOrderLists.status': 'GET /openOrderList',
  allOrderLists: 'GET /allOrderList',
  allOrders: 'GET /allOrders',
  myTrades: 'GET /myTrades',
  'account.status': 'GET /account',
  'account.commission': 'GET /account/commission',
  'account.rateLimits.orders': 'GET /rateLimit/order',
};
const WS_API_ROUTES = new Map(
  Object.entries(WS_METHODS).map(([method, key]) => {
    const route = API_ROUTES.find((r) => `${r.method} ${r.path}` === key);
    if (!route) throw new Error(`the WebSocket API names ${key}, which the facade lacks`);
    return [method, route] as const;
  }),
);
/** Parameters of the WebSocket API request itself (signing, answer format), not the endpoint's. */
const SIGNING = new Set(['apiKey', 'signature', 'returnRateLimits']);

/**
 * A request's parameters as the REST endpoint reads them: text, as a query string carries
 * it; lists (`symbols`, `permissions`) as the JSON arrays the REST API takes.
 */
function restParams(params: Record<string, unknown>): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    if (SIGNING.has(k) || v === undefined || v === null) continue;
    if (Array.isArray(v)) out[k] = JSON.stringify(v);
    else if (typeof v === 'object') {
      throw new BinanceError(-1100, `Illegal characters found in parameter '${k.slice(0, 64)}'.`);
    } else out[k] = String(v as string | number | boolean);
  }
  return out;
}

const mayRead = (p: Principal | undefined, permission: Permission): boolean =>
  p !== undefined && p.kind !== 'anonymous' && p.permissions.has(permission);

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
  };
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
    conn.orders.delete(o.orderId);
    conn.orders.set(o.orderId, o);
    if (conn.orders.size > MAX_CACHED_ORDERS) {
      conn.orders.delete(conn.orders.keys().next().value as number);
    }
    // A fill is reported with its trade (the `fills` event of the same commit follows).
    if (o.status !== 'partially_filled' && o.status !== 'filled') {
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

/** A request's `timestamp` within its `recvWindow` of the server's clock (Binance's rule). */
function inWindow(params: Record<string, unknown>, now: number) {
  const { timestamp, recvWindow } = params;
  if (!Number.isSafeInteger(Number(timestamp))) {
    throw new BinanceError(-1102, "Mandatory parameter 'timestamp' was not sent or malformed.");
  }
  const window = recvWindow === undefined ? DEFAULT_RECV_WINDOW : Number(recvWindow);
  if (!Number.isInteger(window) || window < 1 || window > MAX_RECV_WINDOW) {
    throw new BinanceError(-1131, `recvWindow must be less than ${MAX_RECV_WINDOW}.`);
  }
  if (Number(timestamp) - now > MAX_AHEAD || now - Number(timestamp) > window) {
    throw new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.');
  }
  return { timestamp: Number(timestamp), window };
}

/**
 * A signed WebSocket API request: signed with an API key under the REST facade's clock rules
 * and replay refusal (the endpoint named for it); the key's principal.
 */
function verifySigned(
  params: Record<string, unknown>,
  ip: string,
  deps: BinanceUserDataDeps,
  use: { endpoint: string; readOnly: boolean },
): Principal {
  const auth = deps.authenticator.fromKeySignature;
  if (!auth) throw new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.');
  const { apiKey, signature } = params;
  if (typeof apiKey !== 'string' || typeof signature !== 'string') {
    throw new BinanceError(-1102, "Mandatory parameters 'apiKey' and 'signature' were not sent.");
  }
  const { timestamp, window } = inWindow(params, deps.now());
  const principal = auth({
    keyId: apiKey,
    canonical: wsApiPayload(params),
    signature: Buffer.from(signature, 'base64'),
    timestamp,
    recvWindow: window,
    ip,
    use,
  });
  if (principal.kind === 'system') {
    throw new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
  }
  return principal;
}

/**
 * `userDataStream.subscribe.signature`: a signed request; the key's user if it may read
 * orders.
 */
function verifySubscription(
  params: Record<string, unknown>,
  ip: string,
  deps: BinanceUserDataDeps,
): Principal {
  return mayReadOrders(
    verifySigned(params, ip, deps, {
      endpoint: 'WS userDataStream.subscribe.signature',
      readOnly: true,
    }),
  );
}

/** The stream shows the key's orders and trades: a key that may not read them gets nothing. */
function mayReadOrders(principal: Principal): Principal {
  if (!mayRead(principal, 'orders.read')) {
    throw new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
  }
  return principal;
}

export interface BinanceUserDataDeps {
  config: BackendConfig;
  hub: EventHub;
  authenticator: Authenticator;
  log: Logger;
  now: () => number;
  /** The REST facade, whose endpoints the WebSocket API's requests run. */
  facade: BinanceFacade;
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

  /** What a request's answer needs to know of its caller (`rateLimits` names their orders). */
  type Seen = { principal?: Principal; route?: Route };

  const answer = async (conn: Conn, req: WsRequest, ip: string, seen: Seen): Promise<unknown> => {
    switch (req.method) {
      case 'userDataStream.subscribe.signature':
        conn.principal = verifySubscription(req.params, ip, deps);
        return { subscriptionId: 0 };
      case 'userDataStream.subscribe':
        // The logged-on key's stream (session.logon), as Binance serves it.
        conn.principal = mayReadOrders(sessionOf(conn));
        return { subscriptionId: 0 };
      case 'session.logon': {
        deps.facade.weights.take(ip, 2); // Binance's weight, counted before the signature check
        // Not read-only: a session may trade, so a signature seen on a read (a captured
        // userDataStream.subscribe.signature has the same parameters) never logs one on.
        const principal = verifySigned(req.params, ip, deps, {
          endpoint: 'WS session.logon',
          readOnly: false,
        });
        conn.session = { principal, apiKey: String(req.params.apiKey), since: deps.now() };
        return sessionStatus(conn);
      }
      case 'session.status':
        return sessionStatus(conn);
      case 'session.logout':
        conn.session = undefined;
        return sessionStatus(conn);
      case 'userDataStream.unsubscribe':
        conn.principal = undefined;
        conn.orders.clear();
        return {};
      case 'ping':
        return {};
      default:
        return request(conn, req, ip, seen);
    }
  };

  /** The logged-on key, while it is still valid (a revoked key ends the session). */
  const sessionOf = (conn: Conn): Principal => {
    const session = conn.session;
    if (
      session &&
      deps.authenticator.stillValid &&
      !deps.authenticator.stillValid(session.principal)
    ) {
      conn.session = undefined;
    }
    if (!conn.session) {
      throw new BinanceError(-1002, 'You are not authorized to execute this request.', 401);
    }
    return conn.session.principal;
  };

  /**
   * A signed request without its signature on a logged-on connection: the session's key, the
   * timestamp still within its window. No other key may be named.
   */
  const fromSession = (conn: Conn, params: Record<string, unknown>): Principal => {
    const principal = sessionOf(conn);
    if (params.apiKey !== undefined && params.apiKey !== conn.session?.apiKey) {
      throw new BinanceError(
        -1102,
        "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
      );
    }
    inWindow(params, deps.now());
    return principal;
  };

  /** `session.status`'s answer (also session.logon's and session.logout's). */
  const sessionStatus = (conn: Conn) => ({
    apiKey: conn.session?.apiKey ?? null,
    authorizedSince: conn.session?.since ?? null,
    connectedSince: conn.connectedSince,
    returnRateLimits: true,
    serverTime: deps.now(),
    userDataStream: conn.principal !== undefined,
  });

  /** A request the REST facade serves: weighed, authenticated when signed, run. */
  const request = async (conn: Conn, req: WsRequest, ip: string, seen: Seen): Promise<unknown> => {
    const route = WS_API_ROUTES.get(req.method);
    if (!route) {
      throw new BinanceError(
        -1000,
        `Bourse's WebSocket API does not serve ${req.method.slice(0, 64)} (docs/api.md lists what it serves)`,
      );
    }
    const params = restParams(req.params);
    seen.route = route;
    deps.facade.weigh(route, params, ip);
    const principal = !route.signed
      ? ANONYMOUS
      : req.params.signature === undefined && conn.session
        ? fromSession(conn, req.params)
        : verifySigned(req.params, ip, deps, {
            endpoint: `WS ${req.method}`,
            readOnly: route.method === 'GET',
          });
    seen.principal = principal;
    const caller = { principal, ip, correlationId: randomUUID(), label: `WS ${req.method}` };
    return deps.facade.run(route, params, caller);
  };

  /**
   * Binance's `rateLimits` block of a request the facade ran: the request weight used, and
   * the order counts after a placement. Left out when the request asks (`returnRateLimits`
   * false), and for the user data stream's own requests.
   */
  const rateLimitsFor = (req: WsRequest | undefined, seen: Seen, ip: string) => {
    if (!seen.route || req?.params.returnRateLimits === false) return undefined;
    const limits: Array<Record<string, unknown>> = [
      {
        rateLimitType: 'REQUEST_WEIGHT',
        interval: 'MINUTE',
        intervalNum: 1,
        limit: REQUEST_WEIGHT_PER_MINUTE,
        count: deps.facade.weights.current(ip),
      },
    ];
    const userId = seen.principal ? userIdOf(seen.principal) : undefined;
    if (seen.route.places !== undefined && userId !== undefined) {
      limits.push(...deps.facade.orders.usage(userId));
    }
    return limits;
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
        const rateLimits = rateLimitsFor(r, seen, req.ip);
        if (rateLimits) reply.rateLimits = rateLimits;
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
      })();
    });
  };

  app.get(BINANCE_WS_API_PATH, { websocket: true, schema: { hide: true } }, open);
}
