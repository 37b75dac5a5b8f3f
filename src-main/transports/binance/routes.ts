/**
 * A Binance-compatible spot REST facade under `/api/v3`, so bots and libraries written for
 * Binance (CCXT, python-binance, freqtrade…) can trade on the local exchange by changing their
 * base URL. A transport like the others: it reads Binance's request format, authenticates with
 * the caller's Bourse API key (Ed25519, which Binance also accepts), calls catalogue operations
 * through the registry — same validation, permissions and audit — and answers in Binance's
 * shapes, errors included (`{"code": -1121, "msg": "Invalid symbol."}`).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OperationInput, OperationName, OperationOutput } from '../../../src-shared/contract';
import { AppError, ORDER_BATCH_MAX } from '../../../src-shared/contract';
import type { Authenticator } from '../../operations/auth';
import type { OperationContext } from '../../operations/context';
import { ANONYMOUS, type Principal } from '../../operations/principal';
import type { OperationRegistry } from '../../operations/registry';
import type { Logger } from '../../observability/logger';
import { withScope } from '../../observability/context';
import { retryAfterSeconds } from '../http/rate-limit';
import {
  BinanceError,
  SymbolMap,
  binanceAggTrade,
  binanceCancelled,
  binanceKline,
  binanceOrder,
  binancePublicTrade,
  binanceTicker24h,
  binanceTrade,
  intervalOf,
  placeInputOf,
  type Market,
  symbolInfo,
  toBinanceError,
} from './mapping';

export const BINANCE_PREFIX = '/api/v3';

/** Binance's defaults and bounds for the request window (ms). */
const DEFAULT_RECV_WINDOW = 5_000;
const MAX_RECV_WINDOW = 60_000;
/** How far ahead of the server's clock a timestamp may be (Binance: 1 s). */
const MAX_AHEAD = 1_000;

type Params = Record<string, string>;
type Order = OperationOutput<'orders.get'>;

interface Call {
  params: Params;
  now: number;
  principal: Principal;
  invoke: <N extends OperationName>(name: N, input: object) => Promise<OperationOutput<N>>;
  symbols: () => Promise<SymbolMap>;
  /** The request's `symbol` and its market (-1121 when it names none). */
  market: () => Promise<{ symbol: string; market: Market }>;
}

/** Everything after `?` in the URL, exactly as sent. */
const rawQueryOf = (req: FastifyRequest) => {
  const i = req.url.indexOf('?');
  return i < 0 ? '' : req.url.slice(i + 1);
};

/** The value of `signature` and the text with it removed (what the client signed). */
function splitSignature(raw: string): { rest: string; signature?: string } {
  const parts = raw === '' ? [] : raw.split('&');
  const kept: string[] = [];
  let signature: string | undefined;
  for (const part of parts) {
    if (!part.startsWith('signature=')) kept.push(part);
    else {
      try {
        signature = decodeURIComponent(part.slice(10));
      } catch {
        throw new BinanceError(-1022, 'Signature for this request is not valid.');
      }
    }
  }
  return { rest: kept.join('&'), ...(signature !== undefined ? { signature } : {}) };
}

/**
 * A signed request per Binance's rules: `X-MBX-APIKEY`, `timestamp` (and `recvWindow`) in the
 * parameters, and `signature` = base64 Ed25519 over the query string followed directly by the
 * body, without the signature itself. Binance's signature covers neither the method nor the
 * path, so a captured `GET /order` could be re-sent as `DELETE /order`: the replay cache behind
 * `fromKeySignature` is what prevents that. It is told the endpoint: the same parameters sent
 * to two read-only endpoints (a client's parallel reads in one millisecond) both pass, while a
 * signature never serves a change once seen, nor anything after a change.
 */
function readSigned(req: FastifyRequest, params: Params, now: number, route: Route) {
  const keyId = req.headers['x-mbx-apikey'];
  if (typeof keyId !== 'string' || keyId === '') {
    throw new BinanceError(-2014, 'API-key format invalid.', 401);
  }
  const query = splitSignature(rawQueryOf(req));
  const body = splitSignature((req as FastifyRequest & { rawBody?: string }).rawBody ?? '');
  const canonical = query.rest + body.rest;
  // Encoded parameters never hold raw control characters, and every /api/v1 canonical string
  // does (its lines): refusing them keeps a signature made for one door from passing the other.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(canonical)) {
    throw new BinanceError(-1100, 'Illegal characters found in a parameter.');
  }
  const signature = query.signature ?? body.signature;
  if (!signature) {
    throw new BinanceError(
      -1102,
      "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
    );
  }
  if (!/^[0-9]{10,16}$/.test(params.timestamp ?? '')) {
    throw new BinanceError(
      -1102,
      "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.",
    );
  }
  const timestamp = Number(params.timestamp);
  const recvWindow =
    params.recvWindow === undefined ? DEFAULT_RECV_WINDOW : Number(params.recvWindow);
  if (!Number.isInteger(recvWindow) || recvWindow < 1 || recvWindow > MAX_RECV_WINDOW) {
    throw new BinanceError(-1131, `recvWindow must be less than ${MAX_RECV_WINDOW}.`);
  }
  if (timestamp - now > MAX_AHEAD || now - timestamp > recvWindow) {
    throw new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.');
  }
  return {
    keyId,
    canonical,
    signature: Buffer.from(signature, 'base64'),
    timestamp,
    recvWindow,
    ip: req.ip,
    use: { endpoint: `${route.method} ${route.path}`, readOnly: route.method === 'GET' },
  };
}

/** The list operations the facade pages through, and what each lists. */
interface PagedItems {
  'orders.list': Order;
  'trades.list': OperationOutput<'trades.list'>['items'][number];
}

/** Every page of a cursor-paged list operation (500 per call), up to `max` items. */
async function listAll<N extends keyof PagedItems>(
  c: Call,
  name: N,
  input: Omit<OperationInput<N>, 'cursor' | 'limit'>,
  max: number,
): Promise<Array<PagedItems[N]>> {
  const out: Array<PagedItems[N]> = [];
  let cursor: string | undefined;
  do {
    const page = (await c.invoke(name, {
      ...input,
      limit: 500,
      ...(cursor ? { cursor } : {}),
    })) as { items: Array<PagedItems[N]>; nextCursor?: string };
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out.slice(0, max);
}

/**
 * A listing read as Binance's allOrders and myTrades answer: with `startTime`, the first
 * `limit` rows from it; otherwise the latest `limit` (up to `endTime`). Oldest first either way.
 */
async function oldestFirstInWindow<N extends 'orders.list' | 'trades.list'>(
  c: Call,
  name: N,
  input: Omit<OperationInput<N>, 'cursor' | 'limit' | 'from' | 'to' | 'order'>,
): Promise<Array<PagedItems[N]>> {
  const window = timeWindow(c.params);
  const fromStart = window.from !== undefined;
  const rows = await listAll(
    c,
    name,
    { ...input, ...window, order: fromStart ? 'asc' : 'desc' } as Omit<
      OperationInput<N>,
      'cursor' | 'limit'
    >,
    limitOf(c.params, 500, 1000),
  );
  return fromStart ? rows : rows.reverse();
}

function limitOf(p: Params, fallback: number, max: number): number {
  if (p.limit === undefined) return fallback;
  const n = Number(p.limit);
  if (!Number.isInteger(n) || n < 1)
    throw new BinanceError(-1100, "Illegal characters found in parameter 'limit'.");
  return Math.min(n, max);
}

/**
 * The tickers' rule: with `symbol`, that market's answer (an object); without, every market's
 * (an array).
 */
async function oneOrEach<T>(c: Call, map: SymbolMap, answer: (symbol: string) => T | Promise<T>) {
  if (c.params.symbol !== undefined) return answer(c.params.symbol);
  return Promise.all(map.all().map(([s]) => answer(s)));
}

/** `startTime`/`endTime` (Unix ms) as the catalogue's inclusive `from`/`to`. */
function timeWindow(p: Params): { from?: number; to?: number } {
  const time = (name: 'startTime' | 'endTime') => {
    const v = p[name];
    if (v === undefined) return undefined;
    if (!/^[0-9]{1,16}$/.test(v)) {
      throw new BinanceError(-1100, `Illegal characters found in parameter '${name}'.`);
    }
    return Number(v);
  };
  const from = time('startTime');
  const to = time('endTime');
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** `orderId` or `origClientOrderId` of a request, as the catalogue names them. */
function orderRef(p: Params): { orderId: number } | { clientOrderId: string } {
  if (p.orderId !== undefined) {
    const id = Number(p.orderId);
    if (!Number.isInteger(id) || id < 1)
      throw new BinanceError(-1100, "Illegal characters found in parameter 'orderId'.");
    return { orderId: id };
  }
  if (p.origClientOrderId !== undefined) return { clientOrderId: p.origClientOrderId };
  throw new BinanceError(
    -1102,
    "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
  );
}

/** Parameters Binance has and the facade does not serve: refused, never silently ignored. */
function refuseUnserved(p: Params, names: readonly string[]): void {
  for (const name of names) {
    if (p[name] !== undefined) {
      throw new BinanceError(-1104, `Not all sent parameters were read: ${name} is not served.`);
    }
  }
}

/** The latest public trades (oldest first, as Binance lists them); no paging by id or time. */
async function recentTrades(c: Call) {
  refuseUnserved(c.params, ['fromId', 'startTime', 'endTime']);
  const { market: m } = await c.market();
  const { items } = await c.invoke('marketData.trades', {
    symbol: m.symbol,
    limit: limitOf(c.params, 500, 500),
  });
  return items.reverse();
}

const notYours = () => new BinanceError(-2013, 'Order does not exist.');

/** The order named by a request, in the request's market (Binance scopes ids by symbol). */
async function findOrder(c: Call, symbol: string): Promise<Order> {
  const o = await c.invoke('orders.get', orderRef(c.params)).catch((err: unknown) => {
    throw toBinanceError(err).code === -2011 ? notYours() : err;
  });
  if (o.symbol !== symbol) throw notYours();
  return o;
}

type Handler = (c: Call) => Promise<unknown>;

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  signed: boolean;
  handler: Handler;
}

const ROUTES: Route[] = [
  { method: 'GET', path: '/ping', signed: false, handler: async () => ({}) },
  {
    method: 'GET',
    path: '/exchangeInfo',
    signed: false,
    handler: async (c) => {
      refuseUnserved(c.params, ['symbols', 'permissions', 'symbolStatus']);
      const map = await c.symbols();
      const wanted = c.params.symbol !== undefined ? [c.params.symbol] : undefined;
      const entries = wanted ? wanted.map((s) => [s, map.market(s)] as const) : map.all();
      const { items: assets } = await c.invoke('assets.list', {});
      const scales = new Map(assets.map((a) => [a.code, a.scale]));
      return {
        timezone: 'UTC',
        serverTime: c.now,
        rateLimits: [],
        exchangeFilters: [],
        symbols: entries.map(([s, m]) => symbolInfo(s, m, (a) => scales.get(a) ?? 0)),
      };
    },
  },
  {
    method: 'GET',
    path: '/depth',
    signed: false,
    handler: async (c) => {
      const { market: m } = await c.market();
      const d = await c.invoke('marketData.depth', {
        symbol: m.symbol,
        depth: limitOf(c.params, 100, 500),
      });
      return { lastUpdateId: d.updateId, bids: d.bids, asks: d.asks };
    },
  },
  {
    method: 'GET',
    path: '/trades',
    signed: false,
    handler: async (c) => (await recentTrades(c)).map(binancePublicTrade),
  },
  {
    method: 'GET',
    path: '/aggTrades',
    signed: false,
    handler: async (c) => (await recentTrades(c)).map(binanceAggTrade),
  },
  {
    method: 'GET',
    path: '/klines',
    signed: false,
    handler: async (c) => {
      const { market: m } = await c.market();
      const interval = intervalOf(c.params);
      const { items } = await c.invoke('marketData.candles', {
        symbol: m.symbol,
        interval,
        limit: limitOf(c.params, 500, 1000),
        ...timeWindow(c.params),
      });
      return items.map((bar) => binanceKline(bar, interval));
    },
  },
  {
    method: 'GET',
    path: '/ticker/24hr',
    signed: false,
    handler: async (c) => {
      const map = await c.symbols();
      const { items } = await c.invoke('marketData.tickers', {});
      const one = (s: string) => {
        const m = map.market(s);
        const t = items.find((x) => x.symbol === m.symbol);
        if (!t) throw new BinanceError(-1121, 'Invalid symbol.');
        return binanceTicker24h(t, s, m.tickSize, c.now);
      };
      return oneOrEach(c, map, one);
    },
  },
  {
    method: 'GET',
    path: '/ticker/price',
    signed: false,
    handler: async (c) => {
      const map = await c.symbols();
      const price = (s: string) => ({ symbol: s, price: map.market(s).lastPrice ?? '0' });
      return oneOrEach(c, map, price);
    },
  },
  {
    method: 'GET',
    path: '/ticker/bookTicker',
    signed: false,
    handler: async (c) => {
      const map = await c.symbols();
      // The best bid and ask with their sizes; an empty side is "0", as on Binance.
      const top = async (s: string) => {
        const d = await c.invoke('marketData.depth', { symbol: map.market(s).symbol, depth: 1 });
        const [bidPrice = '0', bidQty = '0'] = d.bids[0] ?? [];
        const [askPrice = '0', askQty = '0'] = d.asks[0] ?? [];
        return { symbol: s, bidPrice, bidQty, askPrice, askQty };
      };
      return oneOrEach(c, map, top);
    },
  },
  {
    // Binance's test order: validated as a placement would be, never placed. Bourse also
    // checks the balance (the same refusal a real order would get), and answers {} as Binance.
    method: 'POST',
    path: '/order/test',
    signed: true,
    handler: async (c) => {
      refuseUnserved(
        c.params,
        c.params.computeCommissionRates === 'true' ? ['computeCommissionRates'] : [],
      );
      const { market: m } = await c.market();
      await c.invoke('orders.test', placeInputOf(c.params, m));
      return {};
    },
  },
  {
    method: 'POST',
    path: '/order',
    signed: true,
    handler: async (c) => {
      const { symbol, market: m } = await c.market();
      const input = placeInputOf(c.params, m);
      const kind =
        c.params.newOrderRespType ??
        (['LIMIT', 'MARKET'].includes(c.params.type ?? '') ? 'FULL' : 'ACK');
      if (!['ACK', 'RESULT', 'FULL'].includes(kind)) {
        throw new BinanceError(-1100, "Illegal characters found in parameter 'newOrderRespType'.");
      }
      // Binance makes up a client order id when none is sent (clients show it and cancel by
      // it with origClientOrderId); so do we.
      input.clientOrderId ??= `x-${randomBytes(9).toString('base64url')}`;
      const o = await c.invoke('orders.place', input);
      const ack = {
        symbol,
        orderId: o.orderId,
        orderListId: -1,
        clientOrderId: o.clientOrderId ?? '',
        transactTime: o.tsUpdated,
      };
      if (kind === 'ACK') return ack;
      const result = { ...binanceOrder(o, symbol), transactTime: o.tsUpdated };
      if (kind === 'RESULT') return result;
      const trades = await c.invoke('trades.list', { symbol: m.symbol, limit: 500 });
      const fills = trades.items
        .filter((t) => t.orderId === o.orderId)
        .reverse()
        .map((t) => ({
          price: t.price,
          qty: t.qty,
          commission: t.fee,
          commissionAsset: t.feeAsset,
          tradeId: t.tradeId,
        }));
      return { ...result, fills };
    },
  },
  {
    method: 'GET',
    path: '/order',
    signed: true,
    handler: async (c) => {
      const { symbol, market: m } = await c.market();
      return binanceOrder(await findOrder(c, m.symbol), symbol);
    },
  },
  {
    method: 'DELETE',
    path: '/order',
    signed: true,
    handler: async (c) => {
      const { symbol, market: m } = await c.market();
      // Cancelling an order that is not there is "unknown order sent" on Binance (-2011).
      const unknown = () => new BinanceError(-2011, 'Unknown order sent.');
      const o = await findOrder(c, m.symbol).catch((err: unknown) => {
        throw toBinanceError(err).code === -2013 ? unknown() : err;
      });
      const done = await c.invoke('orders.cancel', { orderId: o.orderId }).catch((err: unknown) => {
        throw toBinanceError(err).code === -2011 ? unknown() : err;
      });
      return binanceCancelled(done, symbol);
    },
  },
  {
    method: 'GET',
    path: '/openOrders',
    signed: true,
    handler: async (c) => {
      const map = await c.symbols();
      const m = c.params.symbol !== undefined ? map.market(c.params.symbol) : undefined;
      const open = await listAll(
        c,
        'orders.list',
        { scope: 'open', ...(m ? { symbol: m.symbol } : {}) },
        100_000,
      );
      return open
        .flatMap((o) => {
          const s = map.symbolOf(o.symbol);
          return s ? [binanceOrder(o, s)] : [];
        })
        .reverse();
    },
  },
  {
    method: 'DELETE',
    path: '/openOrders',
    signed: true,
    handler: async (c) => {
      const { symbol, market: m } = await c.market();
      const open = await listAll(c, 'orders.list', { scope: 'open', symbol: m.symbol }, 100_000);
      const cancelled: Record<string, unknown>[] = [];
      for (let i = 0; i < open.length; i += ORDER_BATCH_MAX) {
        const orders = open.slice(i, i + ORDER_BATCH_MAX).map((o) => ({ orderId: o.orderId }));
        const { results } = await c.invoke('orders.cancelBatch', { orders });
        for (const r of results) {
          // One that filled in the meantime is simply not in the answer, as on Binance.
          if (r.ok) cancelled.push(binanceCancelled(r.order, symbol));
        }
      }
      return cancelled;
    },
  },
  {
    method: 'GET',
    path: '/allOrders',
    signed: true,
    handler: async (c) => {
      refuseUnserved(c.params, ['orderId']);
      const { symbol, market: m } = await c.market();
      const input = { scope: 'all', symbol: m.symbol } as const;
      const orders = await oldestFirstInWindow(c, 'orders.list', input);
      return orders.map((o) => binanceOrder(o, symbol));
    },
  },
  {
    method: 'GET',
    path: '/myTrades',
    signed: true,
    handler: async (c) => {
      refuseUnserved(c.params, ['orderId', 'fromId']);
      const { symbol, market: m } = await c.market();
      const fills = await oldestFirstInWindow(c, 'trades.list', { symbol: m.symbol });
      return fills.map((t) => binanceTrade(t, symbol));
    },
  },
  {
    method: 'GET',
    path: '/account',
    signed: true,
    handler: async (c) => {
      const { items } = await c.invoke('balances.get', {});
      const canTrade =
        c.principal.kind !== 'anonymous' && c.principal.permissions.has('orders.trade');
      return {
        makerCommission: 0,
        takerCommission: 0,
        buyerCommission: 0,
        sellerCommission: 0,
        commissionRates: { maker: '0', taker: '0', buyer: '0', seller: '0' },
        canTrade,
        canWithdraw: false,
        canDeposit: false,
        brokered: false,
        requireSelfTradePrevention: false,
        preventSor: false,
        updateTime: 0,
        accountType: 'SPOT',
        balances: items.map((b) => ({ asset: b.asset, free: b.available, locked: b.held })),
        permissions: ['SPOT'],
      };
    },
  },
];

/** Registers the facade's routes, its form parser and its Binance-shaped errors. */
export async function registerBinanceFacade(
  app: FastifyInstance,
  deps: {
    registry: OperationRegistry;
    authenticator: Authenticator;
    log: Logger;
    now: () => number;
  },
): Promise<void> {
  await app.register(
    async (scope) => {
      // Binance clients send parameters in the query or as a form; signatures cover the
      // exact text, so it is kept.
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (req: FastifyRequest & { rawBody?: string }, body: string, done) => {
          req.rawBody = body;
          done(null, Object.fromEntries(new URLSearchParams(body)));
        },
      );
      scope.setErrorHandler((err, req, reply) => {
        const e = toBinanceError(err);
        if (e.status >= 500) deps.log.error({ err, correlationId: req.id }, 'binance facade error');
        const retry =
          e.status === 429 && err instanceof AppError
            ? retryAfterSeconds(err.details, deps.now())
            : undefined;
        if (retry !== undefined) reply.header('retry-after', retry);
        reply.status(e.status).send(e.body());
      });
      scope.setNotFoundHandler((req, reply) => {
        reply.status(404).send({
          code: -1000,
          msg: `Bourse does not serve ${req.method} ${req.url.split('?')[0]}`,
        });
      });
      scope.get('/time', { schema: { hide: true } }, async () => ({ serverTime: deps.now() }));
      for (const route of ROUTES) {
        scope.route({
          method: route.method,
          url: route.path,
          schema: { hide: true },
          handler: async (req) => {
            const body = req.body;
            const form = String(req.headers['content-type'] ?? '').startsWith(
              'application/x-www-form-urlencoded',
            );
            if (body !== undefined && body !== null && !form) {
              throw new BinanceError(
                -1102,
                'Send parameters in the query string or as application/x-www-form-urlencoded.',
              );
            }
            const params: Params = {
              ...Object.fromEntries(new URLSearchParams(rawQueryOf(req))),
              ...((body as Params | undefined) ?? {}),
            };
            let principal: Principal = ANONYMOUS;
            if (route.signed) {
              if (!deps.authenticator.fromKeySignature)
                throw new BinanceError(
                  -2015,
                  'Invalid API-key, IP, or permissions for action.',
                  401,
                );
              principal = deps.authenticator.fromKeySignature(
                readSigned(req, params, deps.now(), route),
              );
            }
            const ctx: OperationContext = {
              principal,
              correlationId: req.id,
              door: 'http',
              log: deps.log.child({ door: 'binance', route: `${route.method} ${route.path}` }),
              ip: req.ip,
            };
            const call: Call = {
              params,
              now: deps.now(),
              principal,
              invoke: (name, input) => deps.registry.invoke(name, input, ctx) as Promise<never>,
              market: async () => {
                const symbol = params.symbol ?? '';
                return { symbol, market: (await call.symbols()).market(symbol) };
              },
              symbols: async () =>
                new SymbolMap(
                  (
                    (await deps.registry.invoke(
                      'markets.list',
                      {},
                      ctx,
                    )) as OperationOutput<'markets.list'>
                  ).items,
                ),
            };
            return withScope({ correlationId: req.id }, () => route.handler(call));
          },
        });
      }
    },
    { prefix: BINANCE_PREFIX },
  );
}
