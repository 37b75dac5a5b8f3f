import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Candles } from '../../../src-main/domain/candles';
import { parseCandles } from '../../../src-main/domain/candles';
import {
  BUILT_IN_STRATEGIES,
  createBuiltInRegistry,
  equityToCsv,
  formatMinor,
  parameterGrid,
  rangeValues,
  resolveAssumptions,
  resolveParams,
  resultToJson,
  runBacktest,
  runSweep,
  toMinor,
  tradesToCsv,
} from '../../../src-main/domain/backtest';
import { readBars } from '../candles/fixtures';
import { flat, scripted } from './helpers';

let daily: Candles;
beforeAll(() => {
  daily = parseCandles(readBars('2006-day-001.txt')).candles;
});
const ma = BUILT_IN_STRATEGIES.find((s) => s.id === 'ma-crossover')!;

describe('parameter sweep', () => {
  it('builds the cartesian product, last parameter fastest, defaults elsewhere', () => {
    const g = parameterGrid(ma.params, { fast: [5, 10], slow: { min: 20, max: 30, step: 5 } });
    expect(g).toHaveLength(6);
    expect(g[0]).toEqual({ fast: 5, slow: 20, ma: 'sma', allowShort: false });
    expect(g[1]).toMatchObject({ fast: 5, slow: 25 });
    expect(g[5]).toMatchObject({ fast: 10, slow: 30 });
    expect(() => parameterGrid(ma.params, { nope: [1] })).toThrow(/unknown/);
    expect(() =>
      parameterGrid(ma.params, {
        fast: { min: 2, max: 200, step: 1 },
        slow: { min: 3, max: 500, step: 1 },
        ma: ['sma', 'ema'],
      }),
    ).toThrow(/198204 combinations/);
  });

  it('cleans float steps', () => {
    const spec = { name: 'x', type: 'float' as const, default: 0 };
    expect(rangeValues(spec, { min: 0.1, max: 0.3, step: 0.1 })).toEqual([0.1, 0.2, 0.3]);
  });

  it('runs each combination like a single backtest, with progress and cancellation', () => {
    const grid = parameterGrid(ma.params, { fast: [5, 10], slow: [20, 30] });
    const progress: number[] = [];
    const s = runSweep({ candles: daily, strategy: ma }, grid, {
      onProgress: (d) => progress.push(d),
    });
    expect(s.status).toBe('completed');
    expect(progress).toEqual([1, 2, 3, 4]);
    const single = runBacktest({ candles: daily, strategy: ma, params: grid[3] });
    expect(s.runs[3]!.metrics).toEqual(single.metrics);
    let n = 0;
    const c = runSweep({ candles: daily, strategy: ma }, grid, { isCancelled: () => ++n > 2 });
    expect(c.status).toBe('cancelled');
    expect(c.runs.length).toBeLessThan(4);
    const bad = runSweep({ candles: daily, strategy: ma }, [{ fast: 1000 }]);
    expect(bad.runs[0]!.error).toMatch(/fast must be <= 200/);
  });
});

describe('export', () => {
  const result = () =>
    runBacktest({
      candles: flat([10, 10.5, 11, 11]),
      strategy: scripted({ 0: [{ side: 'buy', quantity: 3, tag: 'in, "quoted"' }], 1: ['close'] }),
      assumptions: { commission: { kind: 'per-order', amount: 0.5 } },
    });

  it('writes trades and equity as CSV with exact money', () => {
    const csv = tradesToCsv(result()).trim().split('\n');
    expect(csv[0]).toBe(
      'id,side,quantity,entry_time,entry_price,exit_time,exit_price,gross_pnl,fees,net_pnl,return_pct,bars_held,exit_reason,tag',
    );
    expect(csv[1]).toBe(
      '1,long,3,2024-01-02T00:00:00.000Z,10.5,2024-01-03T00:00:00.000Z,11,1.50,1.00,0.50,0.015873015873015872,1,signal,close',
    );
    const eq = equityToCsv(result()).trim().split('\n');
    expect(eq).toHaveLength(5);
    expect(eq[2]).toBe('2024-01-02T00:00:00.000Z,99999.50,-0.000005,3');
  });

  it("keeps a strategy's tag from running as a spreadsheet formula", () => {
    const r = runBacktest({
      candles: flat([10, 10.5, 11, 11]),
      strategy: scripted({
        0: [{ side: 'buy', quantity: 1 }],
        1: [{ side: 'sell', quantity: 1, tag: '=HYPERLINK("x")' }],
      }),
    });
    const rows = tradesToCsv(r).trim().split('\n');
    expect(rows[1]).toMatch(/,signal,"'=HYPERLINK\(""x""\)"$/);
  });

  it('writes JSON without NaN, with the assumptions echoed', () => {
    const doc = JSON.parse(resultToJson(result()));
    expect(doc.assumptions).toEqual(
      resolveAssumptions({ commission: { kind: 'per-order', amount: 0.5 } }),
    );
    expect(doc.finalCash).toBe('100000.50');
    expect(doc.trades[0].netPnl).toBe('0.50');
    expect(doc.metrics.avgLoss).toBeNull();
    expect(doc.equity).toHaveLength(4);
    expect(JSON.parse(resultToJson(result(), { includeCurves: false })).equity).toBeUndefined();
  });
});

describe('registry, parameters and money helpers', () => {
  it('lists the built-ins and refuses duplicates', () => {
    const reg = createBuiltInRegistry();
    expect(reg.list().map((s) => s.id)).toEqual([
      'ma-crossover',
      'rsi-reversion',
      'donchian-breakout',
      'buy-and-hold',
    ]);
    expect(() => reg.register(ma)).toThrow(/already registered/);
    expect(reg.get('rsi-reversion')?.params.map((p) => p.name)).toContain('oversold');
  });

  it('validates parameters against their specs', () => {
    expect(resolveParams(ma.params, { fast: 7 })).toEqual({
      fast: 7,
      slow: 30,
      ma: 'sma',
      allowShort: false,
    });
    expect(() => resolveParams(ma.params, { fast: 7.5, ma: 'hma', typo: 1 })).toThrow(
      /typo.*fast must be an integer.*ma must be one of/,
    );
  });

  it('converts and formats minor units', () => {
    expect(toMinor(1.005, 2)).toBe(101);
    expect(toMinor(-1.005, 2)).toBe(-101);
    expect(toMinor(0.1 + 0.2, 2)).toBe(30);
    expect(toMinor(2.675, 2)).toBe(268);
    expect(toMinor(0.000000015, 8)).toBe(2);
    expect(formatMinor(-5, 2)).toBe('-0.05');
    expect(formatMinor(123456, 2)).toBe('1234.56');
    expect(formatMinor(7, 0)).toBe('7');
  });

  it('the fast path of toMinor agrees with the documented rule (15 digits, half away from 0)', () => {
    const rule = (a: number, scale: number): number => {
      const x = Number((a * 10 ** scale).toPrecision(15));
      return Math.sign(x) * Math.round(Math.abs(x));
    };
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(2, 8),
        (units, digits, scale) => {
          // Decimal amounts with up to scale + 1 decimals: many sit exactly on a half.
          const a = units / 10 ** (digits === 0 ? scale + 1 : digits);
          expect(toMinor(a, scale)).toBe(rule(a, scale) || 0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects impossible assumptions by name', () => {
    expect(() => resolveAssumptions({ leverage: 0 })).toThrow(/leverage/);
    expect(() => resolveAssumptions({ currencyScale: 1.5 })).toThrow(/currencyScale/);
    expect(() => resolveAssumptions({ commission: { kind: 'percent', rate: -0.001 } })).toThrow(
      /commission/,
    );
    expect(() => resolveAssumptions({ slippage: { kind: 'bps', bps: -1 } })).toThrow(/slippage/);
    expect(() => resolveAssumptions({ sizing: { kind: 'percent-equity', percent: 0 } })).toThrow(
      /sizing/,
    );
  });
});
