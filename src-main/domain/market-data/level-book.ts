import type { BookOrderView, DepthView } from './depth';
import { aggregateDepth } from './depth';
import type { Side } from './types';

interface Level {
  qty: number;
  orders: number;
}

/**
 * Aggregated book kept up to date from engine events, for when the service would rather
 * not walk the whole engine book on every change: an order resting → `add`; a fill of a
 * resting order, a cancel or an amend down → `reduce`. `view` then feeds `DepthPublisher`.
 * It holds only levels (price → lots, order count), never individual orders.
 */
export class LevelBook {
  private readonly bids = new Map<number, Level>();
  private readonly asks = new Map<number, Level>();

  /** A new order now rests with `qty` lots at `price`. */
  add(side: Side, price: number, qty: number): void {
    if (qty <= 0) return;
    const levels = side === 'buy' ? this.bids : this.asks;
    const level = levels.get(price);
    if (level) {
      level.qty += qty;
      level.orders += 1;
    } else levels.set(price, { qty, orders: 1 });
  }

  /**
   * Resting quantity left the level: `qty` lots were filled or cancelled; `orderGone` says
   * whether the order itself left the book. The level disappears with its last lot.
   */
  reduce(side: Side, price: number, qty: number, orderGone: boolean): void {
    const levels = side === 'buy' ? this.bids : this.asks;
    const level = levels.get(price);
    if (!level) return;
    level.qty -= qty;
    if (orderGone) level.orders -= 1;
    if (level.qty <= 0 || level.orders <= 0) levels.delete(price);
  }

  /** Best `depth` levels per side (optionally grouped), as `aggregateDepth` gives them. */
  view(depth: number, group = 1): DepthView {
    return aggregateDepth(this.entries(), depth, group);
  }

  private *entries(): Generator<BookOrderView> {
    for (const [price, l] of this.bids) yield { side: 'buy', price, qty: l.qty, orders: l.orders };
    for (const [price, l] of this.asks) yield { side: 'sell', price, qty: l.qty, orders: l.orders };
  }
}
