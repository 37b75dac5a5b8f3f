import { BrokerError } from '../broker/errors';
import { brokerFetch, serverError } from '../broker/http';
import { sharedLimiter, type SlidingWindowLimiter } from '../broker/limiter';
import type { BrokerDeps } from '../broker/port';
import { envelopeError, type CallKind } from './errors';
import { stringifyBody, VENUE, type Envelope } from './protocol';

/** Tokens last 24 h [DOC]; Bourse renews well before, through `/api/Auth/validate`. */
export const TOKEN_TTL_MS = 24 * 3_600_000;
export const RENEW_AFTER_MS = 20 * 3_600_000;

export interface RestOptions {
  baseUrl: string;
  userName: string;
  apiKey: string;
  timeoutMs: number;
  orderTimeoutMs: number;
  deps: BrokerDeps;
}

const HISTORY_PATH = '/api/History/retrieveBars';

/**
 * The gateway's REST side: the session token (login, renewal, re-login on 401), the
 * documented rate limits (50 / 30 s for bars, 200 / 60 s for everything else) modelled so
 * Bourse waits before the broker answers 429, and the envelope and HTTP status mapping.
 */
export class ProjectxRest {
  private token: string | null = null;
  private tokenAt = 0;
  private login: Promise<string> | null = null;
  private renewal: Promise<string> | null = null;
  private readonly general: SlidingWindowLimiter;
  private readonly history: SlidingWindowLimiter;
  /** The broker's clock from the last answer's Date header, and the local time then. */
  lastServerTime: { serverTime: number; localTime: number } | null = null;

  constructor(private readonly o: RestOptions) {
    // The gateway counts per user: every connector of this login shares the windows.
    const who = `projectx|${o.baseUrl}|${o.userName}`;
    this.general = sharedLimiter(`${who}|general`, 200, 60_000, o.deps.now);
    this.history = sharedLimiter(`${who}|history`, 50, 30_000, o.deps.now);
  }

  /** The current token (logging in or renewing first when needed; once for all callers). */
  async currentToken(): Promise<string> {
    if (this.login) return this.login;
    if (this.token && this.o.deps.now() - this.tokenAt < RENEW_AFTER_MS) return this.token;
    if (!this.token) return this.relogin();
    this.renewal ??= this.renew(this.token).finally(() => {
      this.renewal = null;
    });
    return this.renewal;
  }

  private async renew(token: string): Promise<string> {
    try {
      const r = await this.send<{ newToken?: string | null }>(
        '/api/Auth/validate',
        {},
        'read',
        token,
      );
      this.setToken(r.newToken || token);
      return this.token!;
    } catch (e) {
      if (!(e instanceof TokenRefused)) throw e;
      return this.relogin();
    }
  }

  /**
   * A token the gateway has just confirmed (validate; a 401 there logs in again): what the
   * hub uses after a failed connection, since a refused WebSocket upgrade does not say why.
   */
  async confirmedToken(): Promise<string> {
    const r = await this.call<{ newToken?: string | null }>('/api/Auth/validate', {}, 'read');
    if (r.newToken) this.setToken(r.newToken);
    return this.currentToken();
  }

  /** Drops the token (a 401, a logout pushed by the hub) and logs in again once. */
  relogin(): Promise<string> {
    this.token = null;
    this.login ??= this.send<{ token?: string | null }>(
      '/api/Auth/loginKey',
      { userName: this.o.userName, apiKey: this.o.apiKey },
      'login',
    )
      .then((r) => {
        if (!r.token) throw new BrokerError('auth', VENUE, 'login answered no token');
        this.setToken(r.token);
        return r.token;
      })
      .finally(() => {
        this.login = null;
      });
    return this.login;
  }

  private setToken(token: string): void {
    this.token = token;
    this.tokenAt = this.o.deps.now();
  }

  /** One authenticated call; a 401 (token expired or revoked) re-logs in and retries once. */
  async call<T>(path: string, body: unknown, kind: Exclude<CallKind, 'login'>): Promise<T> {
    const token = await this.currentToken();
    try {
      return await this.send<T>(path, body, kind, token);
    } catch (e) {
      // A 401 means the gateway did not act, so even a mutating call may be re-sent.
      if (!(e instanceof TokenRefused)) throw e;
      // Another caller may have logged in already; log in only if the token is still ours.
      const fresh = this.token && this.token !== token ? this.token : await this.relogin();
      return this.send<T>(path, body, kind, fresh);
    }
  }

  private async send<T>(path: string, body: unknown, kind: CallKind, token?: string): Promise<T> {
    await (path === HISTORY_PATH ? this.history : this.general).acquire();
    const headers: Record<string, string> = {
      accept: 'text/plain',
      'content-type': 'application/json',
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await brokerFetch(
      VENUE,
      this.o.baseUrl + path,
      {
        method: 'POST',
        headers,
        body: stringifyBody(body),
        timeoutMs: kind === 'place' || kind === 'mutate' ? this.o.orderTimeoutMs : this.o.timeoutMs,
        now: this.o.deps.now,
      },
      this.o.deps.fetch ?? fetch,
    );
    this.noteDate(res.headers.get('date'));
    const mutating = kind === 'place' || kind === 'mutate';
    if (res.status === 401) throw unauthorised(kind);
    if (res.status >= 500) throw serverError(VENUE, res.status, res.text, mutating);
    if (res.status === 403) {
      throw new BrokerError('permission', VENUE, 'the broker refused access (HTTP 403)');
    }
    if (res.status !== 200) {
      throw new BrokerError(
        'invalid',
        VENUE,
        `the broker refused the request (HTTP ${res.status})`,
        res.text.slice(0, 300),
      );
    }
    let parsed: T & Envelope;
    try {
      parsed = JSON.parse(res.text) as T & Envelope;
    } catch {
      throw new BrokerError(
        mutating ? 'unknown_outcome' : 'unavailable',
        VENUE,
        'the broker answered something that is not JSON',
        res.text.slice(0, 200),
      );
    }
    if (parsed.success !== true) throw envelopeError(kind, parsed);
    return parsed;
  }

  private noteDate(date: string | null): void {
    const t = date ? Date.parse(date) : NaN;
    if (!Number.isNaN(t)) this.lastServerTime = { serverTime: t, localTime: this.o.deps.now() };
  }
}

/** An HTTP 401 on an authenticated call: the token, not the credentials, was refused. */
class TokenRefused extends BrokerError {}

function unauthorised(kind: CallKind): BrokerError {
  return kind === 'login'
    ? new BrokerError('auth', VENUE, 'login refused (HTTP 401)')
    : new TokenRefused('auth', VENUE, 'the session token was refused (HTTP 401)');
}
