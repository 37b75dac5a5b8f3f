import { describe, expect, it } from 'vitest';
import {
  moneyAt,
  splitAtOpenings,
  totalMissing,
  type TotalEquityAnswer,
} from '../../../src-renderer/src/screens/dashboard/model';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 10, 8);
const NOW = Date.UTC(2026, 11, 8, 0, 53);

type Point = TotalEquityAnswer['points'][number];
const point = (i: number, over: Partial<Point> = {}): Point => ({
  t: D0 + i * DAY,
  equity: '60000',
  unrealised: '0',
  unmarked: 0,
  missing: [],
  ...over,
});

/** The walkthrough's total: 30 days where BTC/ETH had no close, today where they do. */
function walkthrough(): TotalEquityAnswer {
  const points = Array.from({ length: 31 }, (_, i) =>
    point(i, { missing: i < 30 ? ['BTC', 'ETH', 'EUR', 'USD'] : ['EUR', 'USD'] }),
  );
  return {
    quote: 'USDT',
    period: { from: D0, to: NOW },
    points,
    now: {
      ...point(0, { t: NOW, equity: '79386.648589', missing: ['EUR', 'USD'] }),
      accounts: [
        {
          accountId: 'p1',
          name: 'Paper one',
          venue: 'paper',
          equity: '49969.433294',
          unrealised: '0.12258',
          unmarked: 0,
          missing: [],
        },
        {
          accountId: 'local',
          name: 'Local exchange',
          venue: 'local',
          equity: '29417.215295',
          unrealised: '5.496135',
          unmarked: 0,
          missing: ['EUR', 'USD'],
        },
      ],
    },
  };
}

describe('total equity: what is missing', () => {
  it('says what the total leaves out now, and apart which days lacked a price', () => {
    const m = totalMissing(walkthrough());
    // BTC and ETH are in today's total: not listed as left out of it.
    expect(m.now).toEqual(['EUR', 'USD']);
    expect(m.earlier).toEqual([
      { currency: 'BTC', days: 30 },
      { currency: 'ETH', days: 30 },
    ]);
  });

  it('has nothing to say when every day was priced', () => {
    const t = walkthrough();
    t.points = t.points.map((p) => ({ ...p, missing: [] }));
    t.now = { ...t.now, missing: [] };
    expect(totalMissing(t)).toEqual({ now: [], earlier: [] });
  });
});

describe('total equity: days before an account existed', () => {
  it('draws the days before the last opening apart, not as history', () => {
    const opened = { p1: D0 + 30 * DAY + 30 * 60_000 };
    const s = splitAtOpenings(walkthrough(), opened);
    expect(s.boundary).toBe(opened.p1);
    expect(s.late).toEqual([{ name: 'Paper one', openedAt: opened.p1 }]);
    // Days 0–29 ended before Paper one existed; the day it was opened and now are real.
    expect(s.before).toHaveLength(30);
    expect(s.since.map((p) => p.t)).toEqual([D0 + 30 * DAY, NOW]);
  });

  it('keeps the curve whole when every account is older than the period or not known', () => {
    const t = walkthrough();
    expect(splitAtOpenings(t, { p1: D0 - DAY }).before).toEqual([]);
    expect(splitAtOpenings(t, {}).since).toHaveLength(32);
    expect(splitAtOpenings(t, {}).boundary).toBeNull();
  });
});

describe('money at the asset scale', () => {
  it('rounds for display at the currency scale, half-even, exact text', () => {
    expect(moneyAt('5.7265358', 6)).toBe('5.726536');
    expect(moneyAt('1.3009735', 6)).toBe('1.300974');
    expect(moneyAt('0.0000005', 6)).toBe('0.000000');
    expect(moneyAt('0.0000015', 6)).toBe('0.000002');
    expect(moneyAt('-12.345', 2)).toBe('-12.34');
    expect(moneyAt('38.8', 6)).toBe('38.80');
    expect(moneyAt('12345678901234567.1234567', 6)).toBe('12345678901234567.123457');
  });

  it('keeps every digit without a known scale, and shows an unknown amount as a dash', () => {
    expect(moneyAt('5.7265358')).toBe('5.7265358');
    expect(moneyAt('5')).toBe('5.00');
    expect(moneyAt(null, 6)).toBe('—');
    expect(moneyAt('7', 0)).toBe('7');
  });
});
