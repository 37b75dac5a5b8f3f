/**
 * The requests of Binance's WebSocket API (`/binance/ws-api/v3`) beyond its user data stream:
 * `session.logon` / `session.status` / `session.logout`, and the requests that run a REST
 * endpoint of the same meaning through the facade (`order.place`, `account.status`, `depth`…,
 * what CCXT Pro's `createOrderWs`, `fetchBalanceWs` and the like send) — same weights, order
 * counts, rules and answers. Also what every request of that door shares: its parsing, its
 * signature (Ed25519 over the parameters sorted by name, under the REST facade's clock and
 * replay rules) and Binance's `rateLimits` block. Written from Binance's WebSocket API
 * documentation (general information, authentication and session requests, trading, account
 * and market data requests).
 */
import { randomUUID } from 'node:crypto';
import type { Permission } from '../../../src-shared/contract';
import type { Authenticator } from '../../operations/auth';
import { ANONYMOUS, userIdOf, type Principal } from '../../operations/principal';
import { BinanceError } from './mapping';
import type { Params, Route } from './call';
import { API_ROUTES, inRecvWindow, type BinanceFacade } from './facade';
import { REQUEST_WEIGHT_LIMIT } from './weights';

export type WsRequest = {
  id: string | number | null;
  method: string;
  params: Record<string, unknown>;
};

export function parseRequest(text: string): WsRequest {
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

export const mayRead = (p: Principal | undefined, permission: Permission): boolean =>
  p !== undefined && p.kind !== 'anonymous' && p.permissions.has(permission);

/**
 * A signed WebSocket API request: signed with an API key under the REST facade's clock rules
 * and replay refusal (the endpoint named for it); the key's principal.
 */
function verifySigned(
  params: Record<string, unknown>,
  ip: string,
  deps: WsApiDeps,
  use: { endpoint: string; readOnly: boolean },
): Principal {
  const auth = deps.authenticator.fromKeySignature;
  if (!auth) throw new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.');
  const { apiKey, signature } = params;
  if (typeof apiKey !== 'string' || typeof signature !== 'string') {
    throw new BinanceError(-1102, "Mandatory parameters 'apiKey' and 'signature' were not sent.");
  }
  const { timestamp, recvWindow: window } = inRecvWindow(params, deps.now());
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
export function verifySubscription(
  params: Record<string, unknown>,
  ip: string,
  deps: WsApiDeps,
): Principal {
  return mayReadOrders(
    verifySigned(params, ip, deps, {
      endpoint: 'WS userDataStream.subscribe.signature',
      readOnly: true,
    }),
  );
}

/** The stream shows the key's orders and trades: a key that may not read them gets nothing. */
export function mayReadOrders(principal: Principal): Principal {
  if (!mayRead(principal, 'orders.read')) {
    throw new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
  }
  return principal;
}

/** What this module needs of a connection (the user data stream's connection has more). */
export interface WsApiConn {
  /** Whose user data stream this connection carries, once subscribed. */
  principal?: Principal;
  /** The key logged on with `session.logon`, and when. */
  session?: { principal: Principal; apiKey: string; since: number };
  readonly connectedSince: number;
}

export interface WsApiDeps {
  authenticator: Authenticator;
  now: () => number;
  /** The REST facade, whose endpoints the requests run. */
  facade: BinanceFacade;
}

/** What a request's answer needs to know of its caller (`rateLimits` names their orders). */
export type Seen = { principal?: Principal; route?: Route };

/**
 * The session and facade requests of one WebSocket API door: `answer` serves them (a method it
 * does not know is refused with -1000), `sessionOf` is the connection's logged-on key, and
 * `rateLimitsFor` the block a facade request's answer carries.
 */
export function wsApiRequests(deps: WsApiDeps) {
  /** The logged-on key, while it is still valid (a revoked key ends the session). */
  const sessionOf = (conn: WsApiConn): Principal => {
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
  const fromSession = (conn: WsApiConn, params: Record<string, unknown>): Principal => {
    const principal = sessionOf(conn);
    if (params.apiKey !== undefined && params.apiKey !== conn.session?.apiKey) {
      throw new BinanceError(
        -1102,
        "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
      );
    }
    inRecvWindow(params, deps.now());
    return principal;
  };

  /** `session.status`'s answer (also session.logon's and session.logout's). */
  const sessionStatus = (conn: WsApiConn) => ({
    apiKey: conn.session?.apiKey ?? null,
    authorizedSince: conn.session?.since ?? null,
    connectedSince: conn.connectedSince,
    returnRateLimits: true,
    serverTime: deps.now(),
    userDataStream: conn.principal !== undefined,
  });

  /** A request the REST facade serves: weighed, authenticated when signed, run. */
  const request = async (
    conn: WsApiConn,
    req: WsRequest,
    ip: string,
    seen: Seen,
  ): Promise<unknown> => {
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
    const caller = {
      principal,
      ip,
      correlationId: randomUUID(),
      door: 'ws' as const,
      label: `WS ${req.method}`,
    };
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
      { ...REQUEST_WEIGHT_LIMIT, count: deps.facade.weights.current(ip) },
    ];
    const userId = seen.principal ? userIdOf(seen.principal) : undefined;
    if (seen.route.places !== undefined && userId !== undefined) {
      limits.push(...deps.facade.orders.usage(userId));
    }
    return limits;
  };

  const answer = async (
    conn: WsApiConn,
    req: WsRequest,
    ip: string,
    seen: Seen,
  ): Promise<unknown> => {
    switch (req.method) {
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
      default:
        return request(conn, req, ip, seen);
    }
  };

  return { answer, sessionOf, rateLimitsFor };
}
