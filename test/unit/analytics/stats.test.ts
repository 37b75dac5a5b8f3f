import { describe, expect, it } from 'vitest';
import {
  analyse,
  benchmarkCurve,
  bucketStarts,
  convert,
  equityCurve,
  scaledBenchmark,
  startOfDay,
  tradeStats,
  wallClock,
  type RoundTrip,
} from '../../../src-main/domain/analytics';

const trip = (netPnl: string, closedAt: number, extra: Partial<RoundTrip> = {}): RoundTrip => ({
  accountId: 'A',
  venue: 'paper',
  market: 'BTC/USDT',
  currency: 'USDT',
  side: 'long',
  qty: '1',
  entryPrice: '100',
  exitPrice: '100',
  openedAt: 0,
  closedAt,
  grossPnl: netPnl,
  fees: '0',
  netPnl,
  returnPct: null,
  source: 'manual',
  closeSource: 'manual',
  ...extra,
});

const H = 3_600_000;

describe('trade statistics', () => {
  const trips = [trip('10', 1), trip('-5', 2), trip('20', 3), trip('-10', 4)];

  it('computes the backtester’s figures exactly', () => {
    const s = tradeStats(trips, 2, '100');
    // 2 wins of 4: win rate 0.5; profit factor (10 + 20) / |−5 − 10| = 2; expectancy
    // 15 / 4 = 3.75; average win 30 / 2 = 15, average loss −15 / 2 = −7.5.
    // Curve from 100: 110, 105, 125, 115. Falls: 5 below 110 (0.045454…), 10 below 125
    // (0.08): drawdown 10 and 8 %.
    expect(s).toEqual({
      trades: 4,
      wins: 2,
      losses: 2,
      winRate: '0.5',
      grossPnl: '15',
      fees: '0',
      netPnl: '15',
      grossProfit: '30',
      grossLoss: '-15',
      profitFactor: '2',
      expectancy: '3.75',
      avgWin: '15',
      avgLoss: '-7.5',
      largestWin: '20',
      largestLoss: '-10',
      maxDrawdown: '10',
      maxDrawdownPct: '0.08',
    });
  });

  it('measures the drawdown percent against the running peak (from 0 here)', () => {
    // Curve 10, 5, 25, 15: 5 below 10 is 50 %, deeper in percent than 10 below 25 (40 %).
    const s = tradeStats(trips, 2);
    expect(s.maxDrawdown).toBe('10');
    expect(s.maxDrawdownPct).toBe('0.5');
  });

  it('rounds averages half-even at the money scale', () => {
    // 10 / 3 = 3.333… → 3.33; win rate 1.
    const s = tradeStats([trip('3', 1), trip('3', 2), trip('4', 3)], 2);
    expect(s.expectancy).toBe('3.33');
    expect(s.winRate).toBe('1');
    expect(s.profitFactor).toBeNull(); // no losing trade: infinite, reported as null
  });

  it('answers zero trades with nulls, never a division by zero', () => {
    expect(tradeStats([], 2, '1000')).toEqual({
      trades: 0,
      wins: 0,
      losses: 0,
      winRate: null,
      grossPnl: '0',
      fees: '0',
      netPnl: '0',
      grossProfit: '0',
      grossLoss: '0',
      profitFactor: null,
      expectancy: null,
      avgWin: null,
      avgLoss: null,
      largestWin: null,
      largestLoss: null,
      maxDrawdown: '0',
      maxDrawdownPct: '0',
    });
    expect(tradeStats([], 2).maxDrawdownPct).toBeNull(); // no positive peak to divide by
  });

  it('counts a zero-P&L trade as neither win nor loss', () => {
    const s = tradeStats([trip('0', 1), trip('5', 2)], 2);
    expect(s).toMatchObject({ trades: 2, wins: 1, losses: 0, winRate: '0.5' });
  });
});

describe('grouping', () => {
  // 2026-12-07 is a Monday. 23:30 UTC is already Tuesday 00:30 in Paris (UTC+1 in winter).
  const monday2330 = Date.UTC(2026, 11, 7, 23, 30);

  it('buckets by hour and weekday of the close in the zone asked for', () => {
    const trips = [trip('5', monday2330), trip('-2', monday2330 + 2 * H, { market: 'ETH/USDT' })];
    const [utc] = analyse(trips, { timeZone: 'UTC', scaleOf: () => 2 });
    expect(utc!.byHour).toHaveLength(24);
    expect(utc!.byHour[23]!.stats.netPnl).toBe('5');
    expect(utc!.byHour[1]!.stats.netPnl).toBe('-2');
    expect(utc!.byWeekday.map((g) => [g.key, g.stats.trades])).toEqual([
      ['Mon', 1],
      ['Tue', 1],
      ['Wed', 0],
      ['Thu', 0],
      ['Fri', 0],
      ['Sat', 0],
      ['Sun', 0],
    ]);
    const [paris] = analyse(trips, { timeZone: 'Europe/Paris', scaleOf: () => 2 });
    expect(paris!.byHour[0]!.stats.netPnl).toBe('5');
    expect(paris!.byWeekday[1]!.stats.trades).toBe(2);
    expect(paris!.byMarket.map((g) => g.key)).toEqual(['BTC/USDT', 'ETH/USDT']);
  });

  it('never adds different currencies', () => {
    const trips = [trip('5', 1), trip('7', 2, { currency: 'EUR', accountId: 'B' })];
    const out = analyse(trips, { timeZone: 'UTC', scaleOf: () => 2 });
    expect(out.map((c) => [c.currency, c.overall.netPnl])).toEqual([
      ['EUR', '7'],
      ['USDT', '5'],
    ]);
  });
});

describe('calendar', () => {
  it('finds local midnight in a zone', () => {
    const t = Date.UTC(2026, 11, 7, 23, 30);
    expect(startOfDay(t, 'UTC')).toBe(Date.UTC(2026, 11, 7));
    expect(startOfDay(t, 'Europe/Paris')).toBe(Date.UTC(2026, 11, 7, 23));
    // New York in summer is UTC−4: 2026-07-01 02:00 UTC is June 30, 22:00 there.
    expect(startOfDay(Date.UTC(2026, 6, 1, 2), 'America/New_York')).toBe(Date.UTC(2026, 5, 30, 4));
    expect(wallClock(t, 'Asia/Tokyo')).toMatchObject({ day: 8, hour: 8, weekday: 'Tue' });
  });
});

describe('equity and benchmark', () => {
  it('accumulates realised P&L per bucket on top of the starting equity', () => {
    const times = bucketStarts(10 * H + 5, 13 * H, H);
    expect(times).toEqual([10 * H, 11 * H, 12 * H, 13 * H]);
    const curve = equityCurve(
      [trip('5', 10 * H + 10), trip('-2', 12 * H), trip('9', 9 * H)],
      times,
      H,
      10 * H + 5,
      '1000',
    );
    // The trip closed at 9 h is before the period; 12 h belongs to the bucket starting 12 h.
    expect(curve.map((p) => p.equity)).toEqual(['1005', '1005', '1003', '1003']);
    expect(curve.map((p) => p.realised)).toEqual(['5', '5', '3', '3']);
    expect(equityCurve([], times, H, 0, null)[0]).toEqual({
      t: 10 * H,
      realised: '0',
      equity: null,
    });
  });

  it('holds the market from its first close, carrying the price over buckets without bars', () => {
    const times = [0, H, 2 * H, 3 * H];
    const bench = benchmarkCurve(
      [
        { openTime: H, close: '200' },
        { openTime: 3 * H, close: '250' },
      ],
      times,
    );
    // No bar yet at 0; 200 at 1 h (growth 1), still 200 at 2 h, 250 at 3 h (growth 1.25).
    expect(bench.map((b) => b.growth)).toEqual([null, '1', '1', '1.25']);
    expect(scaledBenchmark(bench, '1000.5', 2).map((b) => b.value)).toEqual([
      null,
      '1000.5',
      '1000.5',
      '1250.62', // 1000.5 × 1.25 = 1250.625: half-even at cents keeps the even 2
    ]);
  });
});

describe('conversion', () => {
  it('converts through a market either way, rounding once at the target scale', () => {
    // 0.5 BTC at 30000.25 = 15000.125 → 15000.12 (half-even at cents).
    expect(convert('0.5', { kind: 'direct', market: 'BTC/USD', price: '30000.25' }, 2)).toBe(
      '15000.12',
    );
    // 100 USDT in BTC at BTC/USDT 30000: 0.00333333 33… → 0.00333333 at 8 decimals.
    expect(convert('100', { kind: 'inverse', market: 'BTC/USDT', price: '30000' }, 8)).toBe(
      '0.00333333',
    );
    expect(convert('-1.005', { kind: 'same' }, 2)).toBe('-1.00');
  });
});
