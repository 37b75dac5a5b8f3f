import { createHash } from 'node:crypto';
import { backoffDelay } from '../broker/backoff';
import { BrokerError } from '../broker/errors';
import { brokerFetch, serverError } from '../broker/http';
import { SlidingWindowLimiter } from '../broker/limiter';
import type { BrokerDeps } from '../broker/port';
import { krakenError, VENUE } from './errors';
import {
  acquire,
  DecayingCounter,
  HEADROOM,
  REST_LIMITS,
  realSleep,
  restCost,
  type KrakenTier,
  type Sleep,
} from './rate-limit';
import { krakenSignature, NonceSource } from './sign';

export interface KrakenRestOptions {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  otp?: string;
  tier: KrakenTier;
  timeoutMs: number;
  deps: BrokerDeps;
  sleep?: Sleep;
}

type Params = Record<string, string | undefined>;

/** Read retries on rate_limited/unavailable; a longer broker-imposed pause is not waited out. */
const READ_ATTEMPTS = 3;
const MAX_READ_PAUSE_MS = 10_000;

/**
 * What Kraken counts per API key, kept once per key however many connectors use it (the
 * connection test and the account's session; two accounts given the same key): the REST call
 * counter, the nonces, and the one-at-a-time queue that makes nonces arrive in order. Counted
 * per connector, the session started from zero right after the test had spent part of the
 * budget, and Kraken refused its calls (`EAPI:Rate limit exceeded`, then a pause of ~20 s).
 */
interface KeyState {
  counter: DecayingCounter;
  nonces: NonceSource;
  /**
   * Private calls waiting for their turn, one lane each: trading calls go first. Nonces are
   * taken when a call is sent, so the order of sending is free to choose; an order waits for
   * the call in flight only, never for reads queued before it (a balance read after each fill,
   * a re-sync's history).
   */
  lanes: { trading: Array<() => void>; reads: Array<() => void> };
  sending: boolean;
}

/**
 * Names an API key in `BrokerDeps.shared` by a digest: the map is no place for a credential,
 * even its non-secret half.
 */
export function krakenKeyId(baseUrl: string, apiKey: string): string {
  return createHash('sha256').update(`${baseUrl} ${apiKey}`).digest('hex');
}

function keyState(o: KrakenRestOptions): KeyState {
  const lim = REST_LIMITS[o.tier];
  const fresh = (): KeyState => ({
    counter: new DecayingCounter(lim.max - HEADROOM, lim.decayPerSec, o.deps.now),
    nonces: new NonceSource(o.deps.now),
    lanes: { trading: [], reads: [] },
    sending: false,
  });
  const shared = o.deps.shared;
  if (!shared) return fresh();
  const id = `kraken rest ${krakenKeyId(o.baseUrl, o.apiKey)}`;
  let state = shared.get(id) as KeyState | undefined;
  if (!state) {
    state = fresh();
    shared.set(id, state);
  } else if (state.counter.max !== lim.max - HEADROOM) {
    // The account's tier was changed: the new limits, with what was spent carried over.
    const counter = new DecayingCounter(lim.max - HEADROOM, lim.decayPerSec, o.deps.now);
    counter.add(state.counter.value());
    state.counter = counter;
  }
  return state;
}

/**
 * Kraken's REST transport: the `{error, result}` envelope, signing, nonces, the REST call
 * counter and bounded retries of reads. Private calls go out one at a time: nonces are
 * allocated in order AND arrive in order, so concurrent callers in one process never trip
 * `EAPI:Invalid nonce` (a nonce window would only hide the race). The counter, nonces and
 * queue are the API key's (`KeyState`), shared by every connector of the backend using it.
 */
export class KrakenRest {
  private readonly key: KeyState;
  private readonly publicLimiter: SlidingWindowLimiter;
  private readonly sleep: Sleep;

  constructor(private readonly o: KrakenRestOptions) {
    this.key = keyState(o);
    this.sleep = o.sleep ?? realSleep;
    // Public calls are limited per IP (numbers unverified); about one a second on average.
    this.publicLimiter = new SlidingWindowLimiter(5, 5_000, o.deps.now, this.sleep);
  }

  /** The API key's REST call counter (shared with every connector using the key). */
  get counter(): DecayingCounter {
    return this.key.counter;
  }

  /** A public GET (`/0/public/<method>?…`), retried on outages and rate limits. */
  async public<T>(method: string, params: Params = {}): Promise<T> {
    return this.retryRead(async () => {
      await this.publicLimiter.acquire();
      const q = new URLSearchParams(defined(params)).toString();
      const url = `${this.o.baseUrl}/0/public/${method}${q ? `?${q}` : ''}`;
      return this.send<T>(url, { method: 'GET', headers: { 'User-Agent': 'Bourse' } }, false);
    });
  }

  /** A signed private POST. Reads are retried (bounded); a mutating call never is. */
  async private<T>(method: string, params: Params = {}, mutating = false): Promise<T> {
    // The call counter is waited for outside the nonce queue: a read that waits for the
    // counter to decay must not hold back an order behind it (AddOrder costs the counter
    // nothing; head-of-line blocking made orders wait seconds behind balance reads).
    const once = async () => {
      await acquire(this.counter, restCost(method), this.sleep);
      return this.serialised(() => this.sendPrivate<T>(method, params, mutating), mutating);
    };
    return mutating ? once() : this.retryRead(once);
  }

  private serialised<T>(fn: () => Promise<T>, trading: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = () =>
        void fn()
          .then(resolve, reject)
          .finally(() => this.sendNext());
      (trading ? this.key.lanes.trading : this.key.lanes.reads).push(run);
      if (!this.key.sending) this.sendNext();
    });
  }

  private sendNext(): void {
    const run = this.key.lanes.trading.shift() ?? this.key.lanes.reads.shift();
    this.key.sending = run !== undefined;
    run?.();
  }

  private async sendPrivate<T>(method: string, params: Params, mutating: boolean): Promise<T> {
    const path = `/0/private/${method}`;
    const nonce = this.key.nonces.next();
    const body = new URLSearchParams({
      nonce,
      ...(this.o.otp ? { otp: this.o.otp } : {}),
      ...defined(params),
    }).toString();
    const headers = {
      'API-Key': this.o.apiKey,
      'API-Sign': krakenSignature(path, nonce, body, this.o.apiSecret),
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': 'Bourse',
    };
    return this.send<T>(`${this.o.baseUrl}${path}`, { method: 'POST', headers, body }, mutating);
  }

  private async send<T>(url: string, init: RequestInit, mutating: boolean): Promise<T> {
    const now = this.o.deps.now;
    let res;
    try {
      res = await brokerFetch(
        VENUE,
        url,
        { ...init, timeoutMs: this.o.timeoutMs, now },
        this.o.deps.fetch ?? fetch,
      );
    } catch (e) {
      // A read has no outcome to resolve: a timeout on it is plain unavailability.
      if (!mutating && e instanceof BrokerError && e.kind === 'unknown_outcome') {
        throw new BrokerError('unavailable', VENUE, e.message.replace(/^kraken: /, ''));
      }
      throw e;
    }
    if (res.status >= 500) throw serverError(VENUE, res.status, res.text, mutating);
    if (res.status !== 200) {
      // Not Kraken's API answering (Cloudflare, a proxy): the call was not processed.
      throw new BrokerError('unavailable', VENUE, `HTTP ${res.status}`, res.text.slice(0, 200));
    }
    let body: { error?: string[]; result?: T };
    try {
      // REST amounts are decimal strings already; plain JSON.parse loses nothing here.
      body = JSON.parse(res.text) as typeof body;
    } catch {
      throw serverError(VENUE, 502, res.text, mutating);
    }
    const err = krakenError(body.error ?? [], mutating, now());
    if (err) {
      // Kraken's counter is the truth: align ours so the next calls wait.
      if (err.brokerMessage === 'EAPI:Rate limit exceeded') this.counter.add(this.counter.max);
      throw err;
    }
    if (body.result === undefined) throw serverError(VENUE, 502, res.text, mutating);
    return body.result;
  }

  private async retryRead<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const pause = e instanceof BrokerError ? (e.retryAfterMs ?? 0) : 0;
        // Only rate limits are waited out here; an outage is reported at once (the caller
        // shows it and decides), so a dead broker does not stall every screen.
        const retry =
          e instanceof BrokerError &&
          e.kind === 'rate_limited' &&
          attempt + 1 < READ_ATTEMPTS &&
          pause <= MAX_READ_PAUSE_MS;
        if (!retry) throw e;
        await this.sleep(
          backoffDelay(attempt, { random: this.o.deps.random, atLeastMs: pause, maxMs: 5_000 }),
        );
      }
    }
  }
}

const defined = (p: Params): Record<string, string> =>
  Object.fromEntries(Object.entries(p).filter((e): e is [string, string] => e[1] !== undefined));
