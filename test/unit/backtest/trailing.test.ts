import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src-main/domain/backtest';
import { runBacktest } from '../../../src-main/domain/backtest';
import { bars, scripted, type Step } from './helpers';

const run = (c: ReturnType<typeof bars>, plan: Record<number, Step[]>) =>
  runBacktest({
    candles: c,
    strategy: scripted(plan),
    assumptions: { closeAtEnd: false },
  });

/**
 * Backtest trailing stops, backtrader's StopTrail: the stop starts trailPercent behind the
 * close of the bar it is placed on; each bar that does not trigger it moves it to that bar's
 * close less the distance when higher (a sell; a buy mirrors); it triggers as any stop.
 */
describe('backtest trailing stops', () => {
  // open, high, low, close
  const c = bars([
    [100, 100, 100, 100], // 0: buy
    [100, 101, 99, 100], // 1: bought at the open; trailing sell placed at the close (stop 90)
    [101, 111, 100, 110], // 2: untriggered; the close of 110 lifts it to 99
    [110, 112, 103, 105], // 3: low 103 stays above 99; a lower close leaves it at 99
    [104, 106, 98, 100], // 4: the low reaches 99: sold at 99
  ]);

  it('follows the closes up, never down, and sells where the bar reaches it', () => {
    const r = run(c, {
      0: [{ side: 'buy', quantity: 1 }],
      1: [{ side: 'sell', type: 'stop', trailPercent: 10 }],
    });
    const stop = r.orders[1]!;
    expect(stop).toMatchObject({ status: 'filled', doneIndex: 4, fillPrice: 99, trailPercent: 10 });
    expect(r.trades[0]).toMatchObject({ exitPrice: 99 });
  });

  it('fills at the open when a bar gaps through it', () => {
    const gap = bars([
      [100, 100, 100, 100],
      [100, 100, 100, 100], // trailing sell placed: stop 95
      [90, 91, 89, 90], // gaps below 95: sold at the open, 90
    ]);
    const r = run(gap, {
      0: [{ side: 'buy', quantity: 1 }],
      1: [{ side: 'sell', type: 'stop', trailPercent: 5 }],
    });
    expect(r.orders[1]).toMatchObject({ status: 'filled', fillPrice: 90, doneIndex: 2 });
  });

  it('a buy trailing stop follows the closes down', () => {
    const down = bars([
      [100, 100, 100, 100], // placed: stop 102
      [99, 100, 95, 96], // high 100 < 102; close 96 → 97.92
      [96, 97, 94, 95], // high 97 < 97.92; close 95 → 96.9
      [95, 98, 95, 97], // high 98 reaches 96.9: bought at 96.9
    ]);
    const r = run(down, { 0: [{ side: 'buy', type: 'stop', trailPercent: 2 }] });
    const o = r.orders[0]!;
    expect(o.status).toBe('filled');
    expect(o.doneIndex).toBe(3);
    expect(o.fillPrice).toBeCloseTo(96.9, 10);
  });

  it('rejects what it cannot do, with the reason', () => {
    const updates: Order[] = [];
    const r = runBacktest({
      candles: c,
      strategy: scripted(
        {
          0: [
            { side: 'sell', type: 'limit', price: 120, trailPercent: 2 },
            { side: 'sell', type: 'stop', price: 95, trailPercent: 2 },
            { side: 'sell', type: 'stop', trailPercent: 0 },
            { side: 'sell', type: 'stop', trailPercent: 60 },
          ],
        },
        updates,
      ),
    });
    expect(r.orders.map((o) => [o.status, o.reason])).toEqual([
      ['rejected', 'trailPercent is for a stop order (type stop)'],
      ['rejected', 'a trailing stop takes no price: it starts trailPercent behind the last close'],
      ['rejected', 'trailPercent must be a number above 0 and at most 50'],
      ['rejected', 'trailPercent must be a number above 0 and at most 50'],
    ]);
  });
});
