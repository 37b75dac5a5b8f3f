/**
 * A Binance-compatible spot REST facade under `/api/v3`, so bots and libraries written for
 * Binance (CCXT, python-binance, freqtrade…) can trade on the local exchange by changing their
 * base URL. A transport like the others: it reads Binance's request format, authenticates with
 * the caller's Bourse API key (Ed25519, which Binance also accepts), calls catalogue operations
 * through the registry — same validation, permissions and audit — and answers in Binance's
 * shapes, errors included (`{"code": -1121, "msg": "Invalid symbol."}`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../src-shared/contract';
import type { Authenticator } from '../../operations/auth';
import { ANONYMOUS, type Principal } from '../../operations/principal';
import { retryAfterSeconds } from '../http/rate-limit';
import { BinanceError, toBinanceError } from './mapping';
import type { Params, Route } from './call';
import { API_ROUTES, BinanceFacade, WALLET_ROUTES, inRecvWindow, type FacadeDeps } from './facade';
import { WEIGHT_HEADER } from './weights';
import { ORDER_COUNT_10S_HEADER, ORDER_COUNT_1D_HEADER } from './order-count';

export const BINANCE_PREFIX = '/api/v3';
/** Binance's wallet API: only what spot clients ask for (CCXT's fetchTradingFee). */
export const BINANCE_SAPI_PREFIX = '/sapi/v1';

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
  const { timestamp, recvWindow } = inRecvWindow(params, now);
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

/**
 * Registers the facade's routes, its form parser and its Binance-shaped errors; returns the
 * facade, which the WebSocket API door serves too.
 */
export async function registerBinanceFacade(
  app: FastifyInstance,
  deps: FacadeDeps & { authenticator: Authenticator },
): Promise<BinanceFacade> {
  const facade = new BinanceFacade(deps);
  const meter = facade.weights;
  app.addHook('onClose', async () => {
    facade.close();
  });
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
          try {
            reply.header(WEIGHT_HEADER, facade.weigh(route, params, req.ip));
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
          const caller = {
            principal,
            ip: req.ip,
            correlationId: req.id,
            door: 'http' as const,
            label: `${route.method} ${route.path}`,
          };
          return facade.run(route, params, caller, (counts) => {
            reply.header(ORDER_COUNT_10S_HEADER, counts.tenSeconds);
            reply.header(ORDER_COUNT_1D_HEADER, counts.day);
          });
        },
      });
    }
  };
  await app.register(plugin(API_ROUTES), { prefix: BINANCE_PREFIX });
  await app.register(plugin(WALLET_ROUTES), { prefix: BINANCE_SAPI_PREFIX });
  return facade;
}
