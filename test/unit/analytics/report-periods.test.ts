import { describe, expect, it } from 'vitest';
import { sourceOf } from '../../../src-main/features/analytics/history';
import { CATCH_UP, duePeriods, periodAt } from '../../../src-main/features/analytics/reports';

const DAY = 86_400_000;

describe('report periods', () => {
  it('names days and ISO weeks, weeks from Monday 00:00 UTC', () => {
    expect(periodAt('daily', Date.UTC(2026, 11, 6))).toEqual({
      cadence: 'daily',
      name: 'daily-2026-12-06',
      from: Date.UTC(2026, 11, 6),
      to: Date.UTC(2026, 11, 7) - 1,
    });
    // 2026-11-30 is a Monday; its Thursday (Dec 3) is day 337 of 2026: week 49.
    expect(periodAt('weekly', Date.UTC(2026, 10, 30)).name).toBe('weekly-2026-W49');
    // 2026-12-28's week holds Thursday 2026-12-31: still 2026, week 53.
    expect(periodAt('weekly', Date.UTC(2026, 11, 28)).name).toBe('weekly-2026-W53');
    // 2027-01-04's week is week 1 of 2027.
    expect(periodAt('weekly', Date.UTC(2027, 0, 4)).name).toBe('weekly-2027-W01');
  });

  it('owes the closed periods since the schedule was turned on, newest first', () => {
    const since = Date.UTC(2026, 11, 4, 15); // Friday afternoon
    const now = Date.UTC(2026, 11, 7, 0, 1); // Monday 00:01
    expect(duePeriods({ daily: true, weekly: true, since }, now).map((p) => p.name)).toEqual([
      'daily-2026-12-06',
      'daily-2026-12-05',
      'daily-2026-12-04', // ends after `since`: owed, whole
      'weekly-2026-W49',
    ]);
    // Before the first midnight nothing has closed.
    expect(duePeriods({ daily: true, weekly: true, since }, since + 60_000)).toEqual([]);
  });

  it('catches up a bounded number of periods', () => {
    const now = Date.UTC(2026, 11, 7);
    const due = duePeriods({ daily: true, weekly: false, since: 0 }, now);
    expect(due).toHaveLength(CATCH_UP.daily);
    expect(due.at(-1)!.from).toBe(now - CATCH_UP.daily * DAY);
  });
});

describe('sources', () => {
  it('names a bot by its id and other alerts by their route', () => {
    expect(sourceOf('bot', 'bot:b-17:1765000000000')).toBe('bot:b-17');
    expect(sourceOf('tv', 'my-alert')).toBe('alert:tv');
    expect(sourceOf('unify', null)).toBe('alert:unify');
  });
});
