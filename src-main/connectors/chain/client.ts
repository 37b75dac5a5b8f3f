/**
 * The one way the backend reaches an EVM chain: a viem public client over JSON-RPC HTTP.
 * Tests point it at a real local node on 127.0.0.1 (test/fakes/chain), never at a mock.
 *
 * Retries are few and short: the listener and the withdrawal tracker are jobs that run again
 * on their next tick, so a long in-call back-off would only hold the job's slot. Nothing is
 * cached (`cacheTime: 0`): a listener that reads a stale head mis-counts confirmations.
 */
import {
  createPublicClient,
  defineChain,
  http,
  type Chain,
  type PublicClient,
  type Transport,
} from 'viem';

export type ChainClient = PublicClient<Transport, Chain>;

export interface ChainClientOptions {
  chainId: number;
  rpcUrl: string;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
  /**
   * Send the requests made in the same tick as one JSON-RPC batch (at most this many per
   * HTTP request). The listener reads dozens of blocks at once: one request and one parse
   * instead of dozens keeps its event-loop time and its round trips down.
   */
  batchSize?: number;
}

/** A chain definition for viem from what Bourse knows of it (its id; ETH as native coin). */
export function chainDefinition(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

export function openChainClient(o: ChainClientOptions): ChainClient {
  const chain = chainDefinition(o.chainId, o.rpcUrl);
  return createPublicClient({
    chain,
    transport: http(o.rpcUrl, {
      retryCount: 1,
      retryDelay: 100,
      timeout: o.timeoutMs ?? 10_000,
      ...(o.batchSize ? { batch: { batchSize: o.batchSize, wait: 0 } } : {}),
    }),
    cacheTime: 0,
    pollingInterval: 1_000,
  });
}
