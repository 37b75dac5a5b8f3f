import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  fieldOfPath,
  fromDraft,
  problemsFromRefusal,
  toDraft,
  type Draft,
} from '../../../src-renderer/src/screens/automation/risk-draft';
import type { RiskSettings } from '../../../src-renderer/src/stores/automation';
import { DEFAULT_RISK_SETTINGS } from '../../../src-main/domain/automation/risk-settings';

/** Every rule off: the settings an account starts with (the backend's own default). */
const NONE: RiskSettings = DEFAULT_RISK_SETTINGS;

const draft = (over: Partial<Draft>): Draft => ({ ...toDraft(NONE), ...over });

describe('the risk form refuses a rule given in half, at its fields', () => {
  it('a trading-hours window without a day is refused, not dropped', () => {
    const d = draft({ hoursStart: '09:00', hoursEnd: '17:00' });
    expect(checkDraft(d)).toEqual({
      hoursDays: expect.stringMatching(/^Tick at least one trading day/),
    });
    // With a day it is sent whole.
    const ok = { ...d, hoursDays: [5, 1] };
    expect(checkDraft(ok)).toEqual({});
    expect(fromDraft(ok, NONE).tradingHours).toEqual([
      { days: [1, 5], start: '09:00', end: '17:00' },
    ]);
  });

  it('a window missing its start or end names the one missing', () => {
    expect(checkDraft(draft({ hoursStart: '09:00', hoursDays: [1] }))).toEqual({
      hoursEnd: expect.stringContaining('give the end time too'),
    });
    expect(checkDraft(draft({ hoursEnd: '17:00', hoursDays: [1] }))).toEqual({
      hoursStart: expect.stringContaining('give the start time too'),
    });
    // Only days ticked is half a window too.
    expect(Object.keys(checkDraft(draft({ hoursDays: [2] }))).sort()).toEqual([
      'hoursEnd',
      'hoursStart',
    ]);
  });

  it('a cooldown with one of its two numbers is refused, not dropped', () => {
    expect(checkDraft(draft({ cooldownLosses: '3' }))).toEqual({
      cooldownMinutes: expect.stringContaining("give the cooldown's minutes too"),
    });
    expect(checkDraft(draft({ cooldownMinutes: '30' }))).toEqual({
      cooldownLosses: expect.stringContaining('give the losses in a row too'),
    });
    const both = draft({ cooldownLosses: '3', cooldownMinutes: '30' });
    expect(checkDraft(both)).toEqual({});
    expect(fromDraft(both, NONE).cooldown).toEqual({ afterLosses: 3, minutes: 30 });
  });

  it('says what a field takes, in words', () => {
    const p = checkDraft(
      draft({
        maxDailyLoss: 'abc',
        maxOrderQty: '0',
        hoursStart: '25:00',
        hoursEnd: '17:00',
        hoursDays: [1],
        sessionReset: '7am',
        maxTradesPerDay: '2.5',
        newsBefore: '2000',
        timeZone: 'Mars/Olympus',
      }),
    );
    expect(p.maxDailyLoss).toBe('a number such as 250');
    expect(p.maxOrderQty).toBe('more than 0 (a quantity such as 0.01)');
    expect(p.hoursStart).toBe('HH:MM, 00:00–23:59');
    expect(p.sessionReset).toBe('HH:MM, 00:00–23:59');
    expect(p.maxTradesPerDay).toMatch(/^a whole number/);
    expect(p.newsBefore).toBe('whole minutes, 0–1440');
    expect(p.timeZone).toMatch(/not a time zone/);
    // Nothing a schema says ("must match pattern", "anyOf") reaches the trader.
    for (const text of Object.values(p)) expect(text).not.toMatch(/pattern|anyOf|schema/);
  });

  it('takes a window ending at midnight, refuses one of no time', () => {
    expect(checkDraft(draft({ hoursStart: '22:00', hoursEnd: '24:00', hoursDays: [1] }))).toEqual(
      {},
    );
    expect(checkDraft(draft({ hoursStart: '09:00', hoursEnd: '09:00', hoursDays: [1] }))).toEqual({
      hoursEnd: expect.stringContaining('must differ from the start'),
    });
  });

  it('keeps what the form does not show: per-market limits and windows after the first', () => {
    const base: RiskSettings = {
      ...NONE,
      maxOrderQty: { '*': '1', 'ETH/USDT': '5' },
      tradingHours: [
        { days: [1], start: '09:00', end: '17:00' },
        { days: [6], start: '10:00', end: '12:00' },
      ],
    };
    const d = toDraft(base);
    expect(checkDraft(d)).toEqual({});
    const out = fromDraft({ ...d, maxOrderQty: '2' }, base);
    expect(out.maxOrderQty).toEqual({ '*': '2', 'ETH/USDT': '5' });
    expect(out.tradingHours).toEqual(base.tradingHours);
  });

  it('an empty time zone and reset mean UTC and midnight, as their placeholders say', () => {
    const out = fromDraft(draft({ timeZone: ' ', sessionReset: '' }), NONE);
    expect(out.timeZone).toBe('UTC');
    expect(out.sessionReset).toBe('00:00');
  });
});

describe("the server's refusal, at the field it names", () => {
  it('maps schema paths and service fields to the inputs', () => {
    expect(fieldOfPath('settings.maxDailyLoss')).toBe('maxDailyLoss');
    expect(fieldOfPath('/settings/tradingHours/0/start')).toBe('hoursStart');
    expect(fieldOfPath('settings.tradingHours.0.days')).toBe('hoursDays');
    expect(fieldOfPath('settings.cooldown.minutes')).toBe('cooldownMinutes');
    expect(fieldOfPath('settings.newsLockout.afterMinutes')).toBe('newsAfter');
    expect(fieldOfPath('maxOrderQty[*]')).toBe('maxOrderQty');
    expect(fieldOfPath('maxOrderQty[ETH/USDT]')).toBeUndefined();
    expect(fieldOfPath('settings.tradingHours.1.start')).toBeUndefined();
  });

  it("shows the form's words at the field, not the schema's", () => {
    const p = problemsFromRefusal({
      message:
        'Invalid input: settings.maxDailyLoss must match pattern "^[0-9]+(\\.[0-9]+)?$"; settings.maxDailyLoss must be null; settings.maxDailyLoss must match a schema in anyOf',
      details: {
        fields: [
          { field: 'settings.maxDailyLoss', message: 'must match pattern' },
          { field: 'settings.maxDailyLoss', message: 'must be null' },
          { field: 'settings.maxDailyLoss', message: 'must match a schema in anyOf' },
        ],
      },
    });
    expect(p).toEqual({ maxDailyLoss: 'a number such as 250, or empty: no limit' });
    expect(
      problemsFromRefusal({
        message: 'Invalid input: settings.tradingHours.0.start must match pattern',
        details: { fields: [{ field: 'settings.tradingHours.0.start', message: 'x' }] },
      }),
    ).toEqual({ hoursStart: 'HH:MM, 00:00–23:59' });
  });

  it('keeps a refusal that names no field of the form whole', () => {
    expect(problemsFromRefusal({ message: 'account not found' })).toEqual({
      form: 'account not found',
    });
    expect(
      problemsFromRefusal({
        message: 'maxOrderQty[ETH/USDT] must be greater than 0',
        details: { field: 'maxOrderQty[ETH/USDT]' },
      }),
    ).toEqual({ form: 'maxOrderQty[ETH/USDT] must be greater than 0' });
  });
});
