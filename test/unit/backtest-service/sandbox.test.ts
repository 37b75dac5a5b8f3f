import { describe, expect, it } from 'vitest';
import { createBuiltInRegistry, runBacktest } from '../../../src-main/domain/backtest';
import { parseCandles } from '../../../src-main/domain/candles';
import { loadUserStrategy, StrategyError } from '../../../src-main/features/backtest/sandbox';
import { missingRealData, readRealData, skipWithoutRealData } from '../../helpers/real-data';
import { bars } from '../backtest/helpers';

// Fifteen years of NVDA when the real-data folder is beside the checkout; the small daily
// fixture otherwise (enough for every test but the many-trades comparison).
const NVDA = 'bars/nvda-1999-2014.txt';
const candles = parseCandles(
  readRealData(missingRealData(NVDA) ? 'bars/2006-day-001.txt' : NVDA),
).candles;

/** The built-in MA crossover, rewritten as a user strategy against the sandbox's context. */
const MA_JS = `
defineStrategy({
  name: 'MA crossover (user)',
  params: [
    { name: 'fast', type: 'int', min: 2, max: 200, step: 1, default: 10 },
    { name: 'slow', type: 'int', min: 3, max: 500, step: 5, default: 30 },
    { name: 'allowShort', type: 'bool', default: false },
  ],
  create(p) {
    let fast, slow;
    const updates = [];
    return {
      onStart(ctx) {
        fast = ctx.indicators.sma(ctx.candles.close, p.fast);
        slow = ctx.indicators.sma(ctx.candles.close, p.slow);
      },
      onBar(ctx) {
        const i = ctx.index;
        if (i < 1) return;
        if (fast[i] > slow[i] && fast[i - 1] <= slow[i - 1]) {
          if (ctx.position < 0) ctx.closePosition('cross-up');
          if (ctx.position <= 0) ctx.buy({ tag: 'cross-up' });
        } else if (fast[i] < slow[i] && fast[i - 1] >= slow[i - 1]) {
          if (ctx.position > 0) ctx.closePosition('cross-down');
          if (p.allowShort && ctx.position >= 0) ctx.sell({ tag: 'cross-down' });
        }
      },
      onOrderUpdate(order, ctx) {
        if (order.status !== 'filled') throw new Error('unexpected ' + order.status);
        if (!(ctx.openOrders.length >= 0)) throw new Error('openOrders unreadable');
      },
    };
  },
});`;

describe('sandboxed user strategies', () => {
  it('give exactly the built-in results when they implement the same rule', async (ctx) => {
    skipWithoutRealData(ctx, NVDA);
    const user = await loadUserStrategy('user:1', MA_JS);
    expect(user.params.map((p) => p.name)).toEqual(['fast', 'slow', 'allowShort']);
    const params = { fast: 15, slow: 50, allowShort: true };
    const assumptions = { commission: { kind: 'percent' as const, rate: 0.001 }, spread: 0.02 };
    const mine = runBacktest({ candles, strategy: user, params, assumptions });
    const builtIn = runBacktest({
      candles,
      strategy: createBuiltInRegistry().get('ma-crossover')!,
      params: { ...params, ma: 'sma' },
      assumptions,
    });
    expect(mine.trades.length).toBeGreaterThan(50);
    expect(mine.trades).toEqual(builtIn.trades);
    expect(mine.finalCashMinor).toBe(builtIn.finalCashMinor);
    expect(mine.metrics).toEqual(builtIn.metrics);
  });

  it('hands the strategy only sandbox objects (no host realm reachable)', async () => {
    const probe = await loadUserStrategy(
      'user:2',
      `defineStrategy({ create() { return { onBar(ctx) {
        const leaks = [ctx, ctx.candles, ctx.candles.close, ctx.indicators.sma(ctx.candles.close, 3), ctx.buy(), ctx.params, ctx.assumptions]
          .map((o) => { try { return o.constructor.constructor('return typeof process + typeof require')(); } catch (e) { return e.name; } });
        throw new Error(leaks.join(','));
      } }; } });`,
    );
    expect(() => runBacktest({ candles, strategy: probe })).toThrow(
      /: (undefinedundefined,){6}undefinedundefined$/,
    );
  });

  it('turns host-side refusals into the sandbox’s own errors', async () => {
    const s = await loadUserStrategy(
      'user:3',
      `defineStrategy({ create() { return { onBar(ctx) {
        let e1 = 'none';
        try { ctx.indicators.sma(ctx.candles.close, 0); } catch (e) { e1 = e instanceof Error ? 'sandbox:' + e.message : 'foreign'; }
        throw new Error(e1);
      } }; } });`,
    );
    expect(() => runBacktest({ candles, strategy: s })).toThrow(StrategyError);
    expect(() => runBacktest({ candles, strategy: s })).toThrow(/sandbox:RangeError: /);
  });

  it('hands back orders in the compact form exactly as their JSON form', async () => {
    const s = await loadUserStrategy(
      'user:4',
      `defineStrategy({ create() { return { onBar(ctx) {
        if (ctx.index !== 3) return;
        const a = ctx.buy({ tag: 'a\u0001b', quantity: 2 });
        const b = ctx.sell({ type: 'limit', price: 1e9, tag: 'lim' });
        const compact = JSON.stringify([a, b]), json = JSON.stringify(ctx.openOrders);
        throw new Error(compact === json ? 'same ' + [a.side, a.quantity, a.price, a.tag.length, b.type, b.price].join() : 'diff ' + compact + json);
      } }; } });`,
    );
    expect(() => runBacktest({ candles, strategy: s })).toThrow(
      /at bar 3: Error: same buy,2,,3,limit,1000000000$/,
    );
    s.dispose();
  });
});

describe('sandboxed user strategies and the indicator convention', () => {
  // Buys on the first bar whose ATR(14) is defined: bar 13 under TradingView's convention,
  // bar 14 under TA-Lib's (its true range needs a previous close).
  const ATR_JS = `
defineStrategy({
  name: 'first ATR',
  params: [],
  create() {
    let atr;
    return {
      onStart(ctx) { atr = ctx.indicators.atr(ctx.candles.high, ctx.candles.low, ctx.candles.close, 14); },
      onBar(ctx) { if (ctx.position === 0 && ctx.openOrders.length === 0 && atr[ctx.index] > 0) ctx.buy({ quantity: 1 }); },
    };
  },
});`;

  it('ctx.indicators follows assumptions.indicatorConvention', async () => {
    const user = await loadUserStrategy('user:2', ATR_JS);
    const entry = (indicatorConvention: 'tradingview' | 'talib') =>
      runBacktest({ candles, strategy: user, assumptions: { indicatorConvention } }).orders[0]!
        .submittedIndex;
    expect(entry('tradingview')).toBe(13);
    expect(entry('talib')).toBe(14);
  });
});

describe('sandboxed trailing stops', () => {
  it('a user strategy places a trailing stop as a built-in would, and sees it move', async () => {
    const source = `
defineStrategy({
  create() {
    const prices = [];
    return {
      onBar(ctx) {
        if (ctx.index === 0) ctx.buy({ quantity: 1 });
        if (ctx.index === 1) ctx.sell({ type: 'stop', trailPercent: 5, tag: 'trail' });
        const o = ctx.openOrders.find((x) => x.tag === 'trail');
        if (o) prices.push(o.price);
      },
      onEnd(ctx) {
        if (prices.length < 2 || !(prices[prices.length - 1] > prices[0])) {
          throw new Error('the trailing stop did not move: ' + prices.join(' '));
        }
      },
    };
  },
});`;
    const user = await loadUserStrategy('user:trail', source);
    const c = bars([
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [101, 111, 100, 110],
      [110, 116, 109, 115],
      [114, 115, 100, 101],
    ]);
    const mine = runBacktest({ candles: c, strategy: user, assumptions: { closeAtEnd: false } });
    const stop = mine.orders.find((o) => o.tag === 'trail')!;
    // Placed at 95 (5 % under 100), lifted to 104.5 then 109.25; bar 4 falls through it.
    expect(stop).toMatchObject({ status: 'filled', doneIndex: 4 });
    expect(stop.fillPrice).toBeCloseTo(109.25, 10);
  });

  it('a user strategy trails by a fixed amount through the JSON request', async () => {
    const source = `
defineStrategy({
  create() {
    const prices = [];
    return {
      onBar(ctx) {
        if (ctx.index === 0) ctx.buy({ quantity: 1 });
        if (ctx.index === 1) ctx.sell({ type: 'stop', trailAmount: 5, tag: 'trail' });
        const o = ctx.openOrders.find((x) => x.tag === 'trail');
        if (o) prices.push(o.price);
      },
      onEnd(ctx) {
        if (prices.join(' ') !== '95 105 110') {
          throw new Error('the trailing stop did not move by 5: ' + prices.join(' '));
        }
      },
    };
  },
});`;
    const user = await loadUserStrategy('user:trail-amount', source);
    const c = bars([
      [100, 100, 100, 100],
      [100, 101, 99, 100], // placed: 100 − 5 = 95
      [101, 111, 100, 110], // close 110 → 105
      [110, 116, 109, 115], // low 109 > 105; close 115 → 110
      [114, 115, 100, 101], // low 100 ≤ 110: sold at min(open 114, 110) = 110
    ]);
    const mine = runBacktest({ candles: c, strategy: user, assumptions: { closeAtEnd: false } });
    expect(mine.status).toBe('completed');
    const stop = mine.orders.find((o) => o.tag === 'trail')!;
    expect(stop).toMatchObject({ status: 'filled', doneIndex: 4, fillPrice: 110, trailAmount: 5 });
  });

  it('refuses an amount the strategy could not mean, with the reason', async () => {
    // NaN and Infinity cross the JSON request as null; they are refused, not dropped (a
    // dropped one would leave a stop without a price, or a market order that never trails).
    const source = `
defineStrategy({
  create() {
    return {
      onBar(ctx) {
        if (ctx.index !== 0) return;
        for (const a of [0, -2, Infinity, NaN, '5', null, { n: 5 }]) {
          ctx.sell({ type: 'stop', trailAmount: a });
        }
        ctx.sell({ trailAmount: Infinity });
        ctx.sell({ type: 'stop', trailPercent: NaN });
        ctx.sell({ type: 'stop', price: 95, trailAmount: 5 });
        ctx.submit({ side: 'sell', type: 'stop', trailAmount: 5, trailPercent: 2 });
      },
    };
  },
});`;
    const user = await loadUserStrategy('user:trail-refused', source);
    const r = runBacktest({
      candles: bars([
        [100, 100, 100, 100],
        [100, 100, 100, 100],
      ]),
      strategy: user,
    });
    const amount = 'trailAmount must be a finite number above 0 (a distance in price units)';
    expect(r.orders.map((o) => [o.status, o.reason])).toEqual([
      ...Array.from({ length: 7 }, () => ['rejected', amount]),
      ['rejected', 'trailAmount is for a stop order (type stop)'],
      ['rejected', 'trailPercent must be a number above 0 and at most 50'],
      ['rejected', 'a trailing stop takes no price: it starts trailAmount behind the last close'],
      ['rejected', 'a trailing stop takes trailPercent or trailAmount, not both'],
    ]);
  });
});
