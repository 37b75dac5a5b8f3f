import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src-main/domain/backtest';
import { nextStatus, summarizeShadow, withPhantomBar } from '../../../src-main/domain/bots';
import { DAY, flat, scripted } from '../backtest/helpers';

describe('the shadow replay', () => {
  it('fills an order of the last bar at its close on the phantom bar', () => {
    const c = withPhantomBar(flat([10, 11, 12]), DAY);
    expect(c.length).toBe(4);
    expect([c.open[3], c.high[3], c.low[3], c.close[3]]).toEqual([12, 12, 12, 12]);
    expect(c.time[3]! - c.time[2]!).toBe(DAY);
    // Buys 5 units on the last real bar (index 2): the target holds them.
    const r = runBacktest({
      candles: c,
      strategy: scripted({ 2: [{ side: 'buy', quantity: 5, tag: 'entry' }] }),
      assumptions: { initialCash: 1000, closeAtEnd: false },
    });
    const s = summarizeShadow(r, 1, 1000);
    expect(s.position).toBe(5);
    expect(s.signal).toBe('buy market (entry)');
    // Bought at 12, marked at 12: equity unchanged over the live period.
    expect(s).toMatchObject({ equity: 1000, startEquity: 1000, pnl: 0, trades: 0 });
  });

  it('reports the P&L and round trips of the live period only', () => {
    // Warm-up bars 0..1 (buy 10 at bar 1's next open 20), live from bar 2; sell at bar 3 → fills at 40.
    const c = withPhantomBar(flat([10, 20, 30, 40, 40]), DAY);
    const r = runBacktest({
      candles: c,
      strategy: scripted({ 0: [{ side: 'buy', quantity: 10 }], 3: ['close'] }),
      assumptions: { initialCash: 1000, closeAtEnd: false },
    });
    // Equity at bar 1 (last warm-up bar): 800 cash + 10 × 20 = 1000; at the end: 800 + 400 = 1200.
    const s = summarizeShadow(r, 2, 1000);
    expect(s).toMatchObject({ position: 0, startEquity: 1000, equity: 1200, pnl: 200, trades: 1 });
    expect(s.signal).toBeNull();
  });
});

describe('the bot lifecycle table', () => {
  it.each([
    ['created', 'start', 'running'],
    ['running', 'pause', 'paused'],
    ['paused', 'start', 'running'],
    ['running', 'stop', 'stopped'],
    ['paused', 'stop', 'stopped'],
    ['running', 'fail', 'error'],
    ['error', 'start', 'running'],
    ['stopped', 'delete', 'stopped'],
  ] as const)('%s --%s--> %s', (from, cmd, to) => {
    expect(nextStatus(from, cmd)).toBe(to);
  });
  it.each([
    ['created', 'pause'],
    ['stopped', 'start'],
    ['running', 'delete'],
    ['paused', 'pause'],
    ['created', 'delete'],
  ] as const)('%s refuses %s', (from, cmd) => {
    expect(nextStatus(from, cmd)).toBeNull();
  });
});
