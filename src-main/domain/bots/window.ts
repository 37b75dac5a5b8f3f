/** Bars a shadow replay runs over at most (warm-up included): bounds the work per bar. */
export const MAX_WINDOW_BARS = 2_000;

/** Which stored bars a shadow replay runs over. */
export interface BarWindow {
  /** First bar of the window (index into the closed bars). */
  from: number;
  /** First bar that closed after the bot's first start: the live period begins here. */
  firstLive: number;
}

/**
 * The window of closed bars for a replay: `warmupBars` bars closed before the bot first
 * started, then every bar since, capped to the latest `cap` bars (the oldest drop out first:
 * warm-up, then early live bars). `closeTimes` ascending; `startedAt` the first start (ms).
 * A bar closing exactly at the start counts as warm-up (it closed before the bot ran).
 */
export function barWindow(
  closeTimes: ArrayLike<number>,
  startedAt: number,
  warmupBars: number,
  cap = MAX_WINDOW_BARS,
): BarWindow {
  const n = closeTimes.length;
  let firstLive = n;
  for (let i = 0; i < n; i++) {
    if (closeTimes[i]! > startedAt) {
      firstLive = i;
      break;
    }
  }
  let from = Math.max(0, firstLive - Math.max(0, warmupBars));
  if (n - from > cap) from = n - cap;
  return { from, firstLive };
}
