import { describe, expect, it } from 'vitest';
import { parseCandles } from '../../../src-main/domain/candles';
import type { SimulatorState } from '../../../src-main/domain/simulator';
import {
  Prng,
  YEAR_MS,
  buildReplayPath,
  candleAnchors,
  createSimulator,
  step,
  walkStep,
} from '../../../src-main/domain/simulator';
import { readBars, skipWithoutRealData } from '../../helpers/real-data';
import { testConfig } from './helpers';

function sim(kind: 'replay' | 'feed'): SimulatorState {
  const s = createSimulator({ ...testConfig(), reference: { kind } }, 1);
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}

describe('random-walk reference', () => {
  it('has the per-step log-return sigma the annual vol implies', () => {
    const rng = Prng.fromSeed(11);
    const dtMs = 1_000;
    const n = 20_000;
    let p = 1e9;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const next = walkStep(p, dtMs, 60, 0, rng);
      sq += Math.log(next / p) ** 2;
      p = next;
    }
    const expected = 0.6 * Math.sqrt(dtMs / YEAR_MS);
    expect(Math.sqrt(sq / n) / expected).toBeGreaterThan(0.97);
    expect(Math.sqrt(sq / n) / expected).toBeLessThan(1.03);
    expect(walkStep(5, 0, 60, 0, rng)).toBe(5);
    expect(walkStep(1, YEAR_MS, 1_000, 0, rng)).toBeGreaterThanOrEqual(1);
  });
});

describe('candle replay', () => {
  it('walks O→H→L→C (O→L→H→C on down bars) through the real daily bars, then loops', () => {
    const { candles } = parseCandles(readBars('2006-day-001.txt'));
    const built = buildReplayPath(candles, { scaling: { kind: 'raw', tickSize: 0.01 } });
    if (!built.ok) throw new Error(built.error.message);
    const p = built.value;
    expect(p.length).toBe(4 * 255);
    for (let i = 0; i < candles.length; i++) {
      const [o, h, l, c] = [candles.open[i]!, candles.high[i]!, candles.low[i]!, candles.close[i]!];
      const expected = (c < o ? [o, l, h, c] : [o, h, l, c]).map((x) => Math.round(x * 100));
      expect(p.slice(4 * i, 4 * i + 4)).toEqual(expected);
    }
    expect(p.slice(0, 4)).toEqual([357_873, 360_595, 357_873, 360_433]);
    // Through the simulator: one point per step, looping after the last bar.
    let state = sim('replay');
    const refs: number[] = [];
    for (let i = 0; i < p.length + 3; i++) {
      const r = step(state, i * 1_000, { ownQuotes: [] }, { mmInventoryLots: 0 }, { replay: p });
      refs.push(r.reference);
      state = r.state;
    }
    expect(refs.slice(0, p.length)).toEqual(p);
    expect(refs.slice(p.length)).toEqual(p.slice(0, 3));
  });

  it('replays the JSON [ms,o,h,l,c,v] shape of the real 1m file rescaled to a market', (ctx) => {
    skipWithoutRealData(ctx, 'bars/freqtrade-UNITTEST_BTC-1m.json');
    const { candles } = parseCandles(readBars('freqtrade-UNITTEST_BTC-1m.json'));
    const r = buildReplayPath(candles, { scaling: { kind: 'rescale', startPrice: 6_500_000 } });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.length).toBe(4 * candles.length);
    expect(r.value[3]).toBe(6_500_000);
    expect(r.value.every((p) => Number.isSafeInteger(p) && p >= 1)).toBe(true);
  });

  it('rescales so the first close lands on the start price, and interpolates sub-steps', () => {
    const { candles } = parseCandles('[[0,10,14,9,12,1],[60000,12,12.5,8,9,1]]');
    const r = buildReplayPath(candles, {
      scaling: { kind: 'rescale', startPrice: 1_200 },
      pointsPerCandle: 7,
    });
    if (!r.ok) throw new Error(r.error.message);
    // First bar up: 10→14→9→12 in 6 intervals (2 per leg); second bar down: 12→8→12.5→9.
    expect(r.value).toEqual([
      1000, 1200, 1400, 1150, 900, 1050, 1200, 1200, 1000, 800, 1025, 1250, 1075, 900,
    ]);
    expect(candleAnchors(5, 7, 4, 6)).toEqual([5, 7, 4, 6]);
    expect(candleAnchors(5, 7, 4, 4.5)).toEqual([5, 4, 7, 4.5]);
    const bad = buildReplayPath(candles, {
      scaling: { kind: 'raw', tickSize: 0.01 },
      pointsPerCandle: 3,
    });
    expect(bad.ok ? '' : bad.error.code).toBe('sim_out_of_range');
  });

  it('holds the reference when no path is supplied', () => {
    const r = step(sim('replay'), 0, { ownQuotes: [] }, { mmInventoryLots: 0 });
    expect(r.reference).toBe(10_000);
  });
});

describe('external feed reference', () => {
  it('follows the feed and holds the last price while it is silent', () => {
    let latest: number | undefined = 12_345;
    const feed = (): number | undefined => latest;
    let state = sim('feed');
    const at = (now: number): number => {
      const r = step(state, now, { ownQuotes: [] }, { mmInventoryLots: 0 }, { feed });
      state = r.state;
      return r.reference;
    };
    expect(at(0)).toBe(12_345);
    latest = undefined;
    expect(at(1_000)).toBe(12_345);
    latest = Number.NaN;
    expect(at(2_000)).toBe(12_345);
    latest = 12_000;
    expect(at(3_000)).toBe(12_000);
  });
});
