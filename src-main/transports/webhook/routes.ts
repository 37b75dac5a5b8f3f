import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../src-shared/contract';
import { toProblem } from '../http/problem';
import type { AlertOutcome, IncomingAlert } from '../../features/automation/delivery';
import type { AlertPipeline } from '../../features/automation/pipeline';
import { addAlertIntentSchema, webhookRouteSchema, type TokenPlace } from './openapi';

/**
 * Bodies up to this size are read (refused as too large when over 16 KB, and logged only
 * for a known token, cut to 16 KB); larger are cut off by Fastify with a 413.
 */
const READ_LIMIT = 256 * 1024;
const ACCEPTED_TYPES = ['application/json', 'text/plain'];

function send(reply: FastifyReply, req: FastifyRequest, outcome: AlertOutcome) {
  if (outcome.answer) return reply.status(outcome.httpStatus).send(outcome.answer);
  // `success: false` beside the problem fields: TradeFlow unify.v1 senders read it.
  const problem = {
    ...toProblem(outcome.error ?? new AppError('internal', 'Internal error'), req.id),
    success: false,
  };
  const retry = (outcome.error?.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  if (typeof retry === 'number') reply.header('retry-after', String(Math.ceil(retry / 1000)));
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify(problem));
}

function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

/** The media type without parameters, cut: it is stored and echoed, and a header may be 16 KB. */
function mediaType(req: FastifyRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase().slice(0, 100);
}

/** What the HTTP request says about the delivery, before its body is read. */
function incoming(
  req: FastifyRequest,
  route: IncomingAlert['route'],
  token: string | undefined,
  t0: bigint,
): IncomingAlert {
  const type = mediaType(req);
  return {
    route,
    rawBody: typeof req.body === 'string' ? req.body : '',
    ...(token ? { token } : {}),
    contentType: type || null,
    peerIp: req.socket.remoteAddress ?? req.ip,
    clientIp: req.ip,
    forwardedFor: req.headers['x-forwarded-for'],
    correlationId: req.id,
    t0,
  };
}

/**
 * The TradingView webhook receiver, a door in front of the alert pipeline:
 * `POST /hooks/tv/{token}` (token in the path, as TradingView cannot set headers),
 * `POST /hooks/tv` (token in the body: `token`, `passphrase`, a PineConnector license id) and
 * the original design's `POST /api/unify/v1/webhook/{broker}` with `Authorization: Bearer`.
 * It translates only: bytes to text (whatever the content type), the token from its place,
 * the body to one intent validated against the contract's `AlertIntentSchema` (`AlertPipeline.read`,
 * byte cap first); the pipeline authenticates, limits, logs and executes. A refused delivery
 * to a known token is logged with what it carried; one to no known token is only counted.
 */
export function registerWebhookRoutes(app: FastifyInstance, pipeline: () => AlertPipeline): void {
  addAlertIntentSchema(app);
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: READ_LIMIT },
      (_req, body, done) => done(null, body),
    );
    const handle = async (
      req: FastifyRequest,
      reply: FastifyReply,
      route: IncomingAlert['route'],
      token: string | undefined,
      broker?: string,
    ) => {
      const alert = {
        ...incoming(req, route, token, process.hrtime.bigint()),
        ...(broker ? { broker: broker.toLowerCase().slice(0, 40) } : {}),
      };
      const type = alert.contentType;
      if (type && !ACCEPTED_TYPES.includes(type)) {
        const refusal = new AppError(
          'unsupported_media_type',
          `Send the alert as application/json or text/plain, not ${type}`,
        );
        return send(reply, req, await pipeline().reject(alert, refusal));
      }
      const delivery = { ...alert, reading: pipeline().read(alert.rawBody) };
      return send(reply, req, await pipeline().handle(delivery));
    };
    const opts = (place: TokenPlace) => ({
      bodyLimit: READ_LIMIT,
      schema: webhookRouteSchema(place),
    });
    scope.post<{ Params: { token: string } }>('/hooks/tv/:token', opts('path'), (req, reply) =>
      handle(req, reply, 'tv', req.params.token),
    );
    scope.post('/hooks/tv', opts('body'), (req, reply) => handle(req, reply, 'tv', undefined));
    scope.post<{ Params: { broker: string } }>(
      '/api/unify/v1/webhook/:broker',
      opts('bearer'),
      (req, reply) => handle(req, reply, 'unify', bearerOf(req), req.params.broker),
    );
  });
}
