/**
 * Binance's request weight: each endpoint costs what Binance's spot API documents for it, the
 * weights of one client address add up over the current UTC minute, the running total is
 * answered in `X-MBX-USED-WEIGHT-1M` on every reply, and a request that would pass the limit
 * is refused with -1003 (HTTP 429) and `Retry-After`, as Binance does. Counters live in
 * memory on the injected clock.
 */
import { BinanceError } from './mapping';
import { orderRateLimits } from './order-count';

export const WEIGHT_HEADER = 'x-mbx-used-weight-1m';
const MINUTE = 60_000;
/** Above this many addresses, those whose minute has ended are dropped. */
const PRUNE_AT = 50_000;

/** Binance's `REQUEST_WEIGHT` per minute (what its exchangeInfo publishes). */
export const REQUEST_WEIGHT_PER_MINUTE = 6_000;
/** The weight limit's `rateLimits` entry (exchangeInfo; with a `count`, a WebSocket API answer). */
export const REQUEST_WEIGHT_LIMIT = {
  rateLimitType: 'REQUEST_WEIGHT',
  interval: 'MINUTE',
  intervalNum: 1,
  limit: REQUEST_WEIGHT_PER_MINUTE,
} as const;

export class WeightMeter {
  private readonly used = new Map<string, { minute: number; weight: number }>();

  constructor(
    private readonly limit: number | false,
    private readonly now: () => number,
  ) {}

  /**
   * Adds `weight` to the address's minute and returns the minute's total; throws -1003 when
   * that passes the limit (the refused request is counted too, as on Binance).
   */
  take(address: string, weight: number): number {
    const t = this.now();
    const minute = Math.floor(t / MINUTE);
    let w = this.used.get(address);
    if (!w || w.minute !== minute) {
      if (!w && this.used.size >= PRUNE_AT) this.prune(minute);
      w = { minute, weight: 0 };
      this.used.set(address, w);
    }
    w.weight += weight;
    if (this.limit !== false && w.weight > this.limit) {
      const retryAfter = Math.max(1, Math.ceil(((minute + 1) * MINUTE - t) / 1000));
      throw new BinanceError(
        -1003,
        `Way too much request weight used; current limit is ${this.limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
        429,
        undefined,
        retryAfter,
      );
    }
    return w.weight;
  }

  /** The address's total this minute, without adding to it. */
  current(address: string): number {
    const w = this.used.get(address);
    return w && w.minute === Math.floor(this.now() / MINUTE) ? w.weight : 0;
  }

  private prune(minute: number): void {
    for (const [k, w] of this.used) if (w.minute !== minute) this.used.delete(k);
  }
}

/**
 * `exchangeInfo.rateLimits`: the weight budget the facade enforces, the unfilled order count
 * (per account) and the raw request budget every HTTP door shares (per client address and per
 * account, per minute), when limits are on.
 */
export function rateLimitsOf(rawPerMinute: number | false): Array<Record<string, unknown>> {
  if (rawPerMinute === false) return [];
  return [
    REQUEST_WEIGHT_LIMIT,
    ...orderRateLimits(),
    { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 1, limit: rawPerMinute },
  ];
}

/** depth's weight by its `limit` (Binance's table). */
export function depthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

/** A ticker endpoint's weight: one symbol, a `symbols` list of n, or every market. */
export function tickerWeight(
  p: Record<string, string>,
  one: number,
  all: number,
  listed: (n: number) => number,
): number {
  if (p.symbol !== undefined) return one;
  if (p.symbols !== undefined) return listed(countSymbols(p.symbols));
  return all;
}

/** How many names a `symbols` parameter lists (its JSON is checked by the handler). */
function countSymbols(raw: string): number {
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.length : 1;
  } catch {
    return 1;
  }
}
