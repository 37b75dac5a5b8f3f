/**
 * Timestamp parsing for candle files. Everything is UTC: a date-only value is UTC midnight,
 * a date+time without offset is taken as UTC wall time (sources rarely say their zone, and
 * guessing the user's local zone would make results depend on the machine).
 */

const DATE_RE = /^(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})$/;
const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;
const EPOCH_RE = /^\d{9,13}(?:\.\d+)?$/;
const OFFSET_RE = /(?:[+-]\d{2}:?\d{2})$/;

/** True when `s` looks like a clock time `HH:MM[:SS[.fff]]` (used to detect a Time column). */
export function isClockTime(s: string): boolean {
  return TIME_RE.test(s.trim());
}

/** Parses `HH:MM[:SS[.fff]]` into ms after midnight, or NaN. */
export function parseClockTime(s: string): number {
  const m = TIME_RE.exec(s.trim());
  if (!m) return NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const sec = m[3] === undefined ? 0 : Number(m[3]);
  const ms = m[4] === undefined ? 0 : Number(m[4].padEnd(3, '0'));
  if (h > 24 || min > 59 || sec > 60) return NaN;
  return ((h * 60 + min) * 60 + sec) * 1000 + ms;
}

// One-entry memo: intraday files repeat the same date on hundreds of consecutive rows.
let memoKey = '';
let memoValue = NaN;

/** Parses `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` to UTC-midnight ms, or NaN for invalid dates. */
export function parseDateOnly(s: string): number {
  if (s === memoKey) return memoValue;
  memoKey = s;
  memoValue = parseDateUncached(s);
  return memoValue;
}

function parseDateUncached(s: string): number {
  const m = DATE_RE.exec(s.trim());
  if (!m) return NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  // Date.UTC would roll 2006-02-30 over to March: reject instead of silently moving the bar.
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  return Date.UTC(y, mo - 1, d);
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/**
 * Parses a date field (optionally with an embedded time, an ISO offset, or a Unix epoch in
 * seconds or milliseconds) plus an optional separate time field. Returns ms or NaN.
 */
export function parseTimestamp(date: string, time?: string): number {
  const d = date.trim();
  if (EPOCH_RE.test(d) && d.length !== 8) {
    const n = Number(d);
    // Below 1e11 a number is seconds (1e11 s is year 5138); above, milliseconds.
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  const sep = d.search(/[ T]/);
  const datePart = sep < 0 ? d : d.slice(0, sep);
  const timePart = sep < 0 ? time : d.slice(sep + 1).replace(/Z$/, '');
  if (timePart !== undefined && OFFSET_RE.test(timePart)) {
    const t = Date.parse(`${datePart}T${timePart}`);
    return Number.isFinite(t) ? t : NaN;
  }
  const day = parseDateOnly(datePart);
  if (timePart === undefined || timePart.trim() === '') return day;
  return day + parseClockTime(timePart);
}
