/**
 * A sliding-window request limiter: at most `limit` starts in any `windowMs`. `acquire`
 * waits (without spinning) until a slot frees, so Bourse slows down before the broker bans
 * it. The clock and the sleep are injected for tests.
 */
export class SlidingWindowLimiter {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** How long the next request would wait now (0 when a slot is free). */
  waitMs(): number {
    const t = this.now();
    while (this.starts.length && this.starts[0]! <= t - this.windowMs) this.starts.shift();
    if (this.starts.length < this.limit) return 0;
    return this.starts[0]! + this.windowMs - t;
  }

  /** Resolves when the caller may send; callers are served in order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (let w = this.waitMs(); w > 0; w = this.waitMs()) await this.sleep(w);
      this.starts.push(this.now());
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/** Limiters by clock, then by key (see `sharedLimiter`). */
const sharedLimiters = new WeakMap<() => number, Map<string, SlidingWindowLimiter>>();

/**
 * One limiter for every connector of the same broker credential. A broker counts requests
 * per user or key, not per connection: the connection test at account creation, a re-test and
 * the account's session all draw on one budget, so they must wait on one window. Kept per
 * clock too, so tests that inject their own clocks never share a window.
 */
export function sharedLimiter(
  key: string,
  limit: number,
  windowMs: number,
  now: () => number = Date.now,
): SlidingWindowLimiter {
  let byKey = sharedLimiters.get(now);
  if (!byKey) sharedLimiters.set(now, (byKey = new Map()));
  const id = `${key}|${limit}/${windowMs}`;
  let l = byKey.get(id);
  if (!l) byKey.set(id, (l = new SlidingWindowLimiter(limit, windowMs, now)));
  return l;
}
