import { describe, expect, it } from 'vitest';
import {
  checkRisk,
  DEFAULT_RISK_SETTINGS,
  localTime,
  sessionStart,
  validateRiskSettings,
  zonedInstant,
  type RiskInput,
  type RiskSettings,
} from '../../../src-main/domain/automation';

const BERLIN = 'Europe/Berlin';
const NY = 'America/New_York';
/** Wall-clock time in a zone → instant (checked independently below against known offsets). */
const at = (tz: string, y: number, mo: number, d: number, h: number, mi = 0) =>
  zonedInstant(y, mo, d, h, mi, tz);

function input(over: Partial<RiskInput> = {}): RiskInput {
  return {
    now: Date.UTC(2026, 10, 23, 12, 0),
    emergencyStopped: false,
    action: 'entry',
    symbol: 'BTC/USDT',
    assets: ['BTC', 'USDT'],
    side: 'buy',
    qty: '1',
    position: '0',
    realisedToday: '0',
    unrealised: '0',
    tradesToday: 0,
    ordersToday: 0,
    results: [],
    events: [],
    ...over,
  };
}
const settings = (over: Partial<RiskSettings> = {}): RiskSettings => ({
  ...DEFAULT_RISK_SETTINGS,
  ...over,
});
const verdict = (s: Partial<RiskSettings>, i: Partial<RiskInput> = {}) =>
  checkRisk(settings(s), input(i));

describe('time zones', () => {
  it('maps wall-clock times to instants across daylight-saving changes', () => {
    // Berlin: CET (+1) in winter, CEST (+2) from 2026-03-29 02:00 → 03:00.
    expect(at(BERLIN, 2026, 3, 28, 12)).toBe(Date.UTC(2026, 2, 28, 11));
    expect(at(BERLIN, 2026, 3, 29, 12)).toBe(Date.UTC(2026, 2, 29, 10));
    // 02:30 does not exist that night: it lands at 03:30 CEST.
    expect(at(BERLIN, 2026, 3, 29, 2, 30)).toBe(Date.UTC(2026, 2, 29, 1, 30));
    // New York falls back on 2026-11-01 02:00 EDT → 01:00 EST; 01:30 happens twice (first wins).
    expect(at(NY, 2026, 11, 1, 1, 30)).toBe(Date.UTC(2026, 10, 1, 5, 30));
  });
  it('finds the session start in the zone, on both sides of the reset and a DST change', () => {
    const reset = '17:00';
    // 16:59 New York on Nov 2 (EST): the session began Nov 1 17:00 EST = 22:00 UTC.
    expect(sessionStart(at(NY, 2026, 11, 2, 16, 59), NY, reset)).toBe(Date.UTC(2026, 10, 1, 22));
    // 17:00 exactly starts the new session.
    expect(sessionStart(at(NY, 2026, 11, 2, 17), NY, reset)).toBe(Date.UTC(2026, 10, 2, 22));
    // Oct 31 (EDT) 18:00: session began 17:00 EDT = 21:00 UTC.
    expect(sessionStart(at(NY, 2026, 10, 31, 18), NY, reset)).toBe(Date.UTC(2026, 9, 31, 21));
    // Sunday Nov 1 10:00 (after fall-back): session started Oct 31 17:00 EDT, 25 h before Nov 1 18:00.
    expect(sessionStart(at(NY, 2026, 11, 1, 10), NY, reset)).toBe(Date.UTC(2026, 9, 31, 21));
  });
  it('answers from the remembered session exactly as a fresh computation would', () => {
    // The definition, computed afresh for every instant: the latest local day's reset that
    // is not after `now` (today's, else yesterday's, else the day before's: a skipped day's
    // reset maps past the jump).
    const fresh = (now: number, tz: string, resetAt: string) => {
      const [h, m] = resetAt.split(':').map(Number) as [number, number];
      const l = localTime(now, tz);
      for (let back = 0; ; back++) {
        const d = new Date(Date.UTC(l.year, l.month - 1, l.day - back));
        const reset = zonedInstant(
          d.getUTCFullYear(),
          d.getUTCMonth() + 1,
          d.getUTCDate(),
          h,
          m,
          tz,
        );
        if (reset <= now) return reset;
      }
    };
    // Zones with a DST change inside the span (one with a 30-minute change), one without, one
    // that skipped a whole day (Apia, 2011-12-30); resets at midnight, inside the changes'
    // gaps and overlaps, and at the end of the day.
    const cases: Array<[string, number, number]> = [
      [BERLIN, Date.UTC(2026, 2, 27), Date.UTC(2026, 2, 31)],
      [NY, Date.UTC(2026, 9, 30), Date.UTC(2026, 10, 3)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 3), Date.UTC(2026, 3, 7)],
      ['Asia/Kolkata', Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 3)],
      ['Pacific/Apia', Date.UTC(2011, 11, 28), Date.UTC(2012, 0, 2)],
    ];
    let checked = 0;
    for (const [tz, from, to] of cases) {
      for (const resetAt of ['00:00', '01:30', '02:30', '17:00', '23:59']) {
        // In time order (as alerts arrive), every 13 minutes, then a few jumps back and forth.
        for (let t = from; t < to; t += 13 * 60_000) {
          const start = sessionStart(t, tz, resetAt);
          expect(start, `${tz} ${resetAt} ${new Date(t).toISOString()}`).toBe(
            fresh(t, tz, resetAt),
          );
          expect(start).toBeLessThanOrEqual(t);
          checked++;
        }
        for (const t of [to - 1, from, from + 86_400_000 + 1, to - 3_600_000, from + 7]) {
          expect(sessionStart(t, tz, resetAt)).toBe(fresh(t, tz, resetAt));
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});

describe('simple switches', () => {
  it('emergency stop and the enabled switch block everything, exits included', () => {
    expect(verdict({}, { emergencyStopped: true, action: 'exit' }).rejection?.rule).toBe(
      'emergency_stop',
    );
    const off = verdict({ enabled: false }, { action: 'cancel' });
    expect(off.rejection).toMatchObject({
      rule: 'enabled',
      message: expect.stringContaining('disabled'),
    });
    expect(verdict({}).allowed).toBe(true);
  });
  it('allowed symbols', () => {
    expect(verdict({ allowedSymbols: ['BTC/USDT'] }).allowed).toBe(true);
    expect(verdict({ allowedSymbols: ['ETH/USDT'] }).rejection?.message).toBe(
      'symbol BTC/USDT is not in the allowed symbols (ETH/USDT)',
    );
  });
});

describe('sizes', () => {
  it('max order qty at the boundary', () => {
    expect(verdict({ maxOrderQty: { 'BTC/USDT': '1.5' } }, { qty: '1.5' }).allowed).toBe(true);
    expect(
      verdict({ maxOrderQty: { 'BTC/USDT': '1.5' } }, { qty: '1.5000001' }).rejection?.message,
    ).toBe('order qty 1.5000001 > max 1.5 for BTC/USDT');
    expect(verdict({ maxOrderQty: { '*': '1' } }, { qty: '2' }).rejection?.rule).toBe(
      'max_order_qty',
    );
  });
  it('max position counts the side and lets a position shrink', () => {
    const s = { maxPositionQty: { 'BTC/USDT': '3' } };
    expect(verdict(s, { position: '2', qty: '1' }).allowed).toBe(true);
    expect(verdict(s, { position: '2', qty: '1.01' }).rejection?.message).toBe(
      'position after order 3.01 > max 3 for BTC/USDT',
    );
    expect(verdict(s, { position: '-2.5', side: 'sell', qty: '1' }).rejection?.message).toContain(
      'position after order 3.5 > max 3',
    );
    // Above the limit already, but the order reduces it: allowed.
    expect(verdict(s, { position: '5', side: 'sell', qty: '1' }).allowed).toBe(true);
  });
});

describe('daily limits', () => {
  it('daily loss counts realised + unrealised, ≥ limit refuses', () => {
    const s = { maxDailyLoss: '500' };
    expect(verdict(s, { realisedToday: '-300', unrealised: '-199.99' }).allowed).toBe(true);
    const hit = verdict(s, { realisedToday: '-312.40', unrealised: '-200' });
    expect(hit.rejection?.rule).toBe('max_daily_loss');
    expect(hit.rejection?.message).toMatch(/^daily loss 512\.40 ≥ limit 500\.00 \(since /);
    expect(verdict(s, { realisedToday: '-500' }).allowed).toBe(false);
    // A profit offsets an unrealised loss.
    expect(verdict(s, { realisedToday: '100', unrealised: '-550' }).allowed).toBe(true);
  });
  it('exits are allowed past the daily loss', () => {
    expect(verdict({ maxDailyLoss: '1' }, { realisedToday: '-5', action: 'exit' }).allowed).toBe(
      true,
    );
  });
  it('trades and orders per day', () => {
    expect(verdict({ maxTradesPerDay: 3 }, { tradesToday: 2 }).allowed).toBe(true);
    expect(verdict({ maxTradesPerDay: 3 }, { tradesToday: 3 }).rejection?.message).toBe(
      'trades today 3 ≥ limit 3',
    );
    expect(verdict({ maxOrdersPerDay: 10 }, { ordersToday: 10 }).rejection?.message).toBe(
      'orders today 10 ≥ limit 10',
    );
  });
});

describe('trading hours in the account zone', () => {
  const hours = {
    timeZone: NY,
    tradingHours: [{ days: [1, 2, 3, 4, 5], start: '09:30', end: '16:00' }],
  };
  it('start inclusive, end exclusive, weekends closed', () => {
    expect(verdict(hours, { now: at(NY, 2026, 11, 2, 9, 29) }).rejection?.message).toBe(
      'outside trading hours: Mon 09:29 America/New_York not in Mon–Fri 09:30–16:00',
    );
    expect(verdict(hours, { now: at(NY, 2026, 11, 2, 9, 30) }).allowed).toBe(true);
    expect(verdict(hours, { now: at(NY, 2026, 11, 2, 15, 59) }).allowed).toBe(true);
    expect(verdict(hours, { now: at(NY, 2026, 11, 2, 16) }).allowed).toBe(false);
    expect(verdict(hours, { now: at(NY, 2026, 11, 7, 12) }).allowed).toBe(false);
  });
  it('the window follows local time across the DST change (UTC hour shifts)', () => {
    // 14:30 UTC is 10:30 EDT on Fri Oct 30 but 09:30 EST on Mon Nov 2; 13:45 UTC is 08:45 EST.
    expect(verdict(hours, { now: Date.UTC(2026, 9, 30, 13, 45) }).allowed).toBe(true);
    expect(verdict(hours, { now: Date.UTC(2026, 10, 2, 13, 45) }).allowed).toBe(false);
  });
  it('overnight windows', () => {
    const night = { timeZone: BERLIN, tradingHours: [{ days: [0], start: '22:00', end: '02:00' }] };
    expect(verdict(night, { now: at(BERLIN, 2026, 11, 22, 22) }).allowed).toBe(true);
    expect(verdict(night, { now: at(BERLIN, 2026, 11, 23, 1, 59) }).allowed).toBe(true);
    expect(verdict(night, { now: at(BERLIN, 2026, 11, 23, 2) }).allowed).toBe(false);
  });
});

describe('news lockout and cooldown', () => {
  const cpi = { ts: at(NY, 2026, 11, 12, 8, 30), title: 'US CPI', currency: 'USDT' };
  const lock = { timeZone: NY, newsLockout: { beforeMinutes: 30, afterMinutes: 15 } };
  it('locks from before to after the event, inclusive', () => {
    expect(verdict(lock, { now: cpi.ts - 30 * 60_000 - 1, events: [cpi] }).allowed).toBe(true);
    const hit = verdict(lock, { now: cpi.ts - 30 * 60_000, events: [cpi] });
    expect(hit.rejection?.message).toBe(
      'news lockout: "US CPI" at 2026-11-12 08:30 America/New_York (locked Thu 08:00–Thu 08:45)',
    );
    expect(verdict(lock, { now: cpi.ts + 15 * 60_000, events: [cpi] }).allowed).toBe(false);
    expect(verdict(lock, { now: cpi.ts + 15 * 60_000 + 1, events: [cpi] }).allowed).toBe(true);
  });
  it('only events of the market currencies (or of every market) lock it', () => {
    const eur = { ...cpi, currency: 'EUR' };
    expect(verdict(lock, { now: cpi.ts, events: [eur] }).allowed).toBe(true);
    expect(verdict(lock, { now: cpi.ts, events: [{ ...cpi, currency: null }] }).allowed).toBe(
      false,
    );
  });
  it('cooldown after N losses in a row until the last loss + minutes', () => {
    const s = { timeZone: BERLIN, cooldown: { afterLosses: 3, minutes: 60 } };
    const t0 = Date.UTC(2026, 10, 23, 9);
    const results = [
      { ts: t0, pnl: '-1' },
      { ts: t0 + 1000, pnl: '-2' },
      { ts: t0 + 2000, pnl: '-0.01' },
    ];
    const hit = verdict(s, { now: t0 + 2000 + 3_599_999, results });
    expect(hit.rejection?.message).toBe(
      'cooldown: 3 losses in a row ≥ 3; entries resume at 2026-11-23 11:00 Europe/Berlin',
    );
    expect(verdict(s, { now: t0 + 2000 + 3_600_000, results }).allowed).toBe(true);
    expect(verdict(s, { now: t0 + 3000, results: results.slice(1) }).allowed).toBe(true);
    expect(
      verdict(s, { now: t0 + 3000, results: [...results, { ts: t0 + 2500, pnl: '0.5' }] }).allowed,
    ).toBe(true);
  });
});

describe('settings validation', () => {
  it('names the wrong field', () => {
    const bad = (over: Partial<RiskSettings>) => {
      const r = validateRiskSettings(settings(over));
      return r.ok ? 'ok' : r.error.message;
    };
    expect(bad({ timeZone: 'Mars/Base' })).toContain('timeZone "Mars/Base"');
    expect(bad({ sessionReset: '25:00' })).toContain('sessionReset');
    expect(bad({ maxDailyLoss: '0' })).toContain('maxDailyLoss must be greater than 0');
    expect(bad({ maxOrderQty: { 'BTC/USDT': 'x' } })).toContain('maxOrderQty[BTC/USDT]');
    expect(bad({ tradingHours: [{ days: [7], start: '09:00', end: '10:00' }] })).toContain('days');
    expect(bad({ maxDailyLoss: '500.50' })).toBe('ok');
  });

  it('says which field in details.field, for a form to show it there', () => {
    const field = (over: Partial<RiskSettings>) => {
      const r = validateRiskSettings(settings(over));
      return r.ok ? null : (r.error.details as { field?: string } | undefined)?.field;
    };
    expect(field({ timeZone: 'Mars/Base' })).toBe('timeZone');
    expect(field({ sessionReset: '25:00' })).toBe('sessionReset');
    expect(field({ tradingHours: [{ days: [1], start: '09:00', end: '09:00' }] })).toBe(
      'tradingHours[0].end',
    );
    expect(field({ tradingHours: [{ days: [1], start: '24:30', end: '10:00' }] })).toBe(
      'tradingHours[0].start',
    );
    expect(field({ tradingHours: [{ days: [], start: '09:00', end: '10:00' }] })).toBe(
      'tradingHours[0].days',
    );
  });
});
