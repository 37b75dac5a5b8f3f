import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { BackendConfig } from '../../config';
import type { Authenticator } from '../../operations/auth';
import { authorize } from '../../operations/registry';
import type { Metrics } from '../../observability/metrics';

/** The permission that reads `/metrics` through the normal credentials of the HTTP door. */
export const METRICS_PERMISSION = 'admin.system';

/**
 * Equal strings in time that depends only on their lengths: both sides are hashed first, so
 * neither the position of the first difference nor the token's length leaks through timing.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

const bearerOf = (req: FastifyRequest): string | undefined => {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  return m?.[1];
};

/**
 * `GET /metrics` (Prometheus text). Metrics describe traffic, users' activity and internals,
 * so a scrape needs either the configured scrape token (`Authorization: Bearer <token>`,
 * `BOURSE_METRICS_TOKEN`) or credentials that hold `admin.system` (a session's access token or
 * a signed API-key request). Anything else is a 401/403 problem, like every other route.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  deps: { config: BackendConfig; authenticator: Authenticator; metrics: Metrics },
): void {
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const token = deps.config.metricsToken;
    const given = bearerOf(req);
    const byToken = token !== undefined && given !== undefined && sameSecret(given, token);
    if (!byToken) {
      const principal = await deps.authenticator.fromHttp({
        method: req.method,
        path: req.url.split('?')[0]!,
        query: req.query as Record<string, string>,
        headers: req.headers,
        rawBody: '',
        ip: req.ip,
      });
      authorize(METRICS_PERMISSION, principal);
    }
    reply.header('content-type', deps.metrics.registry.contentType);
    reply.header('cache-control', 'no-store');
    return deps.metrics.registry.metrics();
  });
}
