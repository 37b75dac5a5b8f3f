/**
 * Wall-clock reading of instants in an IANA time zone, through the engine's `Intl` data (no
 * clock is read: every function takes the instant). Periods and buckets that a trader reads
 * as "today", "14:00" or "Monday" are in the zone the caller names, UTC by default.
 */

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** True when the engine knows the zone (`UTC`, `Europe/Paris`, …). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

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

export function wallClock(ts: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatOf(timeZone).formatToParts(new Date(ts))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: parts.weekday as Weekday,
  };
}

/** Offset of the zone from UTC at `ts`, in ms (Paris in winter: +3 600 000). */
function offsetAt(ts: number, timeZone: string): number {
  const w = wallClock(ts, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ts - (((ts % 1000) + 1000) % 1000));
}

/**
 * The instant the wall-clock day containing `ts` began in `timeZone` (local midnight). Two
 * passes settle the offset on days a clock change moves it.
 */
export function startOfDay(ts: number, timeZone: string): number {
  const w = wallClock(ts, timeZone);
  const midnightAsUtc = Date.UTC(w.year, w.month - 1, w.day);
  let t = midnightAsUtc - offsetAt(midnightAsUtc, timeZone);
  t = midnightAsUtc - offsetAt(t, timeZone);
  return t;
}

/** `YYYY-MM-DD` of the wall-clock day of `ts` in `timeZone`. */
export function dayLabel(ts: number, timeZone: string): string {
  const w = wallClock(ts, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}
