/**
 * Binance's unfilled order count (its spot API's "ORDERS" rate limits, and its FAQ "Spot
 * Unfilled Order Count Rules"): every order an account places through the facade adds one to
 * the count of the current 10-second window and of the current UTC day; the first fill of an
 * order (partial or whole) takes it off again, so orders that trade never use up the limit.
 * Order placements answer both counts in `X-MBX-ORDER-COUNT-10S` / `-1D`, `GET
 * /api/v3/rateLimit/order` lists them, and — when the facade's limits are on — a placement
 * that would pass either limit is refused with -1015 (HTTP 429), before anything is placed.
 *
 * Kept per account (Bourse user), in memory, on the injected clock. As on Binance, the counts
 * a placement answers are those at placement: an order that filled at once is taken off just
 * after.
 */
import { BinanceError } from './mapping';

export const ORDER_COUNT_10S_HEADER = 'x-mbx-order-count-10s';
export const ORDER_COUNT_1D_HEADER = 'x-mbx-order-count-1d';
/** Binance's published spot limits. */
export const ORDERS_PER_10_SECONDS = 100;
export const ORDERS_PER_DAY = 200_000;

const TEN_SECONDS = 10_000;
const DAY = 86_400_000;
/** Above this many accounts, those whose day has ended are dropped. */
const PRUNE_AT = 10_000;
/**
 * At most this many placed, still unfilled orders are remembered for their first fill (an
 * order cancelled unfilled stays until pushed out); past it the oldest
 * is forgotten, and its fill takes nothing off (the count errs high, never low). An account
 * keeps at most 200 open orders per market through the facade.
 */
const MAX_WAITING = 20_000;

/** What became of a counted order by the time its placement answered. */
export type PlacedState = 'filled' | 'resting' | 'ended';

/** An order's state for the count: filled at all (even partly), still resting, or ended unfilled. */
export function placedState(o: { status: string; filledQty: string }): PlacedState {
  if (/[1-9]/.test(o.filledQty)) return 'filled';
  return o.status === 'new' || o.status === 'partially_filled' ? 'resting' : 'ended';
}

interface Counts {
  window: number;
  inWindow: number;
  day: number;
  inDay: number;
}

/** The `rateLimits` entries of the ORDERS limits (exchangeInfo lists them without `count`). */
export function orderRateLimits(): Array<Record<string, unknown>> {
  return [
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: ORDERS_PER_10_SECONDS },
    { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: ORDERS_PER_DAY },
  ];
}

export class OrderCounter {
  private readonly accounts = new Map<string, Counts>();
  /** Counted orders not filled yet: order id → account. */
  private readonly waiting = new Map<number, string>();

  constructor(
    /** False: count and answer, never refuse (the facade's limits are off). */
    private readonly enforce: boolean,
    private readonly now: () => number,
    private readonly maxWaiting = MAX_WAITING,
  ) {}

  /** Refuses (-1015, 429) when `n` more orders would pass either limit. */
  check(userId: string, n: number): void {
    if (!this.enforce) return;
    const c = this.current(userId);
    if (c.inWindow + n > ORDERS_PER_10_SECONDS) throw tooMany(ORDERS_PER_10_SECONDS, '10 SECOND');
    if (c.inDay + n > ORDERS_PER_DAY) throw tooMany(ORDERS_PER_DAY, '1 DAY');
  }

  /**
   * Counts the orders a placement made and returns the counts to answer with them. Filled
   * ones are taken off again right after; resting ones when they first fill.
   */
  add(
    userId: string,
    placed: ReadonlyArray<{ orderId: number; state: PlacedState }>,
  ): { tenSeconds: number; day: number } {
    const c = this.current(userId);
    c.inWindow += placed.length;
    c.inDay += placed.length;
    const answered = { tenSeconds: c.inWindow, day: c.inDay };
    for (const o of placed) {
      if (o.state === 'filled') this.takeOff(c);
      else if (o.state === 'resting') this.remember(o.orderId, userId);
    }
    return answered;
  }

  /** An order's fill: the first one of a counted order takes it off the count. */
  filled(orderId: number): void {
    const userId = this.waiting.get(orderId);
    if (userId === undefined) return;
    this.waiting.delete(orderId);
    this.takeOff(this.current(userId));
  }

  /** Whether any counted order still waits for its first fill (the fill feed can rest). */
  get watching(): boolean {
    return this.waiting.size > 0;
  }

  /** `GET /api/v3/rateLimit/order`'s answer for the account. */
  usage(userId: string): Array<Record<string, unknown>> {
    const c = this.current(userId);
    const [tenSeconds, day] = orderRateLimits();
    return [
      { ...tenSeconds, count: c.inWindow },
      { ...day, count: c.inDay },
    ];
  }

  private takeOff(c: Counts): void {
    c.inWindow = Math.max(0, c.inWindow - 1);
    c.inDay = Math.max(0, c.inDay - 1);
  }

  private remember(orderId: number, userId: string): void {
    if (this.waiting.size >= this.maxWaiting) {
      const oldest = this.waiting.keys().next();
      if (!oldest.done) this.waiting.delete(oldest.value);
    }
    this.waiting.set(orderId, userId);
  }

  /** The account's counts, moved on to the current windows. */
  private current(userId: string): Counts {
    const t = this.now();
    const window = Math.floor(t / TEN_SECONDS);
    const day = Math.floor(t / DAY);
    let c = this.accounts.get(userId);
    if (!c) {
      if (this.accounts.size >= PRUNE_AT) this.prune(day);
      c = { window, inWindow: 0, day, inDay: 0 };
      this.accounts.set(userId, c);
    }
    if (c.window !== window) {
      c.window = window;
      c.inWindow = 0;
    }
    if (c.day !== day) {
      c.day = day;
      c.inDay = 0;
    }
    return c;
  }

  private prune(day: number): void {
    for (const [k, c] of this.accounts) if (c.day !== day) this.accounts.delete(k);
  }
}

function tooMany(limit: number, per: string): BinanceError {
  return new BinanceError(
    -1015,
    `Too many new orders; current limit is ${limit} orders per ${per}.`,
    429,
  );
}
