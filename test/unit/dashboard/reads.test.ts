import { describe, expect, it, vi } from 'vitest';

// The stores' client reaches for the browser's window at import: these checks need none of it.
vi.mock('../../../src-renderer/src/client/client', () => ({ client: {} }));
vi.mock('../../../src-renderer/src/stores/session', () => ({ call: vi.fn() }));
import {
  coalesced,
  equityInput,
  summaryInput,
  totalInput,
} from '../../../src-renderer/src/stores/dashboard-reads';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

describe("the dashboard's reads", () => {
  it('asks for the period in the chosen zone, valued in the chosen asset only when one is picked', () => {
    const plain = summaryInput({ period: '30d', tz: 'Europe/Paris', quote: '' }, NOW);
    expect(plain).not.toHaveProperty('quote');
    expect(plain.tz).toBe('Europe/Paris');
    expect(plain.to!).toBeGreaterThan(plain.from!);
    expect(summaryInput({ period: '30d', tz: 'UTC', quote: 'USDT' }, NOW).quote).toBe('USDT');
  });

  it('reads no equity curve without an account, and no total without an asset to value it in', () => {
    const period = '30d' as const;
    expect(equityInput({ period, equityAccount: '', benchmark: '' }, NOW)).toBeUndefined();
    const curve = equityInput({ period, equityAccount: 'p1', benchmark: 'BTC/USDT' }, NOW);
    expect(curve).toMatchObject({ accountId: 'p1', benchmark: 'BTC/USDT' });
    expect(equityInput({ period, equityAccount: 'p1', benchmark: '' }, NOW)).not.toHaveProperty(
      'benchmark',
    );
    expect(totalInput({ period, quote: '', assets: [] }, NOW)).toBeUndefined();
  });

  it('runs one re-read at a time: calls made meanwhile become one more run, reading all if any asked', async () => {
    const runs: boolean[] = [];
    const gates: Array<() => void> = [];
    const reread = coalesced(async (all) => {
      runs.push(all);
      await new Promise<void>((resolve) => gates.push(resolve));
    });
    const first = reread(false);
    const during = [reread(false), reread(true), reread(false)];
    await Promise.all(during); // they return at once: the running read will go again
    expect(runs).toEqual([false]);
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(runs).toEqual([false, true]);
    gates.shift()!();
    await first;
    expect(runs).toEqual([false, true]);
    // Idle again: the next call runs at once.
    const next = reread(false);
    expect(runs).toEqual([false, true, false]);
    gates.shift()!();
    await next;
  });
});
