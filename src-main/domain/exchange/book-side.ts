import type { BookOrder } from './book-order';
import { PriceLevel } from './book-order';
import { LevelList } from './level-list';
import { PriceIndex } from './price-index';

// Bound once: under tsx each use of an imported binding is a getter call (see order-book.ts).
const PriceLevelCtor = PriceLevel;

/**
 * One side of the fast book: the levels in priority order (a {@link LevelList}) and a Map
 * that finds a level by price in O(1), so adding to an existing level never searches.
 */
export class BookSide {
  readonly levels: LevelList;
  private readonly byPrice = new PriceIndex();

  constructor(readonly isBid: boolean) {
    this.levels = new LevelList(isBid);
  }

  /** The best level, or undefined when the side is empty. */
  best(): PriceLevel | undefined {
    return this.levels.best();
  }

  /** The level at a price, if any order rests there. */
  level(price: number): PriceLevel | undefined {
    return this.byPrice.get(price);
  }

  /** Number of levels in the price index (equals `depth` when sound). */
  get indexed(): number {
    return this.byPrice.size;
  }

  /** Number of price levels. */
  get depth(): number {
    return this.levels.size;
  }

  /** Appends an order at the back of its price's queue (creating the level). */
  append(order: BookOrder): void {
    let level = this.byPrice.get(order.price);
    if (level === undefined) {
      level = new PriceLevelCtor(order.price);
      this.levels.insert(level);
      this.byPrice.set(level);
    }
    order.level = level;
    order.next = null;
    order.prev = level.tail;
    if (level.tail === null) level.head = order;
    else level.tail.next = order;
    level.tail = order;
    level.total += order.qty;
    level.count++;
  }

  /** Unlinks an order from its queue (dropping the level when it empties). */
  remove(order: BookOrder): void {
    const level = order.level as PriceLevel;
    if (order.prev === null) level.head = order.next;
    else order.prev.next = order.next;
    if (order.next === null) level.tail = order.prev;
    else order.next.prev = order.prev;
    order.prev = null;
    order.next = null;
    order.level = null;
    level.total -= order.qty;
    if (--level.count === 0) {
      this.byPrice.delete(level.price);
      this.levels.remove(level);
    }
  }

  /** Removes every level (orders are dropped by the caller's maps). */
  clear(): void {
    this.levels.clear();
    this.byPrice.clear();
  }
}

/** Structural problems of one side (sorting, links, totals); empty when sound. */
export function sideProblems(side: BookSide, name: string): string[] {
  const out: string[] = [];
  if (side.indexed !== side.depth) out.push(`${name} price index size ${side.indexed}`);
  let prev: PriceLevel | undefined;
  let seen = 0;
  side.levels.forEachFromBest((level) => {
    seen++;
    if (
      prev !== undefined &&
      (side.isBid ? prev.price <= level.price : prev.price >= level.price)
    ) {
      out.push(`${name} levels unsorted at ${level.price}`);
    }
    prev = level;
    if (side.level(level.price) !== level) out.push(`${name} level ${level.price} not indexed`);
    out.push(...levelProblems(level, name, side.isBid ? 'buy' : 'sell'));
  });
  if (seen !== side.depth) out.push(`${name} holds ${seen} levels, counts ${side.depth}`);
  if (!side.levels.mirrorsBlocks()) out.push(`${name} level prices out of step with the levels`);
  return out;
}

function levelProblems(level: PriceLevel, name: string, side: string): string[] {
  const out: string[] = [];
  let total = 0;
  let count = 0;
  let prev: BookOrder | null = null;
  for (let o = level.head; o !== null; o = o.next) {
    if (o.prev !== prev) out.push(`${name} ${level.price}: broken prev link at ${o.id}`);
    if (o.level !== level || o.price !== level.price) out.push(`order ${o.id} on wrong level`);
    if (o.side !== side) out.push(`order ${o.id} (${o.side}) rests on the ${name} side`);
    if (o.qty <= 0) out.push(`order ${o.id} rests with qty ${o.qty}`);
    total += o.qty;
    count++;
    prev = o;
  }
  if (level.tail !== prev) out.push(`${name} ${level.price}: tail is not the last order`);
  if (count === 0) out.push(`${name} ${level.price}: empty level kept`);
  if (count !== level.count) out.push(`${name} ${level.price}: count ${level.count} != ${count}`);
  if (total !== level.total) out.push(`${name} ${level.price}: total ${level.total} != ${total}`);
  return out;
}
