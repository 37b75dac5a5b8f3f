/**
 * Wall-clock reading of instants in an IANA time zone, through the engine's `Intl` data (no
 * clock is read: every function takes the instant). Periods and buckets that a trader reads
 * as "today", "14:00" or "Monday" are in the zone the caller names, UTC by default. The
 * arithmetic is the automation's (its trading-day resets use the same zones).
 */
import { isValidTimeZone, localTime, zonedInstant } from '../automation/time-zone';

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** True when the engine knows the zone (`UTC`, `Europe/Paris`, …). */
export const isTimeZone = isValidTimeZone;

/** The wall clock at `ts` in `timeZone`. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

/** The automation's wall clock (weekday 0 = Sunday), with the weekday named Monday-first. */
export function wallClock(ts: number, timeZone: string): WallClock {
  const l = localTime(ts, timeZone);
  return { ...l, weekday: WEEKDAYS[(l.weekday + 6) % 7]! };
}

/**
 * The instant the wall-clock day containing `ts` began in `timeZone` (local midnight; on a day
 * a clock change skips midnight, the first instant after it).
 */
export function startOfDay(ts: number, timeZone: string): number {
  const w = localTime(ts, timeZone);
  return zonedInstant(w.year, w.month, w.day, 0, 0, timeZone);
}

/** `YYYY-MM-DD` of the wall-clock day of `ts` in `timeZone`. */
export function dayLabel(ts: number, timeZone: string): string {
  const w = wallClock(ts, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}
