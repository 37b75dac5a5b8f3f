import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketTrade } from '../../../src-main/domain/market-data';
import {
  RecentTrades,
  TICKER_WINDOW_MS,
  TickerWindow,
  formatBps,
  ratioBps,
} from '../../../src-main/domain/market-data';

const M = 60_000;
const T0 = Date.UTC(2024, 4, 1, 12, 0);

describe('TickerWindow', () => {
  it('computes the 24 h statistics', () => {
    const w = new TickerWindow();
    w.addTrade({ ts: T0, price: 200, qty: 3 });
    w.addTrade({ ts: T0 + 5 * M, price: 250, qty: 1 });
    w.addTrade({ ts: T0 + 5 * M + 1, price: 150, qty: 2 });
    w.addTrade({ ts: T0 + 9 * M, price: 198, qty: 1 });
    expect(w.snapshot(T0 + 10 * M)).toEqual({
      open: 200,
      high: 250,
      low: 150,
      last: 198,
      volume: 7n,
      quoteVolume: 600n + 250n + 300n + 198n,
      change: -2,
      changeBps: -100,
      changePercent: '-1.00',
      trades: 4,
      windowStart: T0 + 10 * M - TICKER_WINDOW_MS + M,
    });
  });

  it('evicts a trade exactly 24 h after the start of its minute', () => {
    const w = new TickerWindow();
    w.addTrade({ ts: T0, price: 100, qty: 1 });
    w.addTrade({ ts: T0 + M + 30_000, price: 110, qty: 2 });
    expect(w.snapshot(T0 + TICKER_WINDOW_MS - 1)).toMatchObject({
      open: 100,
      trades: 2,
      volume: 3n,
    });
    expect(w.snapshot(T0 + TICKER_WINDOW_MS)).toMatchObject({
      open: 110,
      last: 110,
      trades: 1,
      volume: 2n,
      changePercent: '0.00',
    });
    expect(w.snapshot(T0 + M + TICKER_WINDOW_MS - 1)).toMatchObject({ trades: 1 });
    expect(w.snapshot(T0 + M + TICKER_WINDOW_MS)).toMatchObject({
      open: null,
      last: null,
      trades: 0,
      volume: 0n,
    });
  });

  it('ignores trades older than the window and overwrites recycled slots', () => {
    const w = new TickerWindow();
    w.addTrade({ ts: T0 + TICKER_WINDOW_MS, price: 100, qty: 1 });
    w.addTrade({ ts: T0, price: 1, qty: 1 });
    w.addTrade({ ts: T0 + 2 * TICKER_WINDOW_MS, price: 300, qty: 4 });
    expect(w.snapshot(T0 + 2 * TICKER_WINDOW_MS)).toMatchObject({
      open: 300,
      trades: 1,
      volume: 4n,
    });
  });

  it('matches a naive window over random tapes', () => {
    const arb = fc.array(
      fc.record({
        dt: fc.integer({ min: 0, max: 4 * 3_600_000 }),
        price: fc.integer({ min: 1, max: 1e6 }),
        qty: fc.integer({ min: 1, max: 1e6 }),
      }),
      { minLength: 1, maxLength: 100 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 2 * TICKER_WINDOW_MS }), (rows, later) => {
        let ts = T0;
        const trades: MarketTrade[] = rows.map((r) => ({
          ts: (ts += r.dt),
          price: r.price,
          qty: r.qty,
        }));
        const w = new TickerWindow();
        trades.forEach((t) => w.addTrade(t));
        const now = ts + later;
        const from = Math.floor(now / M) * M - TICKER_WINDOW_MS + M;
        const live = trades.filter((t) => t.ts >= from && t.ts <= now);
        const s = w.snapshot(now);
        expect(s.trades).toBe(live.length);
        expect(s.volume).toBe(live.reduce((a, t) => a + BigInt(t.qty), 0n));
        expect(s.quoteVolume).toBe(live.reduce((a, t) => a + BigInt(t.price) * BigInt(t.qty), 0n));
        expect(s.open).toBe(live[0]?.price ?? null);
        expect(s.last).toBe(live.at(-1)?.price ?? null);
        expect(s.high).toBe(live.length ? Math.max(...live.map((t) => t.price)) : null);
      }),
    );
  });
});

describe('change in basis points', () => {
  it('rounds half away from zero and formats two decimals', () => {
    expect(ratioBps(1, 3)).toBe(3333);
    expect(ratioBps(1, 20_000)).toBe(1);
    expect(ratioBps(-1, 20_000)).toBe(-1);
    expect(ratioBps(-1, 20_001)).toBe(0);
    expect([formatBps(123), formatBps(-5), formatBps(0), formatBps(-10_000)]).toEqual([
      '1.23',
      '-0.05',
      '0.00',
      '-100.00',
    ]);
  });
});

describe('RecentTrades', () => {
  it('keeps the newest trades, newest first, within capacity', () => {
    const r = new RecentTrades(3);
    expect(r.list()).toEqual([]);
    for (let i = 1; i <= 5; i++) r.push({ id: i, ts: i, price: 1, qty: 1 });
    expect(r.list().map((t) => t.id)).toEqual([5, 4, 3]);
    expect(r.list(2).map((t) => t.id)).toEqual([5, 4]);
    expect(r.size).toBe(3);
    expect(() => new RecentTrades(0)).toThrow();
  });
});
