import { beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src-main/domain/backtest';
import { rsiReversion } from '../../../src-main/domain/backtest/strategies/rsi-reversion';
import type { Candles } from '../../../src-main/domain/candles';
import { parseCandles } from '../../../src-main/domain/candles';
import * as ind from '../../../src-main/domain/indicators';
import { indicatorsFor } from '../../../src-main/domain/indicators/library';
import { readBars } from '../../helpers/real-data';
import { flat } from '../backtest/helpers';

/*
 * Naive references, each written straight from its tool's published definition and
 * independent of the production code (plain arrays, one loop per formula).
 */

/** TA-Lib TA_TRANGE: from bar 1, max(h−l, |prevC−h|, |prevC−l|) as the C code compares. */
function talibTrueRange(h: number[], l: number[], c: number[]): number[] {
  return h.map((_, i) => {
    if (i === 0) return NaN;
    let greatest = h[i]! - l[i]!;
    const v2 = Math.abs(c[i - 1]! - h[i]!);
    if (v2 > greatest) greatest = v2;
    const v3 = Math.abs(c[i - 1]! - l[i]!);
    if (v3 > greatest) greatest = v3;
    return greatest;
  });
}

/** TA-Lib TA_ATR: SMA of TR[1..n] at bar n, then prev *= n−1; prev += TR; prev /= n. */
function talibAtr(h: number[], l: number[], c: number[], n: number): number[] {
  const tr = talibTrueRange(h, l, c);
  const out = h.map(() => NaN);
  let total = 0;
  for (let i = 1; i <= n; i++) total += tr[i]!;
  let prev = total / n;
  out[n] = prev;
  for (let i = n + 1; i < h.length; i++) {
    prev *= n - 1;
    prev += tr[i]!;
    prev /= n;
    out[i] = prev;
  }
  return out;
}

/** TA-Lib TA_RSI (default compatibility): sums of the first n gains/losses ÷ n, then
 * Wilder's step; RSI = 100·G/(G+L), 0 when G+L is within TA_IS_ZERO (1e-8). */
function talibRsi(x: number[], n: number): number[] {
  const out = x.map(() => NaN);
  let gain = 0;
  let loss = 0;
  const emit = (i: number) => {
    const s = gain + loss;
    out[i] = -1e-8 < s && s < 1e-8 ? 0 : 100 * (gain / s);
  };
  for (let i = 1; i <= n; i++) {
    const d = x[i]! - x[i - 1]!;
    if (d < 0) loss -= d;
    else gain += d;
  }
  gain /= n;
  loss /= n;
  emit(n);
  for (let i = n + 1; i < x.length; i++) {
    const d = x[i]! - x[i - 1]!;
    loss *= n - 1;
    gain *= n - 1;
    if (d < 0) loss -= d;
    else gain += d;
    loss /= n;
    gain /= n;
    emit(i);
  }
  return out;
}

/** backtrader ATR = SmoothedMovingAverage(TrueRange): TR = max(h, prevC) − min(l, prevC)
 * from bar 1; seed = mean of the first n; then prev·(1 − 1/n) + TR·(1/n). */
function backtraderAtr(h: number[], l: number[], c: number[], n: number): number[] {
  const out = h.map(() => NaN);
  const tr = h.map((_, i) =>
    i === 0 ? NaN : Math.max(h[i]!, c[i - 1]!) - Math.min(l[i]!, c[i - 1]!),
  );
  const alpha = 1 / n;
  let prev = tr.slice(1, n + 1).reduce((a, b) => a + b, 0) / n;
  out[n] = prev;
  for (let i = n + 1; i < h.length; i++) {
    prev = prev * (1 - alpha) + tr[i]! * alpha;
    out[i] = prev;
  }
  return out;
}

/** TradingView ta.atr(n) = pine_rma(ta.tr(true), n): TR₀ = h₀ − l₀; seed = ta.sma of the
 * first n TRs at bar n−1; then α·TR + (1 − α)·prev with α = 1/n. */
function tradingViewAtr(h: number[], l: number[], c: number[], n: number): number[] {
  const out = h.map(() => NaN);
  const tr = h.map((_, i) =>
    i === 0
      ? h[0]! - l[0]!
      : Math.max(h[i]! - l[i]!, Math.abs(h[i]! - c[i - 1]!), Math.abs(l[i]! - c[i - 1]!)),
  );
  const alpha = 1 / n;
  let prev = tr.slice(0, n).reduce((a, b) => a + b, 0) / n;
  out[n - 1] = prev;
  for (let i = n; i < h.length; i++) {
    prev = alpha * tr[i]! + (1 - alpha) * prev;
    out[i] = prev;
  }
  return out;
}

function expectNear(actual: ArrayLike<number>, expected: number[], rel: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i]!, expected[i]!];
    if (Number.isNaN(e)) expect(a, `index ${i} should be NaN`).toBeNaN();
    else expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(rel * Math.abs(e));
  }
}

describe('indicator conventions: hand-computed', () => {
  // h, l, c; true ranges from bar 1: 3, 1, 4.5, 2; bar 0's high − low is 1.
  const h = [10, 12, 11, 15, 14];
  const l = [9, 9, 10, 11, 12];
  const c = [9, 11, 10.5, 14, 13];

  it('ATR(3), TradingView: TR₀ = 1 counts, first ATR at bar 2', () => {
    const a = ind.atr(h, l, c, 3, 'tradingview');
    expect(Array.from(ind.trueRange(h, l, c))).toEqual([1, 3, 1, 4.5, 2]);
    expect(a[1]).toBeNaN();
    expect(a[2]).toBeCloseTo(5 / 3, 14); // (1 + 3 + 1) / 3
    expect(a[3]).toBeCloseTo(23.5 / 9, 14); // (5/3 · 2 + 4.5) / 3
    expect(a[4]).toBeCloseTo(65 / 27, 14); // (23.5/9 · 2 + 2) / 3
    expect(Array.from(ind.atr(h, l, c, 3))).toEqual(Array.from(a)); // the default
  });

  it('ATR(3), TA-Lib/backtrader: TR starts at bar 1, first ATR at bar 3', () => {
    const a = ind.atr(h, l, c, 3, 'talib');
    expect(Array.from(ind.trueRange(h, l, c, 'talib'))).toEqual([NaN, 3, 1, 4.5, 2]);
    expect(a[2]).toBeNaN();
    expect(a[3]).toBeCloseTo(8.5 / 3, 14); // (3 + 1 + 4.5) / 3
    expect(a[4]).toBeCloseTo(23 / 9, 14); // (8.5/3 · 2 + 2) / 3
  });

  it('RSI: same seed and start; a flat series is 100 (TradingView) and 0 (TA-Lib)', () => {
    const x = [10, 11, 10.5, 11.5];
    for (const conv of ['tradingview', 'talib'] as const) {
      const r = ind.rsi(x, 2, undefined, conv);
      expect(r[1]).toBeNaN();
      expect(r[2]).toBeCloseTo(200 / 3, 12); // G 0.5, L 0.25
      expect(r[3]).toBeCloseTo(600 / 7, 12); // G 0.75, L 0.125
    }
    expect(ind.rsi([5, 5, 5, 5], 2)[3]).toBe(100);
    expect(ind.rsi([5, 5, 5, 5], 2, undefined, 'talib')[3]).toBe(0);
  });
});

describe('indicator conventions on the 2006 daily bars', () => {
  let bars: Candles;
  let high: number[];
  let low: number[];
  let close: number[];
  beforeAll(() => {
    bars = parseCandles(readBars('2006-day-001.txt')).candles;
    [high, low, close] = [bars.high, bars.low, bars.close].map((a) => Array.from(a)) as [
      number[],
      number[],
      number[],
    ];
  });

  it('talib ATR(14) equals TA-Lib TA_ATR bit for bit, backtrader ATR to 1e-12', () => {
    const a = ind.atr(bars.high, bars.low, bars.close, 14, 'talib');
    expect(Array.from(a)).toEqual(talibAtr(high, low, close, 14));
    expectNear(a, backtraderAtr(high, low, close, 14), 1e-12);
    expect(Array.from(ind.trueRange(high, low, close, 'talib'))).toEqual(
      talibTrueRange(high, low, close),
    );
  });

  it('talib RSI(14) equals TA-Lib TA_RSI bit for bit', () => {
    expect(Array.from(ind.rsi(bars.close, 14, undefined, 'talib'))).toEqual(talibRsi(close, 14));
  });

  it('tradingview ATR(14) equals ta.atr to 1e-12, and differs from TA-Lib early on', () => {
    const tv = ind.atr(bars.high, bars.low, bars.close, 14);
    const tl = ind.atr(bars.high, bars.low, bars.close, 14, 'talib');
    expectNear(tv, tradingViewAtr(high, low, close, 14), 1e-12);
    expect(tv[13]).not.toBeNaN();
    expect(tl[13]).toBeNaN();
    const gap = (i: number) => Math.abs(tv[i]! - tl[i]!) / tl[i]!;
    const last = tv.length - 1;
    expect(gap(14)).toBeGreaterThan(1e-4); // the visible early difference
    expect(gap(last)).toBeLessThan(gap(14) * 1e-3); // Wilder's smoothing forgets the seed
  });

  it('streams equal the batch values bar by bar in the talib convention', () => {
    const atr = ind.atr(bars.high, bars.low, bars.close, 14, 'talib');
    const rsi = ind.rsi(bars.close, 14, undefined, 'talib');
    const rma = ind.rma(bars.close, 10, undefined, 'talib');
    const [as, rs, ms] = [
      new ind.AtrStream(14, 'talib'),
      new ind.RsiStream(14, 'talib'),
      new ind.RmaStream(10, 'talib'),
    ];
    for (let i = 0; i < bars.length; i++) {
      expect(as.updateBar(high[i]!, low[i]!, close[i]!)).toEqual(atr[i]);
      expect(rs.update(close[i]!)).toEqual(rsi[i]);
      expect(ms.update(close[i]!)).toEqual(rma[i]);
    }
  });

  it('indicatorsFor binds the convention; an explicit argument still wins', () => {
    const lib = indicatorsFor('talib');
    expect(Array.from(lib.atr(high, low, close, 14))).toEqual(talibAtr(high, low, close, 14));
    expect(Array.from(lib.atr(high, low, close, 14, 'tradingview'))).toEqual(
      Array.from(ind.atr(high, low, close, 14)),
    );
    const s = new lib.AtrStream(14);
    expect(s.convention).toBe('talib');
    expect(indicatorsFor('tradingview')).toBe(ind);
  });
});

describe('a run names its convention', () => {
  const seen = (convention?: 'tradingview' | 'talib') => {
    const firsts: number[] = [];
    const c = flat(Array.from({ length: 20 }, (_, i) => 100 + (i % 3)));
    const r = runBacktest({
      candles: c,
      strategy: {
        id: 'probe',
        name: 'probe',
        description: 'reads ctx.indicators',
        params: [],
        create: () => ({
          onStart(ctx) {
            const a = ctx.indicators.atr(ctx.candles.high, ctx.candles.low, ctx.candles.close, 5);
            firsts.push(Array.from(a).findIndex((v) => !Number.isNaN(v)));
          },
          onBar() {},
        }),
      },
      assumptions: convention ? { indicatorConvention: convention } : {},
    });
    return { first: firsts[0], echoed: r.assumptions.indicatorConvention };
  };

  it('ctx.indicators follows assumptions.indicatorConvention, echoed in the result', () => {
    expect(seen()).toEqual({ first: 4, echoed: 'tradingview' });
    expect(seen('talib')).toEqual({ first: 5, echoed: 'talib' });
  });

  it('the built-in RSI strategy follows it: a flat series reads 100 or 0', () => {
    const run = (indicatorConvention: 'tradingview' | 'talib') =>
      runBacktest({
        candles: flat(Array.from({ length: 8 }, () => 50)),
        strategy: rsiReversion,
        params: { period: 2, allowShort: true },
        assumptions: { indicatorConvention, sizing: { kind: 'fixed-quantity', quantity: 1 } },
      }).trades[0]?.side;
    expect(run('tradingview')).toBe('short'); // RSI 100 > overbought
    expect(run('talib')).toBe('long'); // RSI 0 < oversold
  });

  it('refuses an unknown convention', () => {
    expect(() =>
      runBacktest({
        candles: flat([1, 2]),
        strategy: rsiReversion,
        assumptions: { indicatorConvention: 'metastock' as 'talib' },
      }),
    ).toThrow(/indicatorConvention must be one of tradingview, talib/);
  });
});
