import { afterEach, describe, expect, it, vi } from 'vitest';
import { BrokerSession } from '../../../../src-main/connectors/broker/session';
import type { BrokerConnector, BrokerEvent } from '../../../../src-main/connectors/broker/port';

/** A connector that only counts balance reads and lets the test push stream events. */
function stub() {
  let push: (e: BrokerEvent) => void = () => undefined;
  const counts = { balances: 0 };
  const c = {
    venue: 'stub',
    subscribe: (l: (e: BrokerEvent) => void) => {
      push = l;
      return () => undefined;
    },
    balances: () => {
      counts.balances++;
      return Promise.resolve([{ asset: 'USD', total: String(counts.balances), available: '0' }]);
    },
    serverTime: () => Promise.resolve({ serverTime: 0, skewMs: 0 }),
    instruments: () => Promise.resolve([]),
    positions: () => Promise.resolve([]),
    openOrders: () => Promise.resolve([]),
    close: () => Promise.resolve(),
  } as unknown as BrokerConnector;
  return { c, counts, push: (e: BrokerEvent) => push(e) };
}

const fill = (n: number): BrokerEvent => ({
  type: 'fill',
  fill: {
    fillId: `F${n}`,
    orderId: 'O1',
    clientOrderId: null,
    symbol: 'BTC/USD',
    side: 'buy',
    qty: '1',
    price: '1',
    time: n,
  },
});

afterEach(() => {
  vi.useRealTimers();
});

describe('balances after fills', () => {
  it('a burst of fills reads balances once now and once after the gap, not once per fill', async () => {
    vi.useFakeTimers();
    const { c, counts, push } = stub();
    const s = new BrokerSession(c, { now: () => Date.now(), onChange: () => undefined });
    await s.start(); // the first sync reads balances once
    expect(counts.balances).toBe(1);
    for (let i = 0; i < 20; i++) push(fill(i));
    expect(counts.balances).toBe(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(counts.balances).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(counts.balances).toBe(3);
    // Quiet after the burst: no further reads; the next fill reads at once.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(counts.balances).toBe(3);
    push(fill(99));
    expect(counts.balances).toBe(4);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.balances[0]?.total).toBe('4');
    await s.stop();
  });
});

describe('valued positions', () => {
  const position = (qty: string): BrokerEvent => ({
    type: 'position',
    position: { symbol: 'BTC/USD', side: 'long', qty, avgPrice: '100', unrealisedPnl: null },
  });
  const quote = (last: string): BrokerEvent => ({
    type: 'quote',
    quote: { symbol: 'BTC/USD', bid: null, ask: null, last, at: 0 },
  });

  it('are valued once, and again after a price or a position changes', async () => {
    const { c, push } = stub();
    const s = new BrokerSession(c, { now: () => Date.now(), onChange: () => undefined });
    await s.start();
    push(position('2'));
    push(quote('110'));
    const first = s.valuedPositions('USD');
    expect(first.map((p) => p.markPrice)).toEqual(['110']);
    expect(s.valuedPositions('USD')).toBe(first); // nothing changed: the same rows
    push(quote('120'));
    expect(s.valuedPositions('USD').map((p) => p.markPrice)).toEqual(['120']);
    push(position('3'));
    expect(s.valuedPositions('USD').map((p) => p.qty)).toEqual(['3']);
    push({ type: 'position_closed', symbol: 'BTC/USD' });
    expect(s.valuedPositions('USD')).toEqual([]);
    await s.stop();
  });
});
