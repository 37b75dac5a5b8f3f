/**
 * Bar interval detection: the most frequent positive step between consecutive timestamps,
 * named after the nearest standard interval when it matches one.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Standard intervals we name, in ms. Monthly bars are recognised by a 28–31 day step. */
const NAMED: ReadonlyArray<readonly [string, number]> = [
  ['1s', 1000],
  ['1m', MINUTE],
  ['3m', 3 * MINUTE],
  ['5m', 5 * MINUTE],
  ['15m', 15 * MINUTE],
  ['30m', 30 * MINUTE],
  ['1h', HOUR],
  ['2h', 2 * HOUR],
  ['4h', 4 * HOUR],
  ['6h', 6 * HOUR],
  ['8h', 8 * HOUR],
  ['12h', 12 * HOUR],
  ['1d', DAY],
  ['1w', 7 * DAY],
];

/** A detected bar interval. `ms` is nominal (30 days for monthly). */
export interface BarInterval {
  ms: number;
  /** `1m`, `5m`, `1h`, `1d`, `1w`, `1M`, or e.g. `7m` / `90s` for non-standard steps. */
  label: string;
}

/** Milliseconds in one day, exported for callers computing calendars. */
export const DAY_MS = DAY;

/** Names a step in ms. */
export function labelInterval(ms: number): string {
  const named = NAMED.find(([, v]) => v === ms);
  if (named) return named[0];
  if (ms >= 28 * DAY && ms <= 31 * DAY) return '1M';
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  return `${Math.round(ms / 1000)}s`;
}

/**
 * Detects the interval as the modal step. Steps of 28–31 days are pooled as monthly, and
 * daily data is recognised even though weekends make 3-day steps common (1-day is the mode).
 * Returns null for fewer than two bars.
 */
export function detectInterval(time: ArrayLike<number>): BarInterval | null {
  const counts = new Map<number, number>();
  for (let i = 1; i < time.length; i++) {
    let step = (time[i] ?? 0) - (time[i - 1] ?? 0);
    if (!(step > 0)) continue;
    if (step >= 28 * DAY && step <= 31 * DAY) step = 30 * DAY;
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [step, n] of counts) {
    if (n > bestCount || (n === bestCount && step < best)) {
      best = step;
      bestCount = n;
    }
  }
  if (bestCount === 0) return null;
  return { ms: best, label: labelInterval(best) };
}
