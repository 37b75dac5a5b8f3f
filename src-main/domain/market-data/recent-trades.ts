import type { MarketTrade } from './types';

/**
 * Bounded buffer of the latest trades of one market, listed newest first. A fixed-size
 * ring so a busy market costs the same memory as a quiet one.
 */
export class RecentTrades {
  private readonly ring: (MarketTrade | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new Error('capacity must be a positive integer');
    this.ring = new Array<MarketTrade | undefined>(capacity);
  }

  /** Records a trade, dropping the oldest when full. */
  push(t: MarketTrade): void {
    this.ring[this.next] = t;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Up to `limit` trades, newest first. */
  list(limit = this.capacity): MarketTrade[] {
    const n = Math.min(limit, this.count);
    const out: MarketTrade[] = [];
    for (let i = 1; i <= n; i++) {
      const t = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (t) out.push(t);
    }
    return out;
  }

  /** Number of trades held. */
  get size(): number {
    return this.count;
  }
}
