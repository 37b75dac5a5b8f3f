/**
 * The listener's rules, without I/O: which fetched blocks may be committed, how confirmations
 * are counted, and which deposits a reorg touches.
 */

/** A block as the listener keeps it. */
export interface BlockLink {
  number: bigint;
  hash: string;
  parentHash: string;
}

/** The listener's verified tip (hash null: a start block not read yet). */
export interface Tip {
  number: bigint;
  hash: string | null;
}

/**
 * True when `blocks` (consecutive, ascending) form one parent-hash chain on top of `tip`. A
 * scan is committed only then: otherwise the chain moved while we read it, and the next poll
 * retries (a reorg at our tip is detected there).
 */
export function linksOnto(tip: Tip, blocks: readonly BlockLink[]): boolean {
  let prev: { number: bigint; hash: string | null } = tip;
  for (const b of blocks) {
    if (b.number !== prev.number + 1n) return false;
    if (prev.hash !== null && b.parentHash.toLowerCase() !== prev.hash.toLowerCase()) return false;
    prev = b;
  }
  return true;
}

/**
 * Confirmations of a transfer in block `blockNumber`, counted against the verified cursor (not
 * the raw head, which may be on a fork we have not checked): the block itself counts as one.
 */
export function confirmationsAt(cursor: bigint, blockNumber: bigint): number {
  const n = cursor - blockNumber + 1n;
  return n < 0n ? 0 : Number(n);
}

/** Where a pending or credited deposit stands after its block left the chain. */
export function afterReorg(status: 'pending' | 'credited'): 'orphaned' | 'reversed' {
  return status === 'pending' ? 'orphaned' : 'reversed';
}
