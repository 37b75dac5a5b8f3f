import { addressKey } from '../../domain/net/client-address';

export { addressKey };

/** Deliveries per minute: per verified token, and per client address for everything else. */
export interface WebhookRates {
  token: number;
  address: number;
}

export const DEFAULT_WEBHOOK_RATES: WebhookRates = { token: 600, address: 60 };

/** Address buckets kept per window; past this every new address shares one overflow bucket. */
const MAX_ADDRESSES = 10_000;
const WINDOW_MS = 60_000;
const OVERFLOW = 'overflow';

/** What the limiter decided for one delivery. */
export interface LimitVerdict {
  allowed: boolean;
  /** True for the first refusal of its bucket in this window (that one may be logged). */
  firstRefusal: boolean;
  retryAfterMs: number;
}

/**
 * Fixed one-minute windows, in memory, on the injected clock. Verified deliveries count
 * against their account's token (TradingView sends everyone's alerts from the same four
 * addresses, so one user must not use up another's allowance); anything unverified counts
 * against the client address. Never keyed on a header the caller chose: a made-up value
 * would buy a fresh allowance.
 */
export class WebhookLimiter {
  private window = -1;
  private readonly tokens = new Map<string, number>();
  private readonly addresses = new Map<string, number>();

  constructor(
    private readonly rates: WebhookRates | false,
    private readonly now: () => number,
  ) {}

  /** Counts a delivery for a verified account. */
  admitToken(accountId: string): LimitVerdict {
    return this.count(this.tokens, accountId, this.rates ? this.rates.token : Infinity);
  }

  /** Counts an unverified delivery from `ip` (`req.ip`, which honours the trusted proxy). */
  admitAddress(ip: string | undefined): LimitVerdict {
    let key = addressKey(ip);
    // A flood from more addresses than we keep buckets for shares one bucket, so memory stays
    // bounded and verified tokens, counted apart, keep working.
    if (!this.addresses.has(key) && this.addresses.size >= MAX_ADDRESSES) key = OVERFLOW;
    return this.count(this.addresses, key, this.rates ? this.rates.address : Infinity);
  }

  private count(map: Map<string, number>, key: string, max: number): LimitVerdict {
    const t = this.now();
    const window = Math.floor(t / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.tokens.clear();
      this.addresses.clear();
    }
    const n = (map.get(key) ?? 0) + 1;
    map.set(key, n);
    return {
      allowed: n <= max,
      firstRefusal: n === max + 1,
      retryAfterMs: (window + 1) * WINDOW_MS - t,
    };
  }
}
