import { err, ok, type Result } from '../money';
import type { CalendarEvent } from './risk';
import { isValidTimeZone, zonedInstant } from './time-zone';

/**
 * Economic-calendar imports for news lockouts. CSV: a header row naming a time column
 * (`time`, `datetime`, `date`+`time`), a title column (`title`, `event`, `name`) and
 * optionally `currency`/`country`. iCalendar: VEVENTs with DTSTART (UTC, TZID or floating)
 * and SUMMARY; `CATEGORIES` or `X-CURRENCY` may name the currency. Times without an offset
 * are read in `timeZone`.
 */

const ISO_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?)?$/;

function readTime(text: string, timeZone: string): number | null {
  const t = text.trim();
  if (ISO_OFFSET.test(t)) {
    const ms = Date.parse(t.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : ms;
  }
  const m = LOCAL.exec(t);
  if (!m) return null;
  return zonedInstant(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), timeZone);
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function currencyOf(text: string | undefined): string | null {
  const c = text?.trim().toUpperCase();
  return c && /^[A-Z0-9]{2,12}$/.test(c) && c !== 'ALL' ? c : null;
}

/** Reads calendar events from CSV; every bad row is reported with its line number. */
export function parseCalendarCsv(text: string, timeZone: string): Result<CalendarEvent[]> {
  if (!isValidTimeZone(timeZone))
    return err('calendar_unreadable', `unknown time zone ${timeZone}`);
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines.length < 2)
    return err('calendar_unreadable', 'the CSV needs a header and at least one row');
  const header = splitCsvLine(lines[0]!).map((h) => h.toLowerCase());
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const dt = col('datetime', 'timestamp', 'start');
  const date = col('date');
  const time = col('time');
  const title = col('title', 'event', 'name', 'summary');
  const currency = col('currency', 'country', 'symbol');
  if ((dt < 0 && date < 0 && time < 0) || title < 0) {
    return err(
      'calendar_unreadable',
      'the CSV header needs a time column (datetime, or date and time) and a title column (title or event)',
    );
  }
  const events: CalendarEvent[] = [];
  for (let n = 1; n < lines.length; n++) {
    const cells = splitCsvLine(lines[n]!);
    const when =
      dt >= 0
        ? cells[dt]
        : date >= 0 && time >= 0
          ? `${cells[date]} ${cells[time]}`
          : cells[date >= 0 ? date : time];
    const ts = when ? readTime(when, timeZone) : null;
    if (ts === null) {
      return err('calendar_unreadable', `line ${n + 1}: "${when ?? ''}" is not a date and time`);
    }
    const name = cells[title]?.trim();
    if (!name) return err('calendar_unreadable', `line ${n + 1}: the title is empty`);
    events.push({ ts, title: name.slice(0, 200), currency: currencyOf(cells[currency]) });
  }
  return ok(events);
}

function readIcsTime(
  value: string,
  params: Record<string, string>,
  timeZone: string,
): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', z] = m;
  if (z) return Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s);
  const zone = params.TZID && isValidTimeZone(params.TZID) ? params.TZID : timeZone;
  return zonedInstant(+y!, +mo!, +d!, +h, +mi, zone);
}

/** Reads VEVENTs from an iCalendar file (RFC 5545 line folding handled). */
export function parseCalendarIcs(text: string, timeZone: string): Result<CalendarEvent[]> {
  if (!isValidTimeZone(timeZone))
    return err('calendar_unreadable', `unknown time zone ${timeZone}`);
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  if (!lines.some((l) => l.trim() === 'BEGIN:VCALENDAR')) {
    return err('calendar_unreadable', 'not an iCalendar file (no BEGIN:VCALENDAR)');
  }
  const events: CalendarEvent[] = [];
  let cur: { ts?: number | null; title?: string; currency?: string | null } | null = null;
  for (const line of lines) {
    const t = line.trim();
    if (t === 'BEGIN:VEVENT') cur = {};
    else if (t === 'END:VEVENT') {
      if (!cur?.ts)
        return err('calendar_unreadable', `event "${cur?.title ?? '?'}" has no readable DTSTART`);
      events.push({
        ts: cur.ts,
        title: (cur.title ?? 'event').slice(0, 200),
        currency: cur.currency ?? null,
      });
      cur = null;
    } else if (cur) {
      const colon = t.indexOf(':');
      if (colon < 0) continue;
      const [name, ...paramParts] = t.slice(0, colon).split(';');
      const params = Object.fromEntries(paramParts.map((p) => p.split('=') as [string, string]));
      const value = t.slice(colon + 1);
      if (name === 'DTSTART') cur.ts = readIcsTime(value, params, timeZone);
      else if (name === 'SUMMARY')
        cur.title = value.replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, ' ');
      else if (name === 'X-CURRENCY' || name === 'CATEGORIES')
        cur.currency ??= currencyOf(value.split(',')[0]);
    }
  }
  if (events.length === 0) return err('calendar_unreadable', 'the calendar has no events');
  return ok(events);
}

/** CSV or iCalendar, told apart by content. */
export function parseCalendar(text: string, timeZone: string): Result<CalendarEvent[]> {
  return text.includes('BEGIN:VCALENDAR')
    ? parseCalendarIcs(text, timeZone)
    : parseCalendarCsv(text, timeZone);
}
