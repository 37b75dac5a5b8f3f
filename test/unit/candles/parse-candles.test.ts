import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCandles, parseTimestamp, ISSUE_SEVERITY } from '../../../src-main/domain/candles';
import { readBars, skipWithoutRealData } from './fixtures';

const codes = (r: ReturnType<typeof parseCandles>): string[] => r.issues.map((i) => i.code);

describe('parseCandles on the real files', () => {
  it('reads daily bars with open interest as UTC midnight', () => {
    const r = parseCandles(readBars('2006-day-001.txt'));
    expect(r.ok).toBe(true);
    expect(r.candles.length).toBe(255);
    expect(r.interval?.label).toBe('1d');
    expect(r.candles.time[0]).toBe(Date.UTC(2006, 0, 2));
    expect([r.candles.open[0], r.candles.high[0], r.candles.low[0], r.candles.close[0]]).toEqual([
      3578.73, 3605.95, 3578.73, 3604.33,
    ]);
    expect(r.candles.openInterest).not.toBeNull();
    expect(r.gapMode).toBe('sessions');
    // Only holidays are gaps in a weekday calendar, never weekends.
    expect(r.issues.every((i) => i.code === 'gap' && i.severity === 'warning')).toBe(true);
    expect(r.rowsRejected).toBe(0);
  });

  it('detects the unnamed Time column of the minute file by row shape', (ctx) => {
    skipWithoutRealData(ctx, 'bars/2006-01-02-volume-min-001.txt');
    const r = parseCandles(readBars('2006-01-02-volume-min-001.txt'));
    expect(r.layout?.unnamedTimeColumn).toBe(true);
    expect(r.interval).toEqual({ ms: 60_000, label: '1m' });
    expect(r.candles.time[0]).toBe(Date.UTC(2006, 0, 2, 9, 1));
    expect(r.candles.open[0]).toBe(3602);
    expect(r.candles.volume[0]).toBe(5699);
    expect(r.rowsRejected).toBe(0);
    expect(r.candles.length).toBe(30_889);
  });

  it('reads weekly bars', () => {
    const r = parseCandles(readBars('2006-week-001.txt'));
    expect(r.interval?.label).toBe('1w');
    expect(r.candles.length).toBe(52);
  });

  it('reads Adj Close files raw by default and back-adjusted on request', (ctx) => {
    skipWithoutRealData(ctx, 'bars/orcl-1995-2014.txt');
    const text = readBars('orcl-1995-2014.txt');
    const raw = parseCandles(text);
    expect(raw.layout?.columns).toContain('adjClose');
    expect(raw.candles.close[0]).toBe(2.117284);
    expect(raw.candles.volume[0]).toBe(36301200);
    const adj = parseCandles(text, { adjust: 'adjusted' });
    expect(adj.candles.close[0]).toBeCloseTo(1.883304, 12);
    expect(adj.candles.open[0]).toBeCloseTo((2.179012 * 1.883304) / 2.117284, 12);
  });

  it('reads the freqtrade JSON with gaps reported as warnings', (ctx) => {
    skipWithoutRealData(ctx, 'bars/freqtrade-UNITTEST_BTC-1m.json');
    const r = parseCandles(readBars('freqtrade-UNITTEST_BTC-1m.json'));
    expect(r.format).toBe('json');
    expect(r.candles.length).toBe(13_681);
    expect(r.candles.time[0]).toBe(1509836520000);
    expect(r.gapMode).toBe('continuous');
    expect(r.issueCounts.gap).toBeGreaterThan(0);
    expect(r.issues[0]).toMatchObject({ row: 7, code: 'gap', severity: 'warning' });
    expect(r.issues[0]?.message).toContain('6 missing 1m bar(s)');
  });
});

describe('parseCandles validation, row by row', () => {
  const head = 'Date,Open,High,Low,Close,Volume\n';
  it('drops errors and keeps warnings, naming the line', () => {
    const text =
      head +
      '2024-01-01,10,11,9,10,100\n' + // line 2 ok
      '2024-01-02,10,9,11,10,100\n' + // 3 high < low
      '2024-01-03,10,11,9,abc,100\n' + // 4 non-numeric
      '2024-01-04,10,11,9,10,-5\n' + // 5 negative volume
      '2024-01-05,12,11,9,10,100\n' + // 6 open above high: repaired
      '2024-01-05,10,11,9,10,100\n' + // 7 duplicate
      '2024-01-03,10,11,9,10,100\n' + // 8 out of order
      '2024-02-30,10,11,9,10,100\n' + // 9 bad date
      '2024-01-08,10,11,9,8,100\n' + // 10 close below low: repaired
      '2024-01-09,10,11\n'; // 11 missing fields
    const r = parseCandles(text);
    const byRow = Object.fromEntries(r.issues.map((i) => [i.row, i.code]));
    expect(byRow).toMatchObject({
      3: 'high-below-low',
      4: 'bad-number',
      5: 'negative-volume',
      6: 'open-outside-range',
      7: 'duplicate-time',
      8: 'out-of-order',
      9: 'bad-time',
      10: 'close-outside-range',
      11: 'missing-field',
    });
    expect(r.candles.length).toBe(3);
    expect(r.rowsRejected).toBe(7);
    expect(r.candles.high[1]).toBe(12); // widened to include the open
    expect(r.candles.low[2]).toBe(8);
    for (const i of r.issues) expect(i.severity).toBe(ISSUE_SEVERITY[i.code]);
  });

  it('reverses newest-first files once, with a warning', () => {
    const r = parseCandles(
      head + '2024-01-03,1,1,1,1,1\n2024-01-02,1,1,1,1,1\n2024-01-01,1,1,1,1,1\n',
    );
    expect(codes(r)).toEqual(['reversed-order']);
    expect(Array.from(r.candles.time)).toEqual([
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 0, 2),
      Date.UTC(2024, 0, 3),
    ]);
  });

  it('reports intraday gaps within a session day and counts missing bars', () => {
    const r = parseCandles(
      'Date,Time,Open,High,Low,Close,Volume\n' +
        '2024-01-02,09:00,1,1,1,1,1\n2024-01-02,09:05,1,1,1,1,1\n2024-01-02,09:10,1,1,1,1,1\n' +
        '2024-01-02,09:25,1,1,1,1,1\n2024-01-03,09:00,1,1,1,1,1\n',
    );
    expect(r.interval?.label).toBe('5m');
    expect(r.issues).toEqual([
      expect.objectContaining({
        row: 5,
        code: 'gap',
        message: expect.stringContaining('2 missing 5m'),
      }),
    ]);
  });

  it('refuses input with no valid bar', () => {
    expect(parseCandles('').ok).toBe(false);
    expect(codes(parseCandles('[1,2'))).toContain('bad-json');
    expect(codes(parseCandles('{"a":1}'))).toContain('bad-json');
  });

  it('reads header-less CSV, semicolons, and JSON objects', () => {
    const a = parseCandles('2024-01-01;1;2;0.5;1.5;10\n2024-01-02;1;2;0.5;1.5;10\n');
    expect(a.layout).toMatchObject({ hasHeader: false, delimiter: ';' });
    expect(a.candles.close[1]).toBe(1.5);
    const b = parseCandles('[{"time":"2024-01-01T00:00:00Z","open":1,"high":2,"low":1,"close":2}]');
    expect(b.candles.high[0]).toBe(2);
    expect(b.candles.volume[0]).toBe(0);
  });
});

describe('parseTimestamp', () => {
  it('treats dates and times as UTC and reads epochs', () => {
    expect(parseTimestamp('2006-01-02')).toBe(Date.UTC(2006, 0, 2));
    expect(parseTimestamp('20060102')).toBe(Date.UTC(2006, 0, 2));
    expect(parseTimestamp('2006-01-02', '09:01:00')).toBe(Date.UTC(2006, 0, 2, 9, 1));
    expect(parseTimestamp('2006-01-02 09:01:30.250')).toBe(Date.UTC(2006, 0, 2, 9, 1, 30, 250));
    expect(parseTimestamp('2006-01-02T09:00:00+01:00')).toBe(Date.UTC(2006, 0, 2, 8));
    expect(parseTimestamp('1509836520')).toBe(1509836520000);
    expect(parseTimestamp('1509836520000')).toBe(1509836520000);
    expect(parseTimestamp('2006-13-01')).toBeNaN();
    expect(parseTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTimestamp('2023-02-29')).toBeNaN();
  });
});

describe('parseCandles properties', () => {
  it('never throws and is deterministic on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const a = parseCandles(s);
        expect(parseCandles(s)).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('accepted candles are strictly increasing with low <= open, close <= high', () => {
    const row = fc.tuple(
      fc.integer({ min: 0, max: 40 }),
      fc.array(fc.oneof(fc.double({ min: -5, max: 100, noNaN: true }), fc.constant(NaN)), {
        minLength: 5,
        maxLength: 5,
      }),
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const text = rows
          .map(
            ([d, v]) =>
              `${new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10)},${v.join(',')}`,
          )
          .join('\n');
        const { candles: c } = parseCandles('Date,Open,High,Low,Close,Volume\n' + text);
        for (let i = 0; i < c.length; i++) {
          if (i > 0) expect(c.time[i]!).toBeGreaterThan(c.time[i - 1]!);
          expect(c.low[i]!).toBeLessThanOrEqual(Math.min(c.open[i]!, c.close[i]!));
          expect(c.high[i]!).toBeGreaterThanOrEqual(Math.max(c.open[i]!, c.close[i]!));
          expect(c.volume[i]!).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
