/**
 * Wall-clock arithmetic in IANA time zones through `Intl` (no tz database of our own). All
 * functions take the instant explicitly; nothing here reads the clock.
 */

/** Local calendar fields of an instant; `weekday` 0 = Sunday … 6 = Saturday. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** True when `Intl` knows the zone name (e.g. `Europe/Berlin`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of `ts` in `timeZone`. */
export function localTime(ts: number, timeZone: string): LocalTime & { second: number } {
  const parts: Record<string, string> = {};
  for (const p of formatFor(timeZone).formatToParts(new Date(ts))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/** Offset of the zone from UTC at `ts`, in ms (local − UTC). */
export function offsetAt(ts: number, timeZone: string): number {
  const l = localTime(ts, timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(ts / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time skipped by a daylight-saving
 * jump maps to the same distance after the jump (02:30 → 03:30); a repeated time maps to its
 * first occurrence.
 */
export function zonedInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const local = Date.UTC(year, month - 1, day, hour, minute);
  const first = local - offsetAt(local, timeZone);
  const second = local - offsetAt(first, timeZone);
  const candidates = [first, second, local - offsetAt(first - 3 * 3_600_000, timeZone)];
  const exact = candidates.filter((t) => offsetAt(t, timeZone) === local - t).sort((a, b) => a - b);
  if (exact.length > 0) return exact[0]!;
  // In a gap: use the offset before the jump, which lands after it.
  return local - offsetAt(local - 86_400_000, timeZone);
}

/** `HH:MM` (00:00–23:59, or 24:00 for an end of day) → minutes since midnight, or null. */
export function parseClock(text: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > 24 * 60 ? null : minutes;
}

/** Per zone and reset time: the last session found, valid for instants in `[start, end)`. */
const sessions = new Map<string, { start: number; end: number }>();
/** Session windows remembered at most (zones × reset times actually in use; a bound, not a tuning). */
const SESSIONS_MAX = 1_000;

/**
 * Start of the trading day that contains `now`: the latest instant ≤ `now` whose wall-clock
 * time in `timeZone` is `resetAt` (`HH:MM`). The risk rules ask on every alert, and each answer
 * costs a dozen `Intl` conversions, so the day found is remembered with its end (the next reset)
 * and answers every instant inside it.
 */
export function sessionStart(now: number, timeZone: string, resetAt: string): number {
  const key = `${timeZone}\u0000${resetAt}`;
  const known = sessions.get(key);
  if (known && now >= known.start && now < known.end) return known.start;
  const window = sessionAround(now, timeZone, resetAt);
  if (sessions.size >= SESSIONS_MAX) sessions.clear();
  sessions.set(key, window);
  return window.start;
}

/** The trading day containing `now`, computed: `[start, end)`, `end` the next reset. */
function sessionAround(
  now: number,
  timeZone: string,
  resetAt: string,
): { start: number; end: number } {
  const minutes = parseClock(resetAt) ?? 0;
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  const l = localTime(now, timeZone);
  const resetOn = (daysAfter: number): number => {
    const d = new Date(Date.UTC(l.year, l.month - 1, l.day + daysAfter));
    return zonedInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), h, m, timeZone);
  };
  const today = resetOn(0);
  // `end` is past `now` whatever the calendar does, so the window always holds `now`.
  if (today <= now) return { start: today, end: Math.max(resetOn(1), now + 1) };
  // Yesterday's reset, or the day before's when a zone skipped yesterday (Apia skipped
  // 2011-12-30: that day's reset maps past the jump, after `now`).
  const yesterday = resetOn(-1);
  return { start: yesterday <= now ? yesterday : resetOn(-2), end: today };
}

/** `Mon 14:05` style text of an instant in a zone, for rejection messages. */
export function showLocal(ts: number, timeZone: string, withDate = false): string {
  const l = localTime(ts, timeZone);
  const hm = `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
  if (!withDate) return `${WEEKDAYS[l.weekday]} ${hm}`;
  const date = `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
  return `${date} ${hm}`;
}

export const WEEKDAY_NAMES = WEEKDAYS;
