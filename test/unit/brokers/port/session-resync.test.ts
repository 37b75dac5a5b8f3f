import { describe, expect, it } from 'vitest';
import { BrokerSession } from '../../../../src-main/connectors/broker/session';
import type { BrokerConnector, BrokerEvent } from '../../../../src-main/connectors/broker/port';

/**
 * A connector whose reads the test can hold: `recentFills` (the last step of a sync, after
 * the session already said `up`) waits for `release()` while `hold` is set.
 */
function stub() {
  let push: (e: BrokerEvent) => void = () => undefined;
  const reads = { positions: 0, fills: 0 };
  let hold = false;
  const held: Array<() => void> = [];
  const c = {
    venue: 'stub',
    subscribe: (l: (e: BrokerEvent) => void) => {
      push = l;
      return () => undefined;
    },
    serverTime: () => Promise.resolve({ serverTime: 0, skewMs: 0 }),
    instruments: () => Promise.resolve([]),
    balances: () => Promise.resolve([]),
    positions: () => {
      reads.positions++;
      return Promise.resolve([]);
    },
    openOrders: () => Promise.resolve([]),
    recentFills: () => {
      reads.fills++;
      return hold ? new Promise<[]>((r) => held.push(() => r([]))) : Promise.resolve([]);
    },
    close: () => Promise.resolve(),
  } as unknown as BrokerConnector;
  return {
    c,
    reads,
    push: (e: BrokerEvent) => push(e),
    holdReads: (on: boolean) => (hold = on),
    release: () => held.splice(0).forEach((r) => r()),
    heldCount: () => held.length,
  };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

describe('re-sync after a reconnect', () => {
  it('a stream that drops and returns during a slow re-sync gets a read of its own, and ends up', async () => {
    let t = 1_000;
    const { c, reads, push, holdReads, release, heldCount } = stub();
    const s = new BrokerSession(c, {
      now: () => ++t,
      onChange: () => undefined,
      onFill: () => undefined,
    });
    await s.start();
    expect(s.state).toBe('up');

    // First drop: the re-sync reads, says `up`, then waits on the broker (a rate limit).
    holdReads(true);
    push({ type: 'connection', state: 'down', reason: 'closed (1006)' });
    push({ type: 'connection', state: 'up' });
    await settle();
    expect(heldCount()).toBe(1);
    expect(reads.positions).toBe(2);

    // Second drop and return while that read is still in flight.
    push({ type: 'connection', state: 'down', reason: 'closed (1006)' });
    const droppedAt = t;
    push({ type: 'connection', state: 'up' });
    expect(s.state).toBe('down');
    holdReads(false);
    release();
    await settle();

    // The old read finished; a new one began after the return and brought the account up.
    expect(reads.positions).toBe(3);
    expect(s.state).toBe('up');
    expect(s.syncedAt).toBeGreaterThan(droppedAt);
    await s.stop();
  });

  it('callers during one read share the single read that follows it', async () => {
    const { c, reads, holdReads, release } = stub();
    const s = new BrokerSession(c, {
      now: () => Date.now(),
      onChange: () => undefined,
      onFill: () => undefined,
    });
    await s.start();
    holdReads(true);
    const first = s.sync();
    await settle();
    const again = [s.sync(), s.sync(), s.sync()];
    expect(again[1]).toBe(again[0]);
    holdReads(false);
    release();
    await Promise.all([first, ...again]);
    expect(reads.positions).toBe(3); // start, the held read, one more for the three callers
    await s.stop();
  });
});
