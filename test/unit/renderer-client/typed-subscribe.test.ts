import { describe, expect, it, vi } from 'vitest';
import type { StreamMessage } from '../../../src-shared/contract';
import type { Transport } from '../../../src-renderer/src/client/transport';

// client.ts builds the page's client on import, from `window.location`.
vi.stubGlobal('window', { location: { protocol: 'http:', origin: 'http://x', host: 'x' } });
const { BourseClient } = await import('../../../src-renderer/src/client/client');

/** A transport that, like the desktop bridge, hands every message to every handler. */
function broadcastTransport() {
  const handlers = new Set<(m: StreamMessage) => void>();
  const subscribed: string[][] = [];
  const transport: Transport = {
    kind: 'ipc',
    call: () => Promise.resolve(undefined),
    subscribe(streams, handler) {
      subscribed.push(streams);
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  const push = (m: StreamMessage) => handlers.forEach((h) => h(m));
  return { transport, push, subscribed };
}

describe('BourseClient.subscribe', () => {
  it("hands a handler only its own stream's payloads", () => {
    const t = broadcastTransport();
    const client = new BourseClient(t.transport);
    const balances: string[] = [];
    const depths: number[] = [];
    const offBalances = client.subscribe('balances', (b) => balances.push(b.asset));
    client.subscribe('depth:BTC/USDT', (d) => depths.push(d.seq));
    t.push({ stream: 'tickers', seq: 1, data: { symbol: 'BTC/USDT' } });
    t.push({ stream: 'balances', seq: 1, data: { asset: 'USDT', available: '1', held: '0' } });
    t.push({ stream: 'depth:ETH/USDT', seq: 1, data: { seq: 7, bids: [], asks: [] } });
    t.push({ stream: 'depth:BTC/USDT', seq: 1, data: { seq: 3, bids: [], asks: [] } });
    offBalances();
    t.push({ stream: 'balances', seq: 2, data: { asset: 'BTC', available: '1', held: '0' } });
    expect(balances).toEqual(['USDT']);
    expect(depths).toEqual([3]);
    expect(t.subscribed).toEqual([['balances'], ['depth:BTC/USDT']]);
  });
});
