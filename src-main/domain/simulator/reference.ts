import type { ReferenceConfig } from './config';
import type { Prng } from './prng';

/** A year of 365 days in ms: the walk's volatility and drift are annualised over it. */
export const YEAR_MS = 365 * 24 * 3_600_000;

/** Weight of the latest step in the trend average (about the last five steps matter). */
const TREND_ALPHA = 0.2;

/** Latest reference price from outside (e.g. Kraken's public ticker), in ticks, if any. */
export type PriceFeed = () => number | undefined;

/** Reference price state; plain numbers so it serializes with the rest of the plan. */
export interface ReferenceState {
  /** Reference in ticks, unrounded (the walk compounds on the exact value). */
  price: number;
  /** Next point of the replay path. */
  cursor: number;
  /** Moving average of per-step returns, bps: the trend takers lean with. */
  trendBps: number;
  /** Time of the previous step, null before the first. */
  lastTs: number | null;
}

/** Data the reference reads that is not state: the replay path and the external feed. */
export interface ReferenceSources {
  /** Path of tick prices from `buildReplayPath`. */
  replay?: readonly number[];
  feed?: PriceFeed;
}

/** The initial state at `startPrice` ticks. */
export function initialReference(startPrice: number): ReferenceState {
  return { price: startPrice, cursor: 0, trendBps: 0, lastTs: null };
}

/** The published reference: the state's price rounded to a whole tick, at least 1. */
export function referenceTicks(r: ReferenceState): number {
  return Math.max(1, Math.round(r.price));
}

/** One geometric-Brownian step over `dtMs` (see `ReferenceConfig` for the formula). */
export function walkStep(
  price: number,
  dtMs: number,
  volPct: number,
  driftPct: number,
  rng: Prng,
): number {
  if (dtMs <= 0) return price;
  const dt = dtMs / YEAR_MS;
  const sigma = volPct / 100;
  const mu = driftPct / 100;
  const next =
    price * Math.exp((mu - (sigma * sigma) / 2) * dt + sigma * Math.sqrt(dt) * rng.normal());
  return Math.max(1, next);
}

function nextPrice(
  cfg: ReferenceConfig,
  r: ReferenceState,
  dtMs: number,
  rng: Prng,
  src: ReferenceSources,
): { price: number; cursor: number } {
  if (cfg.kind === 'walk') {
    return {
      price: walkStep(r.price, dtMs, cfg.annualVolPct, cfg.annualDriftPct, rng),
      cursor: r.cursor,
    };
  }
  if (cfg.kind === 'replay') {
    const path = src.replay;
    if (!path || path.length === 0) return { price: r.price, cursor: r.cursor };
    const i = r.cursor % path.length;
    return { price: path[i] ?? r.price, cursor: (i + 1) % path.length };
  }
  const v = src.feed?.();
  const usable = v !== undefined && Number.isFinite(v) && v >= 1;
  return { price: usable ? v : r.price, cursor: r.cursor };
}

/** Advances the reference to `now`; a step at or before the previous one does not move a walk. */
export function advanceReference(
  cfg: ReferenceConfig,
  r: ReferenceState,
  now: number,
  rng: Prng,
  src: ReferenceSources,
): ReferenceState {
  const dtMs = r.lastTs === null ? 0 : Math.max(0, now - r.lastTs);
  const { price, cursor } = nextPrice(cfg, r, dtMs, rng, src);
  const retBps = (price / r.price - 1) * 10_000;
  const trendBps = r.trendBps * (1 - TREND_ALPHA) + retBps * TREND_ALPHA;
  return { price, cursor, trendBps, lastTs: Math.max(now, r.lastTs ?? now) };
}
