import type { BrokerDeps } from '../broker/port';
import { BrokerError, isBrokerError } from '../broker/errors';
import { brokerFetch, serverError, type BrokerResponse } from '../broker/http';
import type { SlidingWindowLimiter } from '../broker/limiter';
import { jwtExpiryMs } from './wire';
import { limitersFromConfig, type TradeConfig } from './config';

export const VENUE = 'tradelocker';

/** The SDK refreshes the access token when less than 30 minutes are left. */
const REFRESH_MARGIN_MS = 30 * 60_000;

export interface SessionOptions {
  /** Base URL including `/backend-api`, without a trailing slash. */
  baseUrl: string;
  email: string;
  password: string;
  server: string;
  /** The `id` of the account to use when the login has several; the first when absent. */
  accountId?: string;
  timeoutMs: number;
  deps: BrokerDeps;
}

/** One trading account of the login, from `/auth/jwt/all-accounts`. */
export interface TradeAccount {
  /** Goes in `/trade/accounts/{id}/…` paths. */
  id: string;
  /** Goes in the `accNum` header of every `/trade/*` call. */
  accNum: string;
  name: string;
  currency: string | null;
  status: string | null;
}

interface Token {
  value: string;
  expMs: number;
  /** When Bourse received it, to size the refresh margin to the token's lifetime. */
  receivedMs: number;
}

export interface TradeCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** The `/trade/config` rate-limit route this call counts against. */
  route?: string;
  query?: Record<string, string | undefined>;
  /** Raw JSON text (built with jsonWithNumbers when prices must stay exact). */
  body?: string;
  /** Changes state at the broker: a timeout or 5xx then means an unknown outcome. */
  mutating: boolean;
}

/**
 * A logged-in TradeLocker session: JWT access and refresh tokens (refreshed before expiry,
 * one refresh shared by concurrent calls, a fresh login when the refresh is refused), the
 * chosen account with its `accNum`, `/trade/config` and one limiter per rate-limit route.
 * `trade()` sends one `/trade/*` call and turns every failure into a BrokerError.
 */
export class TradelockerSession {
  private access: Token | null = null;
  private refresh: Token | null = null;
  private authing: Promise<void> | null = null;
  private acct: TradeAccount | null = null;
  private config: TradeConfig | null = null;
  private limiters = new Map<string, SlidingWindowLimiter[]>();
  private readying: Promise<void> | null = null;
  /** Broker clock minus local clock, from the last HTTP Date header. */
  skewMs = 0;
  serverTime = 0;
  /** Counters the tests read: how often Bourse logged in and refreshed. */
  readonly stats = { logins: 0, refreshes: 0 };

  constructor(private readonly o: SessionOptions) {}

  async account(): Promise<TradeAccount> {
    await this.ready();
    return this.acct!;
  }

  async tradeConfig(): Promise<TradeConfig> {
    await this.ready();
    return this.config!;
  }

  /** Logs in, picks the account and reads `/trade/config` once. */
  private ready(): Promise<void> {
    if (this.acct && this.config) return this.ensureToken();
    this.readying ??= (async () => {
      await this.ensureToken();
      this.acct ??= await this.pickAccount();
      this.config ??= await this.call<TradeConfig>({
        method: 'GET',
        path: '/trade/config',
        mutating: false,
      });
      this.limiters = limitersFromConfig(this.config, this.o.deps.now);
    })().finally(() => (this.readying = null));
    return this.readying;
  }

  /** Sends one `/trade/*` call and returns the `d` of its `{s:'ok', d}` answer. */
  async trade<T>(call: TradeCall): Promise<T> {
    await this.ready();
    return this.call<T>(call);
  }

  private async call<T>(call: TradeCall, retried = false): Promise<T> {
    for (const limiter of this.limiters.get(call.route ?? '') ?? []) await limiter.acquire();
    // Another call may have dropped a refused token meanwhile: wait for its replacement.
    if (!this.access) await this.ensureToken();
    const token = this.access!;
    const res = await this.send(
      call.method,
      this.url(call.path, call.query),
      call.mutating,
      {
        Authorization: `Bearer ${token.value}`,
        accNum: this.acct!.accNum,
        ...(call.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      call.body,
    );
    if (res.status === 401 && !retried) {
      // The broker refused the token (revoked, or our clock is off): nothing was done, so
      // authenticate again and send once more.
      if (this.access === token) this.access = null;
      await this.ensureToken();
      return this.call<T>(call, true);
    }
    return unwrap<T>(res, call.mutating);
  }

  private url(path: string, query?: Record<string, string | undefined>): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) q.set(k, v);
    const qs = q.toString();
    return `${this.o.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  private async send(
    method: string,
    url: string,
    mutating: boolean,
    headers: Record<string, string>,
    body?: string,
  ): Promise<BrokerResponse> {
    const sentAt = this.o.deps.now();
    let res: BrokerResponse;
    try {
      res = await brokerFetch(
        VENUE,
        url,
        {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          timeoutMs: this.o.timeoutMs,
          now: this.o.deps.now,
        },
        this.o.deps.fetch ?? fetch,
      );
    } catch (e) {
      // A read (or a login) that timed out changed nothing at the broker.
      if (!mutating && isBrokerError(e, 'unknown_outcome')) {
        throw new BrokerError('unavailable', VENUE, e.message.replace(`${VENUE}: `, ''));
      }
      throw e;
    }
    const date = Date.parse(res.headers.get('date') ?? '');
    if (!Number.isNaN(date)) {
      // The Date header has whole seconds: compare with the middle of the round trip.
      const mid = (sentAt + this.o.deps.now()) / 2;
      this.serverTime = date;
      this.skewMs = Math.round(date + 500 - mid);
    }
    return res;
  }

  /** A valid access token, refreshing or logging in when needed; concurrent callers share one. */
  ensureToken(): Promise<void> {
    if (this.authing) return this.authing;
    const now = this.o.deps.now();
    if (this.access) {
      const lifetime = this.access.expMs - this.access.receivedMs;
      const margin = Math.min(REFRESH_MARGIN_MS, lifetime / 2);
      if (this.access.expMs - now > margin) return Promise.resolve();
    }
    this.authing = this.renew().finally(() => (this.authing = null));
    return this.authing;
  }

  private async renew(): Promise<void> {
    const now = this.o.deps.now();
    if (this.refresh && this.refresh.expMs > now) {
      try {
        await this.tokens('/auth/jwt/refresh', { refreshToken: this.refresh.value });
        this.stats.refreshes++;
        return;
      } catch (e) {
        const stillValid = this.access && this.access.expMs > this.o.deps.now();
        if (!isBrokerError(e, 'auth') && stillValid) {
          this.o.deps.log?.warn(
            { venue: VENUE },
            'token refresh failed; the current token is still valid',
          );
          return;
        }
        if (!isBrokerError(e, 'auth')) throw e;
      }
    }
    const { email, password, server } = this.o;
    await this.tokens('/auth/jwt/token', { email, password, server });
    this.stats.logins++;
  }

  private async tokens(path: string, body: Record<string, string>): Promise<void> {
    const res = await this.send(
      'POST',
      this.url(path),
      false,
      { 'Content-Type': 'application/json' },
      JSON.stringify(body),
    );
    if (res.status >= 500) throw serverError(VENUE, res.status, res.text, false);
    const json = parseJson(res.text) as { accessToken?: unknown; refreshToken?: unknown } | null;
    if (
      res.status >= 400 ||
      typeof json?.accessToken !== 'string' ||
      typeof json.refreshToken !== 'string'
    ) {
      const login = path.endsWith('/token');
      throw new BrokerError(
        'auth',
        VENUE,
        login
          ? `TradeLocker refused the login (HTTP ${res.status}): check the email, password, server name and environment`
          : `TradeLocker refused the token refresh (HTTP ${res.status})`,
        brokerText(json, res.text),
      );
    }
    const now = this.o.deps.now();
    const token = (value: string): Token => ({
      value,
      expMs: jwtExpiryMs(value) ?? now + 60 * 60_000,
      receivedMs: now,
    });
    this.access = token(json.accessToken);
    this.refresh = token(json.refreshToken);
  }

  private async pickAccount(): Promise<TradeAccount> {
    // Bearer only: TradeLocker refuses an accNum header here.
    const res = await this.send('GET', this.url('/auth/jwt/all-accounts'), false, {
      Authorization: `Bearer ${this.access!.value}`,
    });
    if (res.status >= 500) throw serverError(VENUE, res.status, res.text, false);
    const json = parseJson(res.text) as { accounts?: unknown } | unknown[] | null;
    if (res.status >= 400 || json === null) {
      throw new BrokerError(
        'auth',
        VENUE,
        `cannot list the login's accounts (HTTP ${res.status})`,
        brokerText(json, res.text),
      );
    }
    const list = (
      Array.isArray(json) ? json : Array.isArray(json.accounts) ? json.accounts : []
    ) as Array<Record<string, unknown>>;
    const accounts = list.map((a): TradeAccount => ({
      id: String(a.id),
      accNum: String(a.accNum),
      name: typeof a.name === 'string' ? a.name : String(a.id),
      currency: typeof a.currency === 'string' ? a.currency : null,
      status: typeof a.status === 'string' ? a.status : null,
    }));
    const wanted = this.o.accountId?.trim();
    const chosen = wanted ? accounts.find((a) => a.id === wanted) : accounts[0];
    if (!chosen) {
      throw new BrokerError(
        'invalid',
        VENUE,
        wanted
          ? `account ${wanted} is not one of this login's accounts (${accounts.map((a) => a.id).join(', ') || 'none'})`
          : 'this login has no trading account on this server',
      );
    }
    return chosen;
  }
}

const RATE_LIMIT_TEXT = /rate.?limit|too many requests/i;

/** `d` of an `{s:'ok', d}` answer, or the BrokerError the status and `errmsg` mean. */
export function unwrap<T>(res: BrokerResponse, mutating: boolean): T {
  if (res.status >= 500) throw serverError(VENUE, res.status, res.text, mutating);
  const json = parseJson(res.text) as { s?: unknown; d?: unknown; errmsg?: unknown } | null;
  const msg = brokerText(json, res.text);
  if (RATE_LIMIT_TEXT.test(msg ?? '') && (res.status >= 400 || json?.s === 'error')) {
    throw new BrokerError('rate_limited', VENUE, 'the broker asked Bourse to slow down', msg);
  }
  if (res.status === 401) throw new BrokerError('auth', VENUE, 'the session was refused', msg);
  if (res.status === 403)
    throw new BrokerError('permission', VENUE, 'this account may not do that', msg);
  if (res.status >= 400) {
    throw new BrokerError(
      'invalid',
      VENUE,
      `the broker refused the request (HTTP ${res.status})`,
      msg,
    );
  }
  if (json === null) {
    throw new BrokerError(
      mutating ? 'unknown_outcome' : 'unavailable',
      VENUE,
      'the broker answered something that is not JSON',
    );
  }
  // A business refusal comes back 2xx with `s:"error"` (the SDK reads it as a KeyError): for
  // an order call the broker refused it; for a read, what we asked for does not exist.
  if (json.s !== 'ok') {
    throw new BrokerError(mutating ? 'rejected' : 'invalid', VENUE, 'the broker refused', msg);
  }
  return json.d as T;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function brokerText(json: unknown, text: string): string | undefined {
  const errmsg = (json as { errmsg?: unknown } | null)?.errmsg;
  if (typeof errmsg === 'string') return errmsg.slice(0, 200);
  return text ? text.slice(0, 200) : undefined;
}
