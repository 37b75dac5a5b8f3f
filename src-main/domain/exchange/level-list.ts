import type { PriceLevel } from './book-order';

/**
 * Split a block above this many levels: an insert then shifts at most 64 levels and 64 prices.
 * Measured on S1 (200,000 adds at new prices, ~100,000 levels a side): 64 was ~15 % faster than
 * 256 (fewer moves per insert outweigh a longer search over block firsts); S3 unchanged.
 */
const MAX_BLOCK = 64;

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
  /**
   * The prices of each block, position for position, and the first price of every block.
   * Searches compare these plain numbers (contiguous in memory) instead of following a pointer
   * to each level object: in a deep book most levels are cold in the cache, and one
   * `block[mid].price` per step of a binary search was a cache miss each.
   */
  private readonly prices: number[][] = [];
  private readonly firsts: number[] = [];
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
    const firsts = this.firsts;
    const last = firsts.length - 1;
    if (!this.before(price, firsts[last] as number)) return last;
    let lo = 0;
    let hi = last - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.before(price, firsts[mid] as number)) hi = mid - 1;
      else lo = mid;
    }
    return lo;
  }

  /** First index in the block's prices that does not sort before `price`. */
  private indexIn(prices: number[], price: number): number {
    let lo = 0;
    let hi = prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.before(prices[mid] as number, price)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts a level whose price is not in the list. */
  insert(level: PriceLevel): void {
    this.size++;
    const price = level.price;
    if (this.blocks.length === 0) {
      this.blocks.push([level]);
      this.prices.push([price]);
      this.firsts.push(price);
      return;
    }
    const bi = this.blockOf(price);
    const block = this.blocks[bi] as PriceLevel[];
    const prices = this.prices[bi] as number[];
    const i = this.indexIn(prices, price);
    // Shifting by hand: `splice` allocates the array of removed items on every call, and
    // the classic mix re-prices a level on most operations.
    let j = block.length;
    block.push(level);
    prices.push(price);
    for (; j > i; j--) {
      block[j] = block[j - 1] as PriceLevel;
      prices[j] = prices[j - 1] as number;
    }
    block[i] = level;
    prices[i] = price;
    if (i === 0) this.firsts[bi] = price;
    if (block.length > MAX_BLOCK) {
      const half = MAX_BLOCK >>> 1;
      const upper = prices.splice(half);
      this.blocks.splice(bi + 1, 0, block.splice(half));
      this.prices.splice(bi + 1, 0, upper);
      this.firsts.splice(bi + 1, 0, upper[0] as number);
    }
  }

  /** Removes a level that is in the list. */
  remove(level: PriceLevel): void {
    this.size--;
    const bi = this.blockOf(level.price);
    const block = this.blocks[bi] as PriceLevel[];
    const prices = this.prices[bi] as number[];
    const last = block.length - 1;
    const from = block[last] === level ? last : this.indexIn(prices, level.price);
    for (let j = from; j < last; j++) {
      block[j] = block[j + 1] as PriceLevel;
      prices[j] = prices[j + 1] as number;
    }
    block.pop();
    prices.pop();
    if (block.length === 0) {
      this.blocks.splice(bi, 1);
      this.prices.splice(bi, 1);
      this.firsts.splice(bi, 1);
    } else if (from === 0) this.firsts[bi] = prices[0] as number;
  }

  /** True when the price arrays mirror the blocks (the tests' consistency check). */
  mirrorsBlocks(): boolean {
    if (this.prices.length !== this.blocks.length || this.firsts.length !== this.blocks.length) {
      return false;
    }
    return this.blocks.every((block, b) => {
      const prices = this.prices[b] as number[];
      return (
        block.length > 0 &&
        prices.length === block.length &&
        this.firsts[b] === prices[0] &&
        block.every((level, i) => level.price === prices[i])
      );
    });
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
    this.prices.length = 0;
    this.firsts.length = 0;
    this.size = 0;
  }
}
