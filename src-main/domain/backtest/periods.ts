import type { BarInterval } from '../candles/interval';
import { DAY_MS } from '../candles/interval';
import type { MetricsSettings } from './assumptions';

/** Median number of bars per UTC calendar day: the session length of intraday data. */
function barsPerDay(time: ArrayLike<number>): number {
  const counts: number[] = [];
  const dayMs = DAY_MS; // a local: imported bindings can be getters in some module formats
  let day = NaN;
  for (let i = 0; i < time.length; i++) {
    const d = Math.floor(time[i]! / dayMs);
    if (d === day) counts[counts.length - 1]! += 1;
    else counts.push(1);
    day = d;
  }
  counts.sort((a, b) => a - b);
  return counts[Math.floor(counts.length / 2)] ?? 1;
}

/**
 * Periods per year used to annualise, from the settings and the bar interval:
 * explicit `periodsPerYear` wins; `crypto` calendar = 365 days x 24 h / interval;
 * `equity` calendar = 12 for monthly, 52 weekly, 252 daily (252 / k for k-day bars), and for
 * intraday bars 252 x the median number of bars per trading day seen in the data (so a
 * 09:00–17:30 minute series is annualised by its actual session length).
 */
export function periodsPerYear(
  s: MetricsSettings,
  interval: BarInterval | null,
  time: ArrayLike<number>,
): number {
  if (s.periodsPerYear !== null) return s.periodsPerYear;
  const ms = interval?.ms ?? DAY_MS;
  if (!(ms > 0)) return 252;
  if (s.calendar === 'crypto') return (365 * DAY_MS) / ms;
  if (ms >= 28 * DAY_MS) return 12;
  if (ms >= 7 * DAY_MS) return 52;
  if (ms >= DAY_MS) return 252 / Math.round(ms / DAY_MS);
  return 252 * barsPerDay(time);
}
