import type { BarInterval } from './interval';
import { DAY_MS } from './interval';
import type { IssueLog } from './issues';

/** A bar as read from the file, before validation; `row` locates it in the source. */
export interface RawBar {
  row: number;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  openInterest: number;
  adjClose: number;
}

const fmt = (n: number): string => String(n);

/**
 * Checks one bar in isolation. Returns false when the bar must be dropped (see
 * `ISSUE_SEVERITY`). Open/close outside [low, high] is repaired by widening the range, since
 * the fill model relies on low <= open, close <= high and the price itself is more trustworthy
 * than a high/low that missed it.
 */
export function checkBar(b: RawBar, log: IssueLog): boolean {
  if (!Number.isFinite(b.time)) {
    log.add(b.row, 'bad-time', 'unreadable date/time');
    return false;
  }
  const names = ['open', 'high', 'low', 'close', 'volume'] as const;
  const bad = names.filter((k) => !Number.isFinite(b[k]));
  if (bad.length > 0) {
    log.add(b.row, 'bad-number', `non-numeric ${bad.join(', ')}`);
    return false;
  }
  if (b.high < b.low) {
    log.add(b.row, 'high-below-low', `high ${fmt(b.high)} < low ${fmt(b.low)}`);
    return false;
  }
  if (b.volume < 0) {
    log.add(b.row, 'negative-volume', `volume ${fmt(b.volume)} < 0`);
    return false;
  }
  repairRange(b, 'open', log);
  repairRange(b, 'close', log);
  if (b.low <= 0) log.add(b.row, 'non-positive-price', `low ${fmt(b.low)} <= 0 (kept)`);
  return true;
}

function repairRange(b: RawBar, k: 'open' | 'close', log: IssueLog): void {
  const v = b[k];
  if (v >= b.low && v <= b.high) return;
  const code = k === 'open' ? 'open-outside-range' : 'close-outside-range';
  log.add(b.row, code, `${k} ${fmt(v)} outside [${fmt(b.low)}, ${fmt(b.high)}]; range widened`);
  b.low = Math.min(b.low, v);
  b.high = Math.max(b.high, v);
}

/**
 * Drops bars whose time does not strictly increase (duplicates keep the first occurrence;
 * a bar earlier than its predecessor is dropped). When most steps go backwards the file is
 * newest-first (a common export order): it is reversed once, with a warning, before checking.
 */
export function checkSequence(bars: RawBar[], log: IssueLog): RawBar[] {
  let down = 0;
  for (let i = 1; i < bars.length; i++) {
    if ((bars[i]?.time ?? 0) < (bars[i - 1]?.time ?? 0)) down++;
  }
  if (bars.length > 1 && down > (bars.length - 1) / 2) {
    bars.reverse();
    log.add(0, 'reversed-order', 'rows were newest-first; reversed to oldest-first');
  }
  const kept: RawBar[] = [];
  let last = -Infinity;
  for (const b of bars) {
    if (b.time === last) {
      log.add(b.row, 'duplicate-time', `duplicate timestamp ${iso(b.time)}; first kept`);
    } else if (b.time < last) {
      log.add(b.row, 'out-of-order', `timestamp ${iso(b.time)} earlier than previous ${iso(last)}`);
    } else {
      kept.push(b);
      last = b.time;
    }
  }
  return kept;
}

/**
 * How gaps are judged. `continuous`: markets trading around the clock (crypto) — any step
 * longer than the interval is a gap. `sessions`: exchange-traded markets — intraday gaps are
 * only reported within one UTC day (overnight closes are not gaps), and daily bars only miss
 * weekdays (weekends are not gaps; holidays are reported, as warnings).
 */
export type GapMode = 'continuous' | 'sessions';

/** UTC day of week (0 = Sunday) without allocating a Date: 1970-01-01 was a Thursday. */
function utcDay(t: number): number {
  return (((Math.floor(t / DAY_MS) + 4) % 7) + 7) % 7;
}

/** Picks `continuous` when any bar falls on a UTC Saturday or Sunday, else `sessions`. */
export function detectGapMode(time: ArrayLike<number>, interval: BarInterval | null): GapMode {
  if (interval && interval.ms >= 7 * DAY_MS) return 'continuous';
  for (let i = 0; i < time.length; i++) {
    const dow = utcDay(time[i] ?? 0);
    if (dow === 0 || dow === 6) return 'continuous';
  }
  return 'sessions';
}

/** Counts Monday–Friday days strictly between two UTC midnights. */
function weekdaysBetween(a: number, b: number): number {
  let n = 0;
  for (let t = a + DAY_MS; t < b; t += DAY_MS) {
    const dow = utcDay(t);
    if (dow !== 0 && dow !== 6) n++;
  }
  return n;
}

/** Number of bars missing between two consecutive timestamps under the gap mode. */
export function missingBars(prev: number, next: number, iv: BarInterval, mode: GapMode): number {
  const step = next - prev;
  if (mode === 'sessions' && iv.ms < DAY_MS) {
    if (Math.floor(prev / DAY_MS) !== Math.floor(next / DAY_MS)) return 0;
  }
  if (mode === 'sessions' && iv.ms === DAY_MS) {
    return weekdaysBetween(Math.floor(prev / DAY_MS) * DAY_MS, Math.floor(next / DAY_MS) * DAY_MS);
  }
  return Math.max(0, Math.round(step / iv.ms) - 1);
}

/** Reports gaps (warnings; bars are kept) relative to the detected interval. */
export function reportGaps(bars: RawBar[], iv: BarInterval, mode: GapMode, log: IssueLog): void {
  for (let i = 1; i < bars.length; i++) {
    const a = bars[i - 1];
    const b = bars[i];
    if (!a || !b) continue;
    const missing = missingBars(a.time, b.time, iv, mode);
    if (missing > 0) {
      log.add(
        b.row,
        'gap',
        `${missing} missing ${iv.label} bar(s) between ${iso(a.time)} and ${iso(b.time)}`,
      );
    }
  }
}

/** ISO-8601 UTC rendering for messages. */
export function iso(t: number): string {
  return Number.isFinite(t) ? new Date(t).toISOString() : String(t);
}
