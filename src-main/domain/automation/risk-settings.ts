import { err, ok, type Result } from '../money';
import { compareDecimal, type DecimalText } from '../money';
import { readDecimal } from './read-number';
import { isValidTimeZone, parseClock } from './time-zone';

/** A weekly trading window in the settings' time zone: `days` 0 = Sunday … 6 = Saturday. */
export interface TradingWindow {
  days: number[];
  /** `HH:MM`, inclusive. */
  start: string;
  /** `HH:MM`, exclusive; earlier than `start` means the window runs past midnight. */
  end: string;
}

/** Risk limits of one account (or of a user, for every account). `null` = no limit. */
export interface RiskSettings {
  enabled: boolean;
  /** Markets automation may trade; empty = all. */
  allowedSymbols: string[];
  /** Largest order quantity per symbol; key `*` applies to symbols not listed. */
  maxOrderQty: Record<string, DecimalText>;
  /** Largest absolute position per symbol after the order; key `*` as above. */
  maxPositionQty: Record<string, DecimalText>;
  /** Loss (realised + unrealised since the session reset) at which entries stop. */
  maxDailyLoss: DecimalText | null;
  /**
   * Profit (realised + unrealised since the session reset) at which entries stop for the day:
   * the prop-firm rule (Topstep's daily profit target) that locks a good day in.
   */
  dailyProfitTarget: DecimalText | null;
  /** `HH:MM` in `timeZone` when the trading day (and the daily counters) reset. */
  sessionReset: string;
  /** IANA time zone for the reset, trading hours and messages. */
  timeZone: string;
  maxTradesPerDay: number | null;
  maxOrdersPerDay: number | null;
  /** Entries only inside one of these windows; empty = any time. */
  tradingHours: TradingWindow[];
  /** Entries refused from `beforeMinutes` before to `afterMinutes` after a calendar event. */
  newsLockout: { beforeMinutes: number; afterMinutes: number } | null;
  /** After `afterLosses` losing trades in a row, entries wait `minutes` from the last one. */
  cooldown: { afterLosses: number; minutes: number } | null;
  /** Quantity used when an alert does not give one. */
  defaultQty: DecimalText | null;
}

/** Everything off: what an account starts with until its owner sets limits. */
export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  enabled: true,
  allowedSymbols: [],
  maxOrderQty: {},
  maxPositionQty: {},
  maxDailyLoss: null,
  dailyProfitTarget: null,
  sessionReset: '00:00',
  timeZone: 'UTC',
  maxTradesPerDay: null,
  maxOrdersPerDay: null,
  tradingHours: [],
  newsLockout: null,
  cooldown: null,
  defaultQty: null,
};

function positive(value: string, field: string): Result<DecimalText> {
  const r = readDecimal(value, field);
  if (!r.ok) return err('invalid_risk_settings', r.error.message, { field });
  if (compareDecimal(r.value, '0') <= 0) {
    return err('invalid_risk_settings', `${field} must be greater than 0`, { field });
  }
  return r;
}

/** Checks settings coming from a user; the message names the field that is wrong. */
export function validateRiskSettings(s: RiskSettings): Result<RiskSettings> {
  if (!isValidTimeZone(s.timeZone)) {
    return err('invalid_risk_settings', `timeZone "${s.timeZone}" is not an IANA time zone`, {
      field: 'timeZone',
    });
  }
  const reset = parseClock(s.sessionReset);
  if (reset === null || reset >= 24 * 60) {
    return err('invalid_risk_settings', `sessionReset "${s.sessionReset}" must be HH:MM`, {
      field: 'sessionReset',
    });
  }
  const out: RiskSettings = { ...s, maxOrderQty: {}, maxPositionQty: {} };
  for (const key of ['maxOrderQty', 'maxPositionQty'] as const) {
    for (const [symbol, v] of Object.entries(s[key])) {
      const r = positive(v, `${key}[${symbol}]`);
      if (!r.ok) return r;
      out[key][symbol] = r.value;
    }
  }
  for (const key of ['maxDailyLoss', 'dailyProfitTarget', 'defaultQty'] as const) {
    const v = s[key];
    if (v !== null) {
      const r = positive(v, key);
      if (!r.ok) return r;
      out[key] = r.value;
    }
  }
  for (const [i, w] of s.tradingHours.entries()) {
    const a = parseClock(w.start);
    const b = parseClock(w.end);
    if (a === null || b === null || a === b) {
      return err(
        'invalid_risk_settings',
        `tradingHours[${i}] needs start and end as different HH:MM times`,
        { field: `tradingHours[${i}].${a === null ? 'start' : 'end'}` },
      );
    }
    if (w.days.length === 0 || w.days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
      return err('invalid_risk_settings', `tradingHours[${i}].days must be 0 (Sunday) … 6`, {
        field: `tradingHours[${i}].days`,
      });
    }
  }
  return ok(out);
}
