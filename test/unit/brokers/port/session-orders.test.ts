import { afterEach, describe, expect, it, vi } from 'vitest';
import { BrokerSession } from '../../../../src-main/connectors/broker/session';
import type {
  BrokerConnector,
  BrokerEvent,
  BrokerOrder,
} from '../../../../src-main/connectors/broker/port';

/** A connector with a push stream and open orders the test sets (`rest`), counting reads. */
function stub() {
  let push: (e: BrokerEvent) => void = () => undefined;
  const state = { rest: [] as BrokerOrder[], reads: 0 };
  const c = {
    venue: 'stub',
    subscribe: (l: (e: BrokerEvent) => void) => {
      push = l;
      return () => undefined;
    },
    serverTime: () => Promise.resolve({ serverTime: 0, skewMs: 0 }),
    instruments: () => Promise.resolve([]),
    balances: () => Promise.resolve([]),
    positions: () => Promise.resolve([]),
    openOrders: () => {
      state.reads++;
      return Promise.resolve(state.rest);
    },
    recentFills: () => Promise.resolve([]),
    close: () => Promise.resolve(),
  } as unknown as BrokerConnector;
  return { c, push: (e: BrokerEvent) => push(e), state };
}

const order = (over: Partial<BrokerOrder>): BrokerOrder => ({
  orderId: 'O-1',
  clientOrderId: 'b-1',
  symbol: 'BTC/USD',
  side: 'sell',
  type: 'stop',
  qty: '0.001',
  filledQty: '0',
  price: null,
  stopPrice: null,
  avgPrice: null,
  status: 'open',
  ...over,
});

/**
 * The answer to a placement can arrive after the stream already reported the order: it must
 * neither erase what the stream said (a trailing stop's trigger, which only the broker
 * computes) nor bring back an order the stream reported filled.
 */
describe('placement answers against the stream', () => {
  const start = async () => {
    const { c, push } = stub();
    const s = new BrokerSession(c, {
      now: () => 1,
      onChange: () => undefined,
      onFill: () => undefined,
    });
    await s.start();
    return { s, push };
  };

  it('keeps the trigger the stream reported when the answer has none', async () => {
    const { s, push } = await start();
    push({ type: 'order', order: order({ stopPrice: '58800', trailPercent: '2' }) });
    s.noteOrder(order({ trailPercent: '2', stopPrice: null }));
    expect(s.orders.get('O-1')).toMatchObject({ stopPrice: '58800', trailPercent: '2' });
  });

  it('does not bring back an order the stream reported filled', async () => {
    const { s, push } = await start();
    push({ type: 'order', order: order({ status: 'filled', filledQty: '0.001' }) });
    s.noteOrder(order({ status: 'open' }));
    expect(s.orders.has('O-1')).toBe(false);
  });

  it('records the answer when the stream has said nothing yet', async () => {
    const { s } = await start();
    s.noteOrder(order({ status: 'pending' }));
    expect(s.orders.get('O-1')).toMatchObject({ status: 'pending' });
  });
});

/**
 * Kraken does not push a trailing stop's moves: while a trailing order is open the session
 * re-reads the open orders now and then and takes the new trigger, without adding or
 * removing orders (the stream and the sync do that).
 */
describe('trailing orders are re-read', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  it('takes the trigger from the re-read, and stops reading when no order trails', async () => {
    vi.useFakeTimers();
    const { c, push, state } = stub();
    const s = new BrokerSession(c, {
      now: () => 1,
      onChange: () => undefined,
      trailRefreshMs: 5,
    });
    await s.start();
    const startReads = state.reads;
    const trailing = order({ stopPrice: '58800', trailPercent: '2' });
    push({ type: 'order', order: trailing });
    // The broker moved it; a stranger order in the read is not added.
    state.rest = [{ ...trailing, stopPrice: '60760' }, order({ orderId: 'O-9' })];
    await vi.advanceTimersByTimeAsync(5);
    expect(s.orders.get('O-1')?.stopPrice).toBe('60760');
    expect(s.orders.has('O-9')).toBe(false);

    push({ type: 'order', order: { ...trailing, status: 'cancelled' } });
    const after = state.reads;
    await vi.advanceTimersByTimeAsync(50);
    expect(state.reads).toBe(after);
    expect(after).toBeGreaterThan(startReads);
    await s.stop();
    vi.useRealTimers();
  });

  it('re-reads an order that trails by an amount as well', async () => {
    vi.useFakeTimers();
    const { c, push, state } = stub();
    const s = new BrokerSession(c, { now: () => 1, onChange: () => undefined, trailRefreshMs: 5 });
    await s.start();
    const trailing = order({ stopPrice: '59950', trailAmount: '50' });
    push({ type: 'order', order: trailing });
    state.rest = [{ ...trailing, stopPrice: '61950' }];
    await vi.advanceTimersByTimeAsync(5);
    expect(s.orders.get('O-1')).toMatchObject({ stopPrice: '61950', trailAmount: '50' });
    await s.stop();
    vi.useRealTimers();
  });
});
