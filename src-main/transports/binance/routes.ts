/**
 * A Binance-compatible spot REST facade under `/api/v3`, so bots and libraries written for
 * Binance (CCXT, python-binance, freqtrade…) can trade on the local exchange by changing their
 * base URL. A transport like the others: it reads Binance's request format, authenticates with
 * the caller's Bourse API key (Ed25519, which Binance also accepts), calls catalogue operations
 * through the registry — same validation, permissions and audit — and answers in Binance's
 * shapes, errors included (`{"code": -1121, "msg": "Invalid symbol."}`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OperationOutput } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/contract';
import type { Authenticator } from '../../operations/auth';
import type { OperationContext } from '../../operations/context';
import { ANONYMOUS, userIdOf, type Principal } from '../../operations/principal';
import type { EventHub } from '../../events/hub';
import type { OperationRegistry } from '../../operations/registry';
import type { Logger } from '../../observability/logger';
import { withScope } from '../../observability/context';
import { retryAfterSeconds } from '../http/rate-limit';
import { MAX_PRICE_TICKS, MAX_QTY_LOTS } from '../../domain/markets';
import { BinanceError, SymbolMap, toBinanceError, type EngineLimits } from './mapping';
import type { Call, Params, Route } from './call';
import { marketRoutes } from './market-routes';
import { orderListRoutes } from './order-list-routes';
import { cancelReplaceRoute } from './cancel-replace';
import { tradingRoutes, walletRoutes } from './trading-routes';
import { REQUEST_WEIGHT_PER_MINUTE, WEIGHT_HEADER, WeightMeter, rateLimitsOf } from './weights';
import { ORDER_COUNT_10S_HEADER, ORDER_COUNT_1D_HEADER, OrderCounter } from './order-count';

export const BINANCE_PREFIX = '/api/v3';
/** Binance's wallet API: only what spot clients ask for (CCXT's fetchTradingFee). */
export const BINANCE_SAPI_PREFIX = '/sapi/v1';

/** Binance's defaults and bounds for the request window (ms). */
const DEFAULT_RECV_WINDOW = 5_000;
const MAX_RECV_WINDOW = 60_000;
/** How far ahead of the server's clock a timestamp may be (Binance: 1 s). */
const MAX_AHEAD = 1_000;

/**
 * Open orders an account may keep in one market through the facade (Binance's usual
 * MAX_NUM_ORDERS), published in exchangeInfo and checked before each placement.
 */
export const MAX_NUM_ORDERS = 200;

const LIMITS: EngineLimits = {
  maxPriceTicks: MAX_PRICE_TICKS,
  maxQtyLots: MAX_QTY_LOTS,
  maxNumOrders: MAX_NUM_ORDERS,
};

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

const ROUTES: Route[] = [
  ...marketRoutes(LIMITS),
  ...tradingRoutes(MAX_NUM_ORDERS),
  cancelReplaceRoute(MAX_NUM_ORDERS),
  ...orderListRoutes(MAX_NUM_ORDERS),
];

/** Registers the facade's routes, its form parser and its Binance-shaped errors. */
export async function registerBinanceFacade(
  app: FastifyInstance,
  deps: {
    registry: OperationRegistry;
    authenticator: Authenticator;
    log: Logger;
    now: () => number;
    /**
     * The HTTP doors' request budget per minute (false: limits off). When on, the facade also
     * enforces Binance's request weight; either way it answers the weight used.
     */
    rateLimitPerMinute?: number | false;
    /** Where fills are published: the first fill of a counted order takes it off the count. */
    hub?: EventHub;
  },
): Promise<void> {
  const rawLimit = deps.rateLimitPerMinute ?? false;
  const meter = new WeightMeter(rawLimit === false ? false : REQUEST_WEIGHT_PER_MINUTE, deps.now);
  const orderCounter = new OrderCounter(rawLimit !== false, deps.now);
  const rateLimits = rateLimitsOf(rawLimit);
  if (deps.hub) {
    // Asked for fills only while a counted order waits for its first one, so the lazily
    // published fill views are not built for this alone.
    const stop = deps.hub.subscribe(
      (msg) => orderCounter.filled((msg.data as { orderId: number }).orderId),
      (stream) => stream === 'fills' && orderCounter.watching,
    );
    app.addHook('onClose', async () => {
      stop();
    });
  }
  const plugin = (routes: Route[]) => async (scope: FastifyInstance) => {
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
        e.retryAfter ??
        (e.status === 429 && err instanceof AppError
          ? retryAfterSeconds(err.details, deps.now())
          : undefined);
      if (!reply.hasHeader(WEIGHT_HEADER)) {
        reply.header(WEIGHT_HEADER, meter.current(req.ip));
      }
      if (retry !== undefined) reply.header('retry-after', retry);
      reply.status(e.status).send(e.body());
    });
    scope.setNotFoundHandler((req, reply) => {
      reply.status(404).send({
        code: -1000,
        msg: `Bourse does not serve ${req.method} ${req.url.split('?')[0]}`,
      });
    });
    for (const route of routes) {
      scope.route({
        method: route.method,
        url: route.path,
        schema: { hide: true },
        handler: async (req, reply) => {
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
          // Counted before anything else is checked, as Binance counts refused requests too.
          const weight = typeof route.weight === 'number' ? route.weight : route.weight(params);
          try {
            reply.header(WEIGHT_HEADER, meter.take(req.ip, weight));
          } catch (err) {
            reply.header(WEIGHT_HEADER, meter.current(req.ip));
            throw err;
          }
          let principal: Principal = ANONYMOUS;
          if (route.signed) {
            if (!deps.authenticator.fromKeySignature)
              throw new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
            principal = deps.authenticator.fromKeySignature(
              readSigned(req, params, deps.now(), route),
            );
          }
          // Binance counts orders per account: refused here, before anything is placed.
          const userId = userIdOf(principal) ?? '';
          if (route.places !== undefined) orderCounter.check(userId, route.places);
          const ctx: OperationContext = {
            principal,
            correlationId: req.id,
            door: 'http',
            log: deps.log.child({ door: 'binance', route: `${route.method} ${route.path}` }),
            ip: req.ip,
            // Binance's rule for a repeated newClientOrderId, not the native idempotency.
            clientIdRule: 'unique_open',
          };
          const call: Call = {
            params,
            now: deps.now(),
            principal,
            rateLimits,
            invoke: (name, input) => deps.registry.invoke(name, input, ctx) as Promise<never>,
            market: async () => {
              const symbol = params.symbol ?? '';
              return { symbol, market: (await call.symbols()).market(symbol) };
            },
            orderCount: {
              placed: (orders) => {
                const counts = orderCounter.add(userId, orders);
                reply.header(ORDER_COUNT_10S_HEADER, counts.tenSeconds);
                reply.header(ORDER_COUNT_1D_HEADER, counts.day);
              },
              usage: () => orderCounter.usage(userId),
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
  };
  await app.register(plugin(ROUTES), { prefix: BINANCE_PREFIX });
  await app.register(plugin(walletRoutes), { prefix: BINANCE_SAPI_PREFIX });
}
