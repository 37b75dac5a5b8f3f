/**
 * Client side of the `depth:<symbol>` stream: a snapshot from `marketData.depth`, then
 * diffs in sequence. Diffs that arrive while no snapshot is applied are buffered; a diff
 * whose `seq` is not the previous one + 1 means a message was lost, so the book asks for a
 * new snapshot (`needsSnapshot`) and buffers until it arrives. Pure: the store does the I/O.
 */

export type LevelPair = [price: string, qty: string];

export interface DepthMessage {
  seq: number;
  bids: LevelPair[];
  asks: LevelPair[];
}

export type DiffResult = 'applied' | 'buffered' | 'stale' | 'gap';

/** Cap on buffered diffs while a snapshot is on its way (a stuck fetch must not grow memory). */
const MAX_BUFFER = 1000;

export class ClientDepthBook {
  private readonly bids = new Map<string, string>();
  private readonly asks = new Map<string, string>();
  private last: number | undefined;
  private buffer: DepthMessage[] = [];
  private waiting = true;

  /** True until a snapshot is applied, and again after a gap. */
  get needsSnapshot(): boolean {
    return this.waiting;
  }

  get seq(): number | undefined {
    return this.last;
  }

  /** Replaces the book and replays buffered diffs newer than the snapshot. */
  applySnapshot(s: DepthMessage): void {
    this.bids.clear();
    this.asks.clear();
    setAll(this.bids, s.bids);
    setAll(this.asks, s.asks);
    this.last = s.seq;
    this.waiting = false;
    const pending = this.buffer.sort((a, b) => a.seq - b.seq);
    this.buffer = [];
    for (const d of pending) if (this.onDiff(d) === 'gap') return;
  }

  /** Feeds one diff from the stream. */
  onDiff(d: DepthMessage): DiffResult {
    if (this.waiting) {
      if (this.buffer.length >= MAX_BUFFER) this.buffer.shift();
      this.buffer.push(d);
      return 'buffered';
    }
    const last = this.last ?? 0;
    if (d.seq <= last) return 'stale';
    if (d.seq !== last + 1) {
      this.waiting = true;
      this.buffer = [d];
      return 'gap';
    }
    setAll(this.bids, d.bids);
    setAll(this.asks, d.asks);
    this.last = d.seq;
    return 'applied';
  }

  /** Best `n` levels of a side: bids high→low, asks low→high. */
  levels(side: 'bids' | 'asks', n = Infinity): LevelPair[] {
    const m = side === 'bids' ? this.bids : this.asks;
    const sorted = [...m].sort((a, b) => Number(a[0]) - Number(b[0]));
    if (side === 'bids') sorted.reverse();
    return sorted.slice(0, n);
  }
}

function setAll(side: Map<string, string>, pairs: readonly LevelPair[]): void {
  for (const [p, q] of pairs) {
    if (Number(q) === 0) side.delete(p);
    else side.set(p, q);
  }
}
