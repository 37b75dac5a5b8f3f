import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AppError } from '../../../src-shared/contract';
import type { BackendConfig } from '../../config';
import type { Authenticator } from '../../operations/auth';
import type { OperationRegistry } from '../../operations/registry';
import type { Logger } from '../../observability/logger';
import type { Metrics } from '../../observability/metrics';
import type { EventHub } from '../../events/hub';
import { registerBinanceStreams } from '../binance/streams';
import { registerBinanceUserData } from '../binance/user-data';
import { registerWebSocket, type WsServerHandle } from '../ws';
import { isAllowedHost, isAllowedOrigin } from './local-surface';
import { registerMetricsRoute } from './metrics-route';
import { toProblem } from './problem';
import { budgetedAuthenticator, installRateLimit, retryAfterSeconds } from './rate-limit';
import { API_PREFIX, registerOperationRoutes } from './routes';
import { limitConnections } from './connection-limit';
import { trackSockets, type OpenSockets } from './open-sockets';
import { installWsAdmission } from './ws-admission';
import { registerBinanceFacade } from '../binance/routes';

export interface HttpDeps {
  config: BackendConfig;
  registry: OperationRegistry;
  authenticator: Authenticator;
  hub: EventHub;
  metrics: Metrics;
  log: Logger;
  version: string;
  /** Extra routes registered by features (webhooks, facades), inside the app plugin. */
  extraRoutes?: Array<(app: FastifyInstance) => void | Promise<void>>;
}

export interface HttpApp {
  app: FastifyInstance;
  ws: WsServerHandle;
  /** The connections open now, for a shutdown that cannot wait for them all. */
  sockets: OpenSockets;
}

const CORRELATION = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The Content-Security-Policy of the served UI: nothing but our own origin. `connect-src
 * 'self'` also covers a WebSocket to the same host and port (CSP Level 3), which is all the
 * UI opens; `ws:`/`wss:` would let an injected script talk to any host.
 */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
  "frame-ancestors 'none'; form-action 'self'";

/**
 * Builds (does not start) the HTTP + WebSocket server. Plugins are ordered: local-surface
 * checks and observability first, then documentation, then the routes generated from the
 * catalogue, then the UI. Listening is decided by the caller.
 */
export async function buildHttpApp(deps: HttpDeps): Promise<HttpApp> {
  const { config, metrics } = deps;
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    // A request that trickles in (slowloris) is cut at the timeout, not held forever; a
    // long-polled answer (the MetaTrader bridge) is not a request being received.
    requestTimeout: config.requestTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, config.requestTimeoutMs / 4)),
    },
    genReqId: (req) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && CORRELATION.test(given) ? given : randomUUID();
    },
    // `req.ip` is the socket's address, or the client named by a configured proxy's
    // X-Forwarded-For (only when the socket's peer is that proxy).
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    ajv: { customOptions: { strict: false } },
    // Router errors (a path parameter too long, bad percent-encoding) answer before any hook,
    // so they need the problem shape here too.
    frameworkErrors: (err, req, reply) => sendProblem(reply, toProblem(err, req.id)),
  });
  // The registry validates; Fastify's schemas are documentation only.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addSchema({
    $id: 'Problem',
    type: 'object',
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      code: { type: 'string' },
      detail: { type: 'string' },
      details: {},
      correlationId: { type: 'string' },
    },
    required: ['type', 'title', 'status', 'code', 'detail'],
  });

  const sockets = trackSockets(app.server);
  if (config.connections) {
    limitConnections(app.server, config.connections, config.trustedProxies, metrics);
  }
  installJsonParser(app);
  installLocalSurface(app, config);
  installObservability(app, metrics, deps.log);
  installErrors(app, deps.log, config.now);
  // Installed even with the limits off (benchmarks), so the open-connections gauge still counts.
  const unbounded = { perAddress: Infinity, total: Infinity };
  installWsAdmission(app, config.wsConnections || unbounded, metrics);

  const authenticator =
    config.rateLimitPerMinute === false
      ? deps.authenticator
      : budgetedAuthenticator(
          deps.authenticator,
          installRateLimit(app, config.rateLimitPerMinute, config.now),
        );

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Bourse API',
        version: deps.version,
        description:
          'The local exchange. Errors are application/problem+json with a stable `code`. Money is sent as decimal strings.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          ed25519Signature: { type: 'apiKey', in: 'header', name: 'X-Bourse-Signature' },
          // The webhook door's credential: an account's webhook token, not a session.
          webhookToken: { type: 'http', scheme: 'bearer', description: 'webhook token' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  registerOperationRoutes(app, deps.registry, authenticator, deps.log);
  const binance = await registerBinanceFacade(app, {
    registry: deps.registry,
    authenticator,
    log: deps.log,
    now: config.now,
    rateLimitPerMinute: config.rateLimitPerMinute,
    hub: deps.hub,
  });
  registerMetricsRoute(app, { config, authenticator: deps.authenticator, metrics });
  const ws = registerWebSocket(app, deps);
  registerBinanceStreams(app, {
    config,
    hub: deps.hub,
    registry: deps.registry,
    log: deps.log,
    now: config.now,
  });
  registerBinanceUserData(app, {
    config,
    hub: deps.hub,
    authenticator,
    log: deps.log,
    now: config.now,
    facade: binance,
  });
  for (const extra of deps.extraRoutes ?? []) await extra(app);
  await installRenderer(app, config.rendererDir);
  return { app, ws, sockets };
}

function installJsonParser(app: FastifyInstance): void {
  // Keep the raw text: signed requests cover the exact bytes received.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (req: FastifyRequest & { rawBody?: string }, body: string, done) => {
      req.rawBody = body;
      if (body.trim() === '') return done(null, {});
      try {
        done(null, JSON.parse(body));
      } catch (err) {
        done(
          new AppError('bad_request', `The body is not valid JSON: ${(err as Error).message}`),
          undefined,
        );
      }
    },
  );
}

/**
 * Webhook receivers authenticate by the token they carry, never by ambient credentials
 * (cookies, the loopback address), so a rebound DNS name gains an attacker nothing there; a
 * tunnel (Cloudflare, ngrok) forwards its public Host name, which must therefore be accepted.
 */
const WEBHOOK_PATH = /^\/(hooks\/tv(\/|$|\?)|api\/unify\/v1\/webhook\/)/;

function installLocalSurface(app: FastifyInstance, config: BackendConfig): void {
  // Callback hooks, not async ones: these run on every request, and an async hook costs a
  // promise and a microtask turn each (measured on the order path, issue #27).
  app.addHook('onRequest', (req, _reply, done) => done(localSurfaceRefusal(req, config)));
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    done(null, payload);
  });
}

/** Why the Host or Origin of a request is refused, if it is. */
function localSurfaceRefusal(req: FastifyRequest, config: BackendConfig): AppError | undefined {
  if (WEBHOOK_PATH.test(req.url)) return undefined;
  if (!isAllowedHost(req.headers.host, config.allowedHosts)) {
    return new AppError(
      'host_not_allowed',
      'Host header not allowed (DNS rebinding protection)',
      undefined,
      421,
    );
  }
  const safe = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
  if (!safe && !isAllowedOrigin(req.headers.origin, req.headers.host, config.allowedOrigins)) {
    return new AppError('forbidden', 'Cross-origin requests are not allowed');
  }
  return undefined;
}

function installObservability(app: FastifyInstance, metrics: Metrics, log: Logger): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-correlation-id', req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500) log.error({ correlationId: req.id, route }, 'request failed');
    done();
  });
}

function installErrors(app: FastifyInstance, log: Logger, now: () => number): void {
  app.setErrorHandler((err, req, reply) => {
    const problem = toProblem(err, req.id);
    if (problem.status >= 500) log.error({ err, correlationId: req.id }, 'unhandled error');
    if (problem.status === 429) {
      const retry = retryAfterSeconds(problem.details, now());
      if (retry !== undefined) reply.header('retry-after', retry);
    }
    sendProblem(reply, problem);
  });
}

function sendProblem(reply: FastifyReply, problem: ReturnType<typeof toProblem>): void {
  reply.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

async function installRenderer(app: FastifyInstance, dir: string | undefined): Promise<void> {
  const index = dir ? path.join(dir, 'index.html') : undefined;
  const hasUi = index !== undefined && fs.existsSync(index);
  if (hasUi) {
    await app.register(fastifyStatic, { root: dir!, prefix: '/', index: false, wildcard: false });
    app.get('/', { schema: { hide: true } }, (_req, reply) => sendIndex(reply));
  } else {
    app.get('/', { schema: { hide: true } }, (_req, reply) =>
      reply
        .type('text/plain')
        .send(
          'Bourse backend is running. The UI is not built: run `npm run build`. API docs: /docs',
        ),
    );
  }
  app.setNotFoundHandler((req, reply) => {
    const wantsPage =
      req.method === 'GET' &&
      !req.url.startsWith(API_PREFIX) &&
      (req.headers.accept ?? '').includes('text/html');
    if (hasUi && wantsPage) return sendIndex(reply);
    const problem = toProblem(
      new AppError('not_found', `No route ${req.method} ${req.url.split('?')[0]}`),
      req.id,
    );
    return reply.status(404).type('application/problem+json').send(JSON.stringify(problem));
  });
  function sendIndex(reply: FastifyReply) {
    reply.header('content-security-policy', RENDERER_CSP);
    return reply.type('text/html').send(fs.readFileSync(index!, 'utf8'));
  }
}
