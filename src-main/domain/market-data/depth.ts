import type { Side } from './types';

/**
 * A resting order as a book snapshot exposes it (price ticks, remaining lots), or an
 * already aggregated level when `orders` is given.
 */
export interface BookOrderView {
  side: Side;
  price: number;
  /** Remaining quantity in lots. */
  qty: number;
  /** Orders this entry stands for (default 1). */
  orders?: number;
}

/** One aggregated price level. */
export interface DepthLevel {
  price: number;
  /** Total remaining lots at this price. */
  qty: number;
  /** Number of resting orders at this price. */
  orders: number;
}

/** Aggregated book: bids best (highest) first, asks best (lowest) first. */
export interface DepthView {
  bids: DepthLevel[];
  asks: DepthLevel[];
}

/** A `[price, qty]` pair on the wire; qty 0 means the level is gone. */
export type LevelPair = [price: number, qty: number];

/** A depth message: a full snapshot or the changes since the previous `seq`. */
export interface DepthMessage {
  seq: number;
  bids: LevelPair[];
  asks: LevelPair[];
}

/** A diff has the same shape as a snapshot but only lists changed levels (qty 0 = removed). */
export type DepthDiff = DepthMessage;

/** A snapshot lists every level of the view. */
export type DepthSnapshot = DepthMessage;

function sumLevels(
  orders: Iterable<BookOrderView>,
  side: Side,
  group: number,
): Map<number, DepthLevel> {
  const levels = new Map<number, DepthLevel>();
  for (const o of orders) {
    if (o.side !== side || o.qty <= 0) continue;
    // Grouping rounds away from the spread so a grouped level never looks better than it is.
    const price =
      side === 'buy' ? Math.floor(o.price / group) * group : Math.ceil(o.price / group) * group;
    const level = levels.get(price);
    if (level) {
      level.qty += o.qty;
      level.orders += o.orders ?? 1;
    } else levels.set(price, { price, qty: o.qty, orders: o.orders ?? 1 });
  }
  return levels;
}

/**
 * Aggregates resting orders into the best `depth` levels per side. `group` (ticks, default
 * 1) merges prices into coarser levels for a zoomed-out ladder.
 */
export function aggregateDepth(
  orders: Iterable<BookOrderView>,
  depth: number,
  group = 1,
): DepthView {
  if (!Number.isSafeInteger(depth) || depth < 0)
    throw new Error('depth must be a non-negative integer');
  if (!Number.isSafeInteger(group) || group < 1)
    throw new Error('group must be a positive integer');
  const list = [...orders];
  const bids = [...sumLevels(list, 'buy', group).values()].sort((a, b) => b.price - a.price);
  const asks = [...sumLevels(list, 'sell', group).values()].sort((a, b) => a.price - b.price);
  return { bids: bids.slice(0, depth), asks: asks.slice(0, depth) };
}

function diffSide(prev: readonly DepthLevel[], next: readonly DepthLevel[]): LevelPair[] {
  const before = new Map(prev.map((l) => [l.price, l.qty]));
  const out: LevelPair[] = [];
  for (const l of next) {
    if (before.get(l.price) !== l.qty) out.push([l.price, l.qty]);
    before.delete(l.price);
  }
  for (const price of before.keys()) out.push([price, 0]);
  return out;
}

/**
 * The changes that turn view `prev` into view `next`, stamped `seq`. A level that merely
 * drops below the top `depth` is reported as removed, which is what a client holding the
 * same top-`depth` view needs. Order counts are not diffed: the wire carries quantities.
 */
export function diffDepth(prev: DepthView, next: DepthView, seq: number): DepthDiff {
  return { seq, bids: diffSide(prev.bids, next.bids), asks: diffSide(prev.asks, next.asks) };
}

/** True when a diff carries no change (the publisher need not send it). */
export function isEmptyDiff(d: DepthDiff): boolean {
  return d.bids.length === 0 && d.asks.length === 0;
}

/** A view as a wire snapshot. */
export function toSnapshot(view: DepthView, seq: number): DepthSnapshot {
  return {
    seq,
    bids: view.bids.map((l): LevelPair => [l.price, l.qty]),
    asks: view.asks.map((l): LevelPair => [l.price, l.qty]),
  };
}

/**
 * Server side of the depth channel for one market: holds the last published view and a
 * sequence number. `publish` returns the diff to broadcast (undefined when nothing changed,
 * and then `seq` does not move, so clients never see a hole that is not one).
 */
export class DepthPublisher {
  private view: DepthView = { bids: [], asks: [] };
  private seq: number;

  constructor(startSeq = 0) {
    this.seq = startSeq;
  }

  /** Publishes a new aggregated view; returns the diff from the previous one, if any. */
  publish(next: DepthView): DepthDiff | undefined {
    const diff = diffDepth(this.view, next, this.seq + 1);
    if (isEmptyDiff(diff)) return undefined;
    this.view = next;
    this.seq += 1;
    return diff;
  }

  /** The current view as a snapshot stamped with the sequence of the last diff sent. */
  snapshot(): DepthSnapshot {
    return toSnapshot(this.view, this.seq);
  }
}
