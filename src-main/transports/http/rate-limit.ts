import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../src-shared/contract';
import type { Authenticator } from '../../operations/auth';
import { userIdOf, type Principal } from '../../operations/principal';
import { addressKey } from '../../domain/net/client-address';

export const RATE_WINDOW_MS = 60_000;
/** Above this many live counters, ended windows are dropped. */
const PRUNE_AT = 50_000;

interface Window {
  start: number;
  count: number;
}

/**
 * Fixed-window request counters on the injected clock. `take` counts synchronously, so a
 * burst of parallel requests is counted one by one before any of them is served.
 */
export class RequestBudget {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
    private readonly windowMs = RATE_WINDOW_MS,
  ) {}

  /** Counts one request under `key`; throws `rate_limited` once the window's budget is spent. */
  take(key: string): void {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      if (!w && this.windows.size >= PRUNE_AT) this.prune(t);
      w = { start: t, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count > this.limit) throw rateLimited(w.start + this.windowMs - t);
  }

  private prune(t: number): void {
    for (const [key, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(key);
  }
}

function rateLimited(retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError('rate_limited', `Too many requests: try again in ${seconds} s`, {
    retryAfterMs,
  });
}

/**
 * The Retry-After of a 429 problem, in seconds: `retryAfterMs` (rate limits) or `retryAt`
 * (login throttling) in its details.
 */
export function retryAfterSeconds(details: unknown, now: number): number | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const d = details as { retryAfterMs?: unknown; retryAt?: unknown };
  const ms =
    typeof d.retryAfterMs === 'number'
      ? d.retryAfterMs
      : typeof d.retryAt === 'string'
        ? Date.parse(d.retryAt) - now
        : NaN;
  return Number.isFinite(ms) ? Math.max(1, Math.ceil(ms / 1000)) : undefined;
}

/**
 * Two budgets per minute, both of `perMinute` requests:
 * - per client address (the socket's, or the client a configured trusted proxy names; IPv6
 *   per /64),
 *   counted in `onRequest` before any credential is looked at, so made-up keys, tokens or
 *   signatures buy no extra allowance and cost no verification beyond the address's budget;
 * - per verified principal (the account behind a session or an API key), counted right after
 *   authentication succeeds, so one account spread over many addresses still has one budget.
 * Nothing is keyed on a header the client could vary freely.
 */
export function installRateLimit(
  app: FastifyInstance,
  perMinute: number,
  now: () => number,
): RequestBudget {
  const byAddress = new RequestBudget(perMinute, now);
  app.addHook('onRequest', async (req) => {
    // IPv6 per /64: one host usually owns the whole prefix, and would otherwise get 2^64 budgets.
    byAddress.take(`ip:${addressKey(req.ip)}`);
  });
  return new RequestBudget(perMinute, now);
}

/** Charges a verified principal's budget; anonymous and system callers have none. */
function charge(budget: RequestBudget, principal: Principal): Principal {
  const userId = userIdOf(principal);
  if (userId !== undefined) budget.take(`user:${userId}`);
  return principal;
}

/**
 * The authenticator the HTTP doors use: the same checks, then the principal's request budget.
 * WebSocket logons (`fromToken`) are not charged: their messages are bounded by the stream caps.
 */
export function budgetedAuthenticator(inner: Authenticator, budget: RequestBudget): Authenticator {
  const fromKeySignature = inner.fromKeySignature;
  const stillValid = inner.stillValid;
  return {
    fromHttp: async (c) => charge(budget, await inner.fromHttp(c)),
    fromToken: (token, ip) => inner.fromToken(token, ip),
    ...(stillValid ? { stillValid: (p: Principal) => stillValid.call(inner, p) } : {}),
    ...(fromKeySignature
      ? { fromKeySignature: (m) => charge(budget, fromKeySignature.call(inner, m)) }
      : {}),
  };
}
