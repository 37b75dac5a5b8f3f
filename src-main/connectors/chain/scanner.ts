/**
 * Reads a range of blocks for the deposit listener: every block's hash links (reorg checks),
 * top-level native transfers to watched addresses (with their receipts' status) and ERC-20
 * `Transfer` logs to them. It only reads; what to commit is the listener's decision.
 */
import { BlockNotFoundError, parseAbiItem, type Address, type Hex } from 'viem';
import type { ChainClient } from './client';

const TRANSFER = parseAbiItem(
  'event Transfer(address indexed from, address indexed to, uint256 value)',
);

/** Addresses per `getLogs` topic list: public providers refuse very long OR lists. */
const ADDRESSES_PER_LOG_QUERY = 1_000;
/** Block requests in flight at once (answers are awaited together, batched over HTTP). */
const BLOCK_CONCURRENCY = 32;

export interface ScanRequest {
  from: bigint;
  to: bigint;
  /** Watched deposit addresses, lower-case. */
  watched: ReadonlySet<string>;
  /** Token contracts (lower-case) whose transfers count. */
  tokens: readonly string[];
  /** Whether native-coin transfers count (an asset maps the chain's coin). */
  native: boolean;
}

/** A transfer to a watched address. Native: `logIndex` −1 and `tokenContract` null. */
export interface SeenTransfer {
  txHash: string;
  logIndex: number;
  to: string;
  tokenContract: string | null;
  value: bigint;
  blockNumber: bigint;
  blockHash: string;
}

export interface ScannedBlock {
  number: bigint;
  hash: string;
  parentHash: string;
}

export interface ScanResult {
  blocks: ScannedBlock[];
  transfers: SeenTransfer[];
  /** False when a log or receipt names a block hash the fetched blocks do not have. */
  consistent: boolean;
}

type NativeCandidate = { hash: Hex; to: string; value: bigint; block: ScannedBlock };

async function fetchBlocks(client: ChainClient, req: ScanRequest) {
  const blocks: ScannedBlock[] = [];
  const candidates: NativeCandidate[] = [];
  for (let start = req.from; start <= req.to; start += BigInt(BLOCK_CONCURRENCY)) {
    const numbers: bigint[] = [];
    for (let n = start; n <= req.to && n < start + BigInt(BLOCK_CONCURRENCY); n++) numbers.push(n);
    const fetched = await Promise.all(
      numbers.map((blockNumber) =>
        client.getBlock({ blockNumber, includeTransactions: req.native }),
      ),
    );
    for (const b of fetched) {
      if (b.hash === null || b.number === null) throw new Error('pending block returned');
      const block = { number: b.number, hash: b.hash.toLowerCase(), parentHash: b.parentHash };
      blocks.push(block);
      if (!req.native) continue;
      for (const tx of b.transactions) {
        if (typeof tx === 'string' || !tx.to || tx.value <= 0n) continue;
        const to = tx.to.toLowerCase();
        if (req.watched.has(to)) candidates.push({ hash: tx.hash, to, value: tx.value, block });
      }
    }
  }
  return { blocks, candidates };
}

async function fetchTokenLogs(client: ChainClient, req: ScanRequest): Promise<SeenTransfer[]> {
  if (req.tokens.length === 0 || req.watched.size === 0) return [];
  const watched = [...req.watched] as Address[];
  const out: SeenTransfer[] = [];
  for (let i = 0; i < watched.length; i += ADDRESSES_PER_LOG_QUERY) {
    const logs = await client.getLogs({
      address: req.tokens as Address[],
      event: TRANSFER,
      args: { to: watched.slice(i, i + ADDRESSES_PER_LOG_QUERY) },
      fromBlock: req.from,
      toBlock: req.to,
    });
    for (const log of logs) {
      if (log.blockHash === null || log.blockNumber === null || log.logIndex === null) continue;
      const value = log.args.value ?? 0n;
      if (value <= 0n || !log.args.to) continue;
      out.push({
        txHash: log.transactionHash!.toLowerCase(),
        logIndex: log.logIndex,
        to: log.args.to.toLowerCase(),
        tokenContract: log.address.toLowerCase(),
        value,
        blockNumber: log.blockNumber,
        blockHash: log.blockHash.toLowerCase(),
      });
    }
  }
  return out;
}

/** Reads blocks `from..to` and the transfers in them to watched addresses. */
export async function scanRange(client: ChainClient, req: ScanRequest): Promise<ScanResult> {
  const [{ blocks, candidates }, tokenTransfers] = await Promise.all([
    fetchBlocks(client, req),
    fetchTokenLogs(client, req),
  ]);
  const hashes = new Map(blocks.map((b) => [b.number, b.hash]));
  let consistent = tokenTransfers.every((t) => hashes.get(t.blockNumber) === t.blockHash);
  const receipts = await Promise.all(
    candidates.map((c) => client.getTransactionReceipt({ hash: c.hash })),
  );
  const transfers: SeenTransfer[] = [];
  candidates.forEach((c, i) => {
    const r = receipts[i]!;
    if (r.blockHash.toLowerCase() !== c.block.hash) consistent = false;
    if (r.status !== 'success') return; // a reverted call moved no value
    transfers.push({
      txHash: c.hash.toLowerCase(),
      logIndex: -1,
      to: c.to,
      tokenContract: null,
      value: c.value,
      blockNumber: c.block.number,
      blockHash: c.block.hash,
    });
  });
  transfers.push(...tokenTransfers);
  return { blocks, transfers, consistent };
}

/** The canonical block at `number` (its hash lower-case), or null when the node has none. */
export async function blockAt(
  client: ChainClient,
  number: bigint,
): Promise<{ hash: string; parentHash: string } | null> {
  try {
    const b = await client.getBlock({ blockNumber: number });
    return b.hash ? { hash: b.hash.toLowerCase(), parentHash: b.parentHash.toLowerCase() } : null;
  } catch (e) {
    // Only "no such block" means the chain is shorter; a failed request must not look like it.
    if (e instanceof BlockNotFoundError) return null;
    throw e;
  }
}

/** The chain head, read fresh. */
export function headOf(client: ChainClient): Promise<bigint> {
  return client.getBlockNumber({ cacheTime: 0 });
}
