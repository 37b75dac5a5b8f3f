import type { DepthDiff, DepthSnapshot, LevelPair } from './depth';

/** Outcome of `DepthBook.applyDiff`. */
export type ApplyResult = 'applied' | 'stale' | 'gap' | 'awaiting-snapshot';

/**
 * Client-side depth book: apply a snapshot, then diffs in sequence. A diff whose `seq`
 * is not `last + 1` means a message was lost: the book stops applying and raises
 * `needsResync` until a fresh snapshot arrives. Diffs at or below the snapshot's `seq`
 * are stale (already contained in the snapshot) and are skipped, so a client may buffer
 * diffs while it fetches the snapshot and replay them all.
 */
export class DepthBook {
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();
  private last: number | undefined;
  private resync = true;

  /** Replaces the whole book. */
  applySnapshot(s: DepthSnapshot): void {
    this.bids.clear();
    this.asks.clear();
    for (const [p, q] of s.bids) if (q > 0) this.bids.set(p, q);
    for (const [p, q] of s.asks) if (q > 0) this.asks.set(p, q);
    this.last = s.seq;
    this.resync = false;
  }

  /** Applies one diff, or explains why not. */
  applyDiff(d: DepthDiff): ApplyResult {
    if (this.resync || this.last === undefined) return 'awaiting-snapshot';
    if (d.seq <= this.last) return 'stale';
    if (d.seq !== this.last + 1) {
      this.resync = true;
      return 'gap';
    }
    applyPairs(this.bids, d.bids);
    applyPairs(this.asks, d.asks);
    this.last = d.seq;
    return 'applied';
  }

  /** True before the first snapshot and after a detected gap. */
  get needsResync(): boolean {
    return this.resync;
  }

  /** Sequence of the last snapshot or diff applied. */
  get seq(): number | undefined {
    return this.last;
  }

  /** The book as a snapshot (bids high→low, asks low→high), for display or comparison. */
  snapshot(): DepthSnapshot {
    return {
      seq: this.last ?? 0,
      bids: [...this.bids].sort((a, b) => b[0] - a[0]),
      asks: [...this.asks].sort((a, b) => a[0] - b[0]),
    };
  }
}

function applyPairs(side: Map<number, number>, pairs: readonly LevelPair[]): void {
  for (const [p, q] of pairs) {
    if (q === 0) side.delete(p);
    else side.set(p, q);
  }
}
