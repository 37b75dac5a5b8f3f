import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Candles } from '../../../src-main/domain/candles';
import { parseCandles } from '../../../src-main/domain/candles';
import * as ind from '../../../src-main/domain/indicators';
import { readBars } from '../candles/fixtures';
import * as ref from './reference';

let bars: Candles;
let close: number[];
let high: number[];
let low: number[];

beforeAll(() => {
  bars = parseCandles(readBars('2006-day-001.txt')).candles;
  close = Array.from(bars.close);
  high = Array.from(bars.high);
  low = Array.from(bars.low);
});

/** Same NaN warm-up and values within 1e-9 relative (absolute near zero). */
function expectClose(actual: ArrayLike<number>, expected: number[], tol = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(a, `index ${i} should be NaN`).toBeNaN();
    } else {
      expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(
        tol * Math.max(1, Math.abs(e)),
      );
    }
  }
}

const firstFinite = (a: ArrayLike<number>): number =>
  Array.from(a).findIndex((v) => !Number.isNaN(v));

describe('batch indicators vs naive references on the 2006 daily bars', () => {
  it('SMA, EMA, WMA', () => {
    for (const n of [1, 5, 20, 50]) {
      expectClose(ind.sma(bars.close, n), ref.refSma(close, n));
      expectClose(ind.ema(bars.close, n), ref.refEma(close, n));
      expectClose(ind.wma(bars.close, n), ref.refWma(close, n));
    }
  });

  it('hand-computed seeds: SMA(3), EMA(3) and WMA(3) on the first closes', () => {
    const [c0, c1, c2, c3] = close as [number, number, number, number];
    expect(ind.sma(bars.close, 3)[2]).toBeCloseTo((3604.33 + 3614.34 + 3652.46) / 3, 10);
    const e3 = ind.ema(bars.close, 3);
    expect(e3[1]).toBeNaN();
    expect(e3[2]).toBeCloseTo((c0 + c1 + c2) / 3, 10);
    expect(e3[3]).toBeCloseTo(0.5 * c3 + 0.5 * ((c0 + c1 + c2) / 3), 10);
    expect(ind.wma(bars.close, 3)[2]).toBeCloseTo((c0 + 2 * c1 + 3 * c2) / 6, 10);
  });

  it('RSI(14) with Wilder smoothing starts at index 14', () => {
    const r = ind.rsi(bars.close, 14);
    expect(firstFinite(r)).toBe(14);
    expectClose(r, ref.refRsi(close, 14));
    expectClose(ind.rsi(bars.close, 2), ref.refRsi(close, 2));
  });

  it('MACD 12/26/9: line from index 25, signal from 33', () => {
    const m = ind.macd(bars.close);
    expect(firstFinite(m.macd)).toBe(25);
    expect(firstFinite(m.signal)).toBe(33);
    const line = ref.refEma(close, 12).map((v, i) => v - ref.refEma(close, 26)[i]!);
    const sig = ref.refEma(line, 9);
    expectClose(m.macd, line);
    expectClose(m.signal, sig);
    expectClose(
      m.histogram,
      line.map((v, i) => v - sig[i]!),
    );
  });

  it('Bollinger(20, 2) uses the population standard deviation', () => {
    const b = ind.bollinger(bars.close, 20, 2);
    const mid = ref.refSma(close, 20);
    const sd = ref.refStdPop(close, 20);
    expectClose(b.middle, mid);
    expectClose(
      b.upper,
      mid.map((m, i) => m + 2 * sd[i]!),
    );
    expectClose(
      b.lower,
      mid.map((m, i) => m - 2 * sd[i]!),
    );
  });

  it('ATR(14) with Wilder smoothing starts at index 13', () => {
    const a = ind.atr(bars.high, bars.low, bars.close, 14);
    expect(firstFinite(a)).toBe(13);
    expectClose(a, ref.refAtr(high, low, close, 14));
  });

  it('Stochastic 14/3/3 and Donchian(20)', () => {
    const hh = ref.refHighest(high, 14);
    const ll = ref.refLowest(low, 14);
    const raw = close.map((c, i) => (i < 13 ? NaN : (100 * (c - ll[i]!)) / (hh[i]! - ll[i]!)));
    const k = ref.refSma(raw.slice(13), 3);
    const kFull = [...raw.slice(0, 13), ...k];
    const s = ind.stochastic(bars.high, bars.low, bars.close, 14, 3, 3);
    expectClose(s.k, kFull);
    // %K is first finite at bar 15, so %D (SMA 3 of %K) first at bar 17.
    const dFull = [...(Array(15).fill(NaN) as number[]), ...ref.refSma(k.slice(2), 3)];
    expectClose(s.d, dFull);
    const d = ind.donchian(bars.high, bars.low, 20);
    expectClose(d.upper, ref.refHighest(high, 20));
    expectClose(d.lower, ref.refLowest(low, 20));
    expect(firstFinite(s.d)).toBe(13 + 2 + 2);
  });

  it('crossover / crossunder', () => {
    const a = [1, 2, 3, 2, 1, 1, 2];
    const b = [2, 2, 2, 2, 2, 1, 1];
    expect(a.map((_, i) => ind.crossover(a, b, i))).toEqual([
      false,
      false,
      true,
      false,
      false,
      false,
      true,
    ]);
    expect(a.map((_, i) => ind.crossunder(a, b, i))).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(Array.from(ind.crossSeries(a, 1.5))).toEqual([0, 1, 0, 0, -1, 0, 1]);
    expect(ind.crossover([NaN, 3], [1, 1], 1)).toBe(false);
  });

  it('conventions at the edges: flat RSI is 100, flat stochastic is 50, streams reset', () => {
    const flat = [5, 5, 5, 5, 5];
    expect(Array.from(ind.rsi(flat, 2))).toEqual([NaN, NaN, 100, 100, 100]);
    expect(ind.rsi([3, 2, 1], 2)[2]).toBe(0);
    expect(ind.stochastic(flat, flat, flat, 3, 1, 1).k[4]).toBe(50);
    const s = new ind.EmaStream(2);
    [1, 2, 3].forEach((x) => s.update(x));
    s.reset();
    expect(s.value).toBeNaN();
    expect([1, 2, 3].map((x) => s.update(x))).toEqual(Array.from(ind.ema([1, 2, 3], 2)));
  });

  it('rejects non-integer periods', () => {
    expect(() => ind.sma(bars.close, 0)).toThrow(RangeError);
    expect(() => ind.ema(bars.close, 2.5)).toThrow(RangeError);
  });
});

describe('streaming indicators equal the batch values bar by bar', () => {
  it('for every indicator on the daily bars', () => {
    const streams = {
      sma: [new ind.SmaStream(20), ind.sma(bars.close, 20)],
      ema: [new ind.EmaStream(20), ind.ema(bars.close, 20)],
      wma: [new ind.WmaStream(10), ind.wma(bars.close, 10)],
      rsi: [new ind.RsiStream(14), ind.rsi(bars.close, 14)],
      rma: [new ind.RmaStream(7), ind.rma(bars.close, 7)],
    } as const;
    const macd = new ind.MacdStream();
    const boll = new ind.BollingerStream(20, 2);
    const atr = new ind.AtrStream(14);
    const stoch = new ind.StochasticStream(14, 3, 3);
    const don = new ind.DonchianStream(20);
    const bm = ind.macd(bars.close);
    const bb = ind.bollinger(bars.close);
    const ba = ind.atr(bars.high, bars.low, bars.close);
    const bs = ind.stochastic(bars.high, bars.low, bars.close, 14, 3, 3);
    const bd = ind.donchian(bars.high, bars.low, 20);
    const same = (a: number, b: number | undefined): void =>
      expect(Object.is(a, b) || a === b).toBe(true);
    for (let i = 0; i < bars.length; i++) {
      const [h, l, c] = [bars.high[i]!, bars.low[i]!, bars.close[i]!];
      for (const [s, batch] of Object.values(streams)) same(s.update(c), batch[i]);
      macd.update(c);
      same(macd.signal, bm.signal[i]);
      same(macd.histogram, bm.histogram[i]);
      boll.update(c);
      same(boll.upper, bb.upper[i]);
      same(atr.updateBar(h, l, c), ba[i]);
      stoch.updateBar(h, l, c);
      same(stoch.k, bs.k[i]);
      same(stoch.d, bs.d[i]);
      don.updateBar(h, l);
      same(don.lower, bd.lower[i]);
    }
  });
});

describe('indicator properties', () => {
  const series = fc.array(fc.double({ min: 1, max: 1e4, noNaN: true }), {
    minLength: 1,
    maxLength: 80,
  });
  it('no lookahead: changing future values never changes past outputs', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 10 }), fc.nat(), (xs, n, cut) => {
        const k = cut % xs.length;
        const changed = xs.map((v, i) => (i > k ? v * 1.5 + 1 : v));
        for (const f of [ind.sma, ind.ema, ind.wma, ind.rsi, ind.rollingMax]) {
          const a = f(xs, n);
          const b = f(changed, n);
          for (let i = 0; i <= k; i++) expect(Object.is(a[i], b[i])).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('RSI stays in [0, 100] and rolling max/min bound the window', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 10 }), (xs, n) => {
        for (const v of ind.rsi(xs, n)) if (!Number.isNaN(v)) expect(v >= 0 && v <= 100).toBe(true);
        expectClose(ind.rollingMax(xs, n), ref.refHighest(xs, n));
        expectClose(ind.rollingMin(xs, n), ref.refLowest(xs, n));
      }),
      { numRuns: 100 },
    );
  });
});
