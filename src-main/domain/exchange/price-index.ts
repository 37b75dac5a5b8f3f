import type { PriceLevel } from './book-order';

const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;
const MAX_PAGED = 0x7fffffff;

/**
 * Price (ticks) → level, as lazily allocated pages of 4,096 slots: two array reads instead
 * of hashing, and no rehash pauses as a side grows to 100,000+ levels. Prices above 2^31
 * (never seen with sane tick sizes) fall back to a Map.
 */
export class PriceIndex {
  private readonly pages: ((PriceLevel | undefined)[] | undefined)[] = [];
  private readonly far = new Map<number, PriceLevel>();
  /** Number of indexed levels. */
  size = 0;

  /** The level at this price, if any. */
  get(price: number): PriceLevel | undefined {
    if (price > MAX_PAGED) return this.far.get(price);
    const p = price >>> PAGE_BITS;
    // Bounds check first: reading past the end of an array is a slow path in V8.
    if (p >= this.pages.length) return undefined;
    const page = this.pages[p];
    return page === undefined ? undefined : page[price & PAGE_MASK];
  }

  /** Indexes a level at its price (the price must be free). */
  set(level: PriceLevel): void {
    this.size++;
    const price = level.price;
    if (price > MAX_PAGED) {
      this.far.set(price, level);
      return;
    }
    const p = price >>> PAGE_BITS;
    while (this.pages.length <= p) this.pages.push(undefined);
    let page = this.pages[p];
    if (page === undefined) {
      page = new Array<PriceLevel | undefined>(PAGE_SIZE).fill(undefined);
      this.pages[p] = page;
    }
    page[price & PAGE_MASK] = level;
  }

  /** Removes the level at this price. */
  delete(price: number): void {
    this.size--;
    if (price > MAX_PAGED) {
      this.far.delete(price);
      return;
    }
    (this.pages[price >>> PAGE_BITS] as (PriceLevel | undefined)[])[price & PAGE_MASK] = undefined;
  }

  /** Removes every level (keeps the pages for reuse). */
  clear(): void {
    for (const page of this.pages) page?.fill(undefined);
    this.far.clear();
    this.size = 0;
  }
}
