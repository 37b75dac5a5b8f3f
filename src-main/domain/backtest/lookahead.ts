import { sliceCandles } from '../candles/candles';
import type { BacktestConfig } from './engine';
import { runBacktest } from './engine';
import type { Order } from './orders';
import { trails } from './orders';
import type { BacktestResult } from './result';

/** Outcome of `detectLookahead`. */
export interface LookaheadReport {
  ok: boolean;
  /** Prefix lengths that were compared. */
  cuts: number[];
  /** First bar where a prefix run differed from the full run, with the prefix length. */
  divergence: { cut: number; bar: number } | null;
}

/** What was asked for the price: a trailing stop's distance, as its `price` moves with the
 * bars after it was placed (a shorter run leaves it elsewhere), else the price. */
function asked(o: Order): string {
  if (!trails(o)) return String(o.price);
  return Number.isNaN(o.trailAmount) ? `trail${o.trailPercent}%` : `trail${o.trailAmount}`;
}

/** Orders as decided: what was asked and when (not their outcome). */
function decisions(r: BacktestResult, cut: number): string[] {
  return r.orders
    .filter((o) => o.submittedIndex < cut)
    .map(
      (o) =>
        `${o.submittedIndex}:${o.side}:${o.type}:${o.quantity}:${asked(o)}:${o.closesPosition}`,
    );
}

/** First bar < cut where the prefix run and the full run differ, or -1. */
function firstDifference(part: BacktestResult, full: BacktestResult, cut: number): number {
  for (let i = 0; i < cut; i++) {
    if (part.equity[i] !== full.equity[i] || part.position[i] !== full.position[i]) return i;
  }
  const a = decisions(part, cut);
  const b = decisions(full, cut);
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    if (a[k] !== b[k]) return Number((a[k] ?? b[k] ?? '0').split(':')[0]);
  }
  return -1;
}

/**
 * Checks a strategy for lookahead by running it on prefixes of the data: a strategy that
 * only reads bars <= ctx.index must produce, on the first k bars, exactly the equity,
 * position and order decisions it produces on those bars in the full run. The strategy gets the whole series as
 * typed arrays for speed, so this check (cost: `cuts` extra runs) is how user strategies are
 * verified. It is a check, not a proof: peeking that never changes a decision near a cut
 * goes unseen, so more cuts catch more. Cut points are spread evenly; `closeAtEnd` is
 * disabled for the comparison.
 */
export function detectLookahead(config: BacktestConfig, cuts = 3): LookaheadReport {
  const base = { ...config, onProgress: undefined, isCancelled: undefined };
  const assumptions = { ...config.assumptions, closeAtEnd: false };
  const full = runBacktest({ ...base, assumptions });
  const n = config.candles.length;
  const points = Array.from({ length: cuts }, (_, k) => Math.floor(((k + 1) * n) / (cuts + 1)));
  for (const cut of points.filter((p) => p > 0)) {
    const part = runBacktest({
      ...base,
      assumptions,
      candles: sliceCandles(config.candles, 0, cut),
    });
    const bar = firstDifference(part, full, cut);
    if (bar >= 0) return { ok: false, cuts: points, divergence: { cut, bar } };
  }
  return { ok: true, cuts: points, divergence: null };
}
