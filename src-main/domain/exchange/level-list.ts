import type { PriceLevel } from './book-order';

/** Split a block above this many levels: inserts then move at most ~256 pointers. */
const MAX_BLOCK = 256;

/**
 * The price levels of one side in priority order, kept as a list of sorted blocks (a
 * square-root decomposition, like Python's SortedList). Order runs worst → best, so the best
 * level is the last element of the last block: matching pops it in O(1), and orders near the
 * top of the book (most of the traffic) touch only the last block. An insert or removal far
 * from the top costs a binary search over blocks plus a splice inside one small block, so
 * books with 100,000+ levels stay fast where one flat sorted array would move them all.
 */
export class LevelList {
  private readonly blocks: PriceLevel[][] = [];
  /** Number of levels. */
  size = 0;

  /** `ascending` for bids (best = highest = last), descending for asks. */
  constructor(private readonly ascending: boolean) {}

  /** The best level, or undefined when empty. */
  best(): PriceLevel | undefined {
    // Length check first: reading past the end of an array is a slow path in V8.
    const n = this.blocks.length;
    if (n === 0) return undefined;
    const block = this.blocks[n - 1] as PriceLevel[];
    return block[block.length - 1];
  }

  /** True when price a sorts before (is worse than) price b on this side. */
  private before(a: number, b: number): boolean {
    return this.ascending ? a < b : a > b;
  }

  /** Index of the block that holds (or would hold) `price`. */
  private blockOf(price: number): number {
    const blocks = this.blocks;
    const last = blocks.length - 1;
    if (!this.before(price, (blocks[last] as PriceLevel[])[0]!.price)) return last;
    let lo = 0;
    let hi = last - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.before(price, (blocks[mid] as PriceLevel[])[0]!.price)) hi = mid - 1;
      else lo = mid;
    }
    return lo;
  }

  /** First index in the block whose price does not sort before `price`. */
  private indexIn(block: PriceLevel[], price: number): number {
    let lo = 0;
    let hi = block.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.before((block[mid] as PriceLevel).price, price)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts a level whose price is not in the list. */
  insert(level: PriceLevel): void {
    this.size++;
    if (this.blocks.length === 0) {
      this.blocks.push([level]);
      return;
    }
    const bi = this.blockOf(level.price);
    const block = this.blocks[bi] as PriceLevel[];
    const i = this.indexIn(block, level.price);
    // Shifting by hand: `splice` allocates the array of removed items on every call, and
    // the classic mix re-prices a level on most operations.
    let j = block.length;
    block.push(level);
    for (; j > i; j--) block[j] = block[j - 1] as PriceLevel;
    block[i] = level;
    if (block.length > MAX_BLOCK) this.blocks.splice(bi + 1, 0, block.splice(MAX_BLOCK >>> 1));
  }

  /** Removes a level that is in the list. */
  remove(level: PriceLevel): void {
    this.size--;
    const bi = this.blockOf(level.price);
    const block = this.blocks[bi] as PriceLevel[];
    const last = block.length - 1;
    const from = block[last] === level ? last : this.indexIn(block, level.price);
    for (let j = from; j < last; j++) {
      block[j] = block[j + 1] as PriceLevel;
    }
    block.pop();
    if (block.length === 0) this.blocks.splice(bi, 1);
  }

  /** Visits levels best first until `visit` returns false. */
  forEachFromBest(visit: (level: PriceLevel) => boolean | void): void {
    for (let b = this.blocks.length - 1; b >= 0; b--) {
      const block = this.blocks[b] as PriceLevel[];
      for (let i = block.length - 1; i >= 0; i--)
        if (visit(block[i] as PriceLevel) === false) return;
    }
  }

  /** Removes every level. */
  clear(): void {
    this.blocks.length = 0;
    this.size = 0;
  }
}
