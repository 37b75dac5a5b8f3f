import { describe, expect, it } from 'vitest';
import type {
  Order,
  OrderRequest,
  StrategyContext,
  StrategyDefinition,
} from '../../../src-main/domain/backtest';
import { detectLookahead, runBacktest } from '../../../src-main/domain/backtest';
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

/**
 * backtrader's other StopTrail form, `trailamount`: the stop sits a fixed distance in price
 * units behind the close (close − amount for a sell, close + amount for a buy), moved only
 * when the new level is better; an equal or worse level is discarded.
 */
describe('backtest trailing stops by a fixed amount', () => {
  // open, high, low, close; a sell trailing 5 behind the closes, placed at bar 1.
  const c = bars([
    [100, 100, 100, 100], // 0: buy
    [100, 101, 99, 100], // 1: bought at the open, 100; trailing sell placed: 100 − 5 = 95
    [101, 111, 100, 110], // 2: low 100 > 95, untriggered; close 110 → 110 − 5 = 105 > 95: 105
    [110, 112, 106, 107], // 3: low 106 > 105; close 107 → 102 < 105: discarded, stays 105
    [107, 111, 105.5, 110], // 4: low 105.5 > 105; close 110 → 105 = 105: unchanged, 105
    [108, 108, 104, 104], // 5: low 104 ≤ 105: sold at min(open 108, stop 105) = 105
  ]);

  /** A strategy that buys at bar 0, places `stop` at bar 1 and records where it stands after
   * each bar (the order as `onBar` sees it, after the bar's orders were processed). */
  const placing = (stop: Omit<OrderRequest, 'side'>, seen: number[]) =>
    ({
      id: 'trail-amount',
      name: 'trail-amount',
      description: 'test',
      params: [],
      create: () => ({
        onBar(ctx: StrategyContext) {
          if (ctx.index === 0) ctx.buy({ quantity: 1 });
          if (ctx.index === 1) ctx.sell({ ...stop, tag: 'trail' });
          const o = ctx.openOrders.find((x) => x.tag === 'trail');
          if (o) seen.push(o.price);
        },
      }),
    }) satisfies StrategyDefinition;

  it('a sell follows the closes up by the distance, never down, and sells where reached', () => {
    const seen: number[] = [];
    const r = runBacktest({
      candles: c,
      strategy: placing({ type: 'stop', trailAmount: 5 }, seen),
      assumptions: { closeAtEnd: false },
    });
    // After bars 1..4 (placed, lifted, kept on a lower close, kept on an equal level).
    expect(seen).toEqual([95, 105, 105, 105]);
    const stop = r.orders[1]!;
    expect(stop).toMatchObject({
      status: 'filled',
      doneIndex: 5,
      fillPrice: 105,
      price: 105,
      trailAmount: 5,
    });
    expect(stop.trailPercent).toBeNaN();
    expect(r.trades[0]).toMatchObject({ entryPrice: 100, exitPrice: 105 });
  });

  it('the same bars trailing by percent move by a share of the close instead', () => {
    const seen: number[] = [];
    runBacktest({
      candles: c,
      strategy: placing({ type: 'stop', trailPercent: 5 }, seen),
      assumptions: { closeAtEnd: false },
    });
    // 95, then 110 × 0.95 = 104.5, kept on 107 (101.65) and on 110 (104.5 again).
    expect(seen.map((x) => Number(x.toFixed(9)))).toEqual([95, 104.5, 104.5, 104.5]);
  });

  it('fills at the open when a bar gaps through it', () => {
    const gap = bars([
      [100, 100, 100, 100],
      [100, 100, 100, 100], // trailing sell placed: 100 − 5 = 95
      [90, 91, 89, 90], // opens at 90, below 95: sold at the open, 90
    ]);
    const r = run(gap, {
      0: [{ side: 'buy', quantity: 1 }],
      1: [{ side: 'sell', type: 'stop', trailAmount: 5 }],
    });
    expect(r.orders[1]).toMatchObject({ status: 'filled', fillPrice: 90, doneIndex: 2 });
  });

  it('a buy follows the closes down by the distance, never up', () => {
    const down = bars([
      [100, 100, 100, 100], // placed: 100 + 3 = 103
      [99, 100, 95, 96], // high 100 < 103; close 96 → 99 < 103: 99
      [96, 98, 94, 95], // high 98 < 99; close 95 → 98
      [95, 97, 95, 97], // high 97 < 98; close 97 → 100 > 98: discarded, stays 98
      [97, 99, 96, 98], // high 99 ≥ 98: bought at max(open 97, stop 98) = 98
    ]);
    const r = run(down, { 0: [{ side: 'buy', type: 'stop', trailAmount: 3 }] });
    expect(r.orders[0]).toMatchObject({
      status: 'filled',
      doneIndex: 4,
      fillPrice: 98,
      trailAmount: 3,
    });
  });

  it('rejects what it cannot do, with the reason', () => {
    const r = runBacktest({
      candles: c,
      strategy: scripted({
        0: [
          { side: 'sell', type: 'stop', trailPercent: 2, trailAmount: 5 },
          { side: 'sell', type: 'limit', price: 120, trailAmount: 5 },
          { side: 'sell', trailAmount: 5 },
          { side: 'sell', type: 'stop', price: 95, trailAmount: 5 },
          { side: 'sell', type: 'stop', trailAmount: 0 },
          { side: 'sell', type: 'stop', trailAmount: -1 },
          { side: 'sell', type: 'stop', trailAmount: Infinity },
          { side: 'sell', type: 'stop', trailAmount: NaN },
          { side: 'sell', type: 'stop', trailAmount: '5' as unknown as number },
        ],
      }),
    });
    const amount = 'trailAmount must be a finite number above 0 (a distance in price units)';
    expect(r.orders.map((o) => [o.status, o.reason])).toEqual([
      ['rejected', 'a trailing stop takes trailPercent or trailAmount, not both'],
      ['rejected', 'trailAmount is for a stop order (type stop)'],
      ['rejected', 'trailAmount is for a stop order (type stop)'],
      ['rejected', 'a trailing stop takes no price: it starts trailAmount behind the last close'],
      ['rejected', amount],
      ['rejected', amount],
      ['rejected', amount],
      ['rejected', amount],
      ['rejected', amount],
    ]);
  });
});

describe('the look-ahead check and trailing stops', () => {
  // A steady climb: the stop keeps moving, so a shorter run leaves it at another price.
  const climb = bars(
    Array.from({ length: 40 }, (_, i) => [100 + i, 101 + i, 99 + i, 100 + i] as const),
  );
  it.each([{ trailPercent: 5 }, { trailAmount: 5 }])(
    'does not take %o moving for look-ahead',
    (t) => {
      const report = detectLookahead({
        candles: climb,
        strategy: scripted({
          0: [{ side: 'buy', quantity: 1 }],
          1: [{ side: 'sell', type: 'stop', ...t }],
        }),
      });
      expect(report).toMatchObject({ ok: true, divergence: null });
    },
  );
});
