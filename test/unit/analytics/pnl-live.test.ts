import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventHub, type Published } from '../../../src-main/events/hub';
import { PnlLive, PNL_COALESCE_MS } from '../../../src-main/features/analytics/live';
import type { AnalyticsDeps } from '../../../src-main/features/analytics/ports';
import type { AnalyticsService } from '../../../src-main/features/analytics/service';
import type { Logger } from '../../../src-main/observability/logger';

/** PnlLive against a real hub and stand-in sources: what it pushes, when, and how often. */
function setUp() {
  const hub = new EventHub();
  let onFill: (accountId: string) => void = () => undefined;
  let onEngine: (symbol: string) => void = () => undefined;
  let onBroker: (accountId: string, userId: string) => void = () => undefined;
  const owners: Record<string, string> = { p1: 'u1', p2: 'u1', p3: 'u2' };
  const computed: Array<[string, string[]]> = [];
  const deps = {
    accounts: {
      paper: { onFill: (l: (id: string) => void) => ((onFill = l), () => undefined) },
      brokers: {
        onChanged: (l: typeof onBroker) => ((onBroker = l), () => undefined),
      },
      get: (id: string) => (owners[id] ? { userId: owners[id] } : null),
      paperAccountsHolding: (symbols: ReadonlySet<string>) =>
        symbols.has('ETH/USDT') ? ['p3'] : [],
    },
    exchange: {
      onEngineEvents: (l: (symbol: string) => void) => ((onEngine = l), () => undefined),
    },
  } as unknown as AnalyticsDeps;
  const service = {
    nowMs: () => 42,
    liveFigures: (userId: string, ids: ReadonlySet<string>) => {
      computed.push([userId, [...ids].sort()]);
      return [...ids].sort().map((accountId) => ({ accountId }));
    },
  } as unknown as AnalyticsService;
  const log = { warn: () => undefined } as unknown as Logger;
  const live = new PnlLive({ hub, deps, service, log });
  const seen: Published[] = [];
  hub.subscribe(
    (m) => {
      void m.data; // a door reads the payload at once
      seen.push(m);
    },
    (s) => s === 'pnl',
  );
  live.start();
  return {
    hub,
    live,
    seen,
    computed,
    fill: (id: string) => onFill(id),
    trade: (s: string) => onEngine(s),
    brokerChanged: (accountId: string, userId: string) => onBroker(accountId, userId),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the pnl stream', () => {
  it('coalesces a burst into one message per user, with every touched account', () => {
    vi.useFakeTimers();
    const t = setUp();
    t.fill('p1');
    t.fill('p2');
    t.fill('p1');
    t.hub.publish('fills', {} as never, { kind: 'user', userId: 'u1' });
    t.brokerChanged('b1', 'u2');
    // A broker account's state message is not read for this: building it values every position.
    const state = vi.fn(() => ({ accountId: 'b1' }) as never);
    t.hub.publishLazy('brokers', state, { kind: 'user', userId: 'u2' });
    expect(t.seen).toEqual([]);
    vi.advanceTimersByTime(PNL_COALESCE_MS);
    expect(t.seen.map((m) => [m.audience, m.data])).toEqual([
      [
        { kind: 'user', userId: 'u1' },
        { ts: 42, accounts: [{ accountId: 'local' }, { accountId: 'p1' }, { accountId: 'p2' }] },
      ],
      [
        { kind: 'user', userId: 'u2' },
        { ts: 42, accounts: [{ accountId: 'b1' }] },
      ],
    ]);
    vi.advanceTimersByTime(10 * PNL_COALESCE_MS);
    expect(t.seen).toHaveLength(2); // quiet: nothing more
    expect(state).not.toHaveBeenCalled();
    t.live.stop();
  });

  it('pushes holders of a market whose price moved, and nobody else', () => {
    vi.useFakeTimers();
    const t = setUp();
    t.trade('BTC/USDT'); // nobody holds it
    t.trade('ETH/USDT'); // p3 (u2) does
    vi.advanceTimersByTime(PNL_COALESCE_MS);
    expect(t.computed).toEqual([['u2', ['p3']]]);
    t.live.stop();
  });

  it('computes nothing while nobody subscribes', () => {
    vi.useFakeTimers();
    const t = setUp();
    t.hub.clear();
    t.fill('p1');
    vi.advanceTimersByTime(PNL_COALESCE_MS);
    expect(t.computed).toEqual([]);
    t.live.stop();
  });
});
