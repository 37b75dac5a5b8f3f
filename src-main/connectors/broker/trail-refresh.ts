import type { BrokerConnector, BrokerOrder } from './port';

/** True when the order trails (by percent or by an amount): its trigger moves at the broker. */
const trails = (o: BrokerOrder | undefined): o is BrokerOrder =>
  !!(o?.trailPercent || o?.trailAmount);

/** How often open orders are re-read while one trails (default): Kraken costs 1 of ~15 per read. */
export const TRAIL_REFRESH_MS = 30_000;

/**
 * A broker that runs a trailing stop moves its trigger without telling anyone: Kraken's
 * stream reports the order when it is placed, filled or cancelled, not each move. While a
 * session holds an open trailing order this re-reads the open orders now and then and takes
 * the triggers from them, so the screens show where the stop is, not where it started.
 *
 * It only updates orders the session still holds: adding or removing is the stream's and the
 * sync's job, and a read that raced a fill must not bring the order back.
 */
export class TrailRefresh {
  private timer: ReturnType<typeof setInterval> | null = null;
  private reading = false;

  constructor(
    private readonly s: {
      readonly orders: Map<string, BrokerOrder>;
      readonly connector: BrokerConnector;
      changed(): void;
      log?: { warn(obj: object, msg: string): void };
    },
    private readonly everyMs = TRAIL_REFRESH_MS,
  ) {}

  /** Starts or stops re-reading as the open orders include a trailing one or not. */
  update(): void {
    const trailing = [...this.s.orders.values()].some(trails);
    if (trailing && !this.timer) {
      this.timer = setInterval(() => void this.read(), this.everyMs);
      this.timer.unref?.();
    } else if (!trailing) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One re-read (skipped while the last is still out): new triggers of held orders. */
  async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      let moved = false;
      for (const x of await this.s.connector.openOrders()) {
        const held = this.s.orders.get(x.orderId);
        if (!trails(held) || !x.stopPrice || x.stopPrice === held.stopPrice) continue;
        this.s.orders.set(x.orderId, { ...held, stopPrice: x.stopPrice });
        moved = true;
      }
      if (moved) this.s.changed();
    } catch (e) {
      this.s.log?.warn({ err: e, venue: this.s.connector.venue }, 'trailing stop re-read failed');
    } finally {
      this.reading = false;
    }
  }
}
