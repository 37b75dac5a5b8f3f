import type { Side } from './types';

/**
 * Full-book updates, the kind Binance's diff-depth stream carries: each update names the
 * price levels a batch of engine events may have changed, with their quantity after the batch
 * (0 = gone), and the range of update ids it covers. The update id is the market's engine
 * event `seq`, which a depth snapshot also carries, so a client can join a snapshot to the
 * stream (drop updates whose final id is at or below the snapshot's, apply the rest in order).
 */

/** The parts of an engine event that say where resting quantity may have moved. */
export type BookEvent =
  | { type: 'accepted'; side: Side; price: number }
  | { type: 'trade'; takerSide: Side; price: number }
  | { type: 'cancelled' | 'expired'; side: Side; price: number }
  | { type: 'amended'; side: Side; oldPrice: number; price: number }
  | { type: 'triggered'; orderId: number }
  | { type: 'rejected' | 'status' | 'trailed' };

/** Price levels (ticks) per side, as a set: each is reported once per update. */
export interface TouchedLevels {
  bids: Set<number>;
  asks: Set<number>;
}

/**
 * The levels a batch of events may have changed. Touching a level that ends unchanged is
 * harmless (its quantity is read, not derived), so every price an event names is listed:
 * a trade's price on the maker's side, an order's price where it rests or rested, both
 * prices of an amend, and for a triggered stop the price it now rests at (`restingAt`).
 */
export function touchedLevels(
  events: Iterable<BookEvent>,
  restingAt: (orderId: number) => { side: Side; price: number } | undefined,
): TouchedLevels {
  const out: TouchedLevels = { bids: new Set(), asks: new Set() };
  const touch = (side: Side, price: number): void => {
    if (price > 0) (side === 'buy' ? out.bids : out.asks).add(price);
  };
  for (const e of events) {
    switch (e.type) {
      case 'accepted':
      case 'cancelled':
      case 'expired':
        touch(e.side, e.price);
        break;
      case 'trade':
        touch(e.takerSide === 'buy' ? 'sell' : 'buy', e.price);
        break;
      case 'amended':
        touch(e.side, e.oldPrice);
        touch(e.side, e.price);
        break;
      case 'triggered': {
        const at = restingAt(e.orderId);
        if (at) touch(at.side, at.price);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** The range of update ids one published update covers (Binance's `U` and `u`). */
export interface UpdateRange {
  first: number;
  final: number;
}

/**
 * Update ids of one market's full-book stream. `current` is the last engine event seq folded
 * in, which is what a snapshot taken now reflects. A published update covers every id since
 * the previous published one (`first` = previous `final` + 1), so batches that moved no level
 * publish nothing and still leave no hole: a client checks `first === previous final + 1`.
 */
export class BookUpdateIds {
  private last: number;
  private published: number;

  constructor(lastSeq: number) {
    this.last = lastSeq;
    this.published = lastSeq;
  }

  /** The id a snapshot taken now is consistent with (Binance's `lastUpdateId`). */
  get current(): number {
    return this.last;
  }

  /**
   * Folds a batch whose last event has `finalSeq`. Returns the range to publish when the batch
   * touched the book, undefined otherwise (or for a batch already folded in).
   */
  advance(finalSeq: number, touched: boolean): UpdateRange | undefined {
    if (finalSeq <= this.last) return undefined;
    this.last = finalSeq;
    if (!touched) return undefined;
    const range = { first: this.published + 1, final: finalSeq };
    this.published = finalSeq;
    return range;
  }
}
