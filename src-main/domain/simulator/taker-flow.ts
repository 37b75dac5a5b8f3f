import type { TakerConfig } from './config';
import type { Side } from './market-maker';
import type { Prng } from './prng';

/** A liquidity-taking order: market (no price) or IOC limit at `price` ticks. */
export interface TakerIntent {
  side: Side;
  qty: number;
  /** Limit price in ticks for IOC orders; absent for market orders. */
  price?: number;
}

/** Trend steepness: a 10 bps per-step trend is already a strong lean. */
const TREND_SCALE_BPS = 10;

/** Probability that an arrival buys: ½ tilted with the trend, never below 1 % or above 99 %. */
export function buyProbability(trendBps: number, cfg: TakerConfig): number {
  const p = 0.5 + cfg.trendBias * Math.tanh(trendBps / TREND_SCALE_BPS);
  return Math.min(0.99, Math.max(0.01, p));
}

/** Log-normal size around the median, rounded to lots and clamped to [minQty, maxQty]. */
export function takerSize(cfg: TakerConfig, rng: Prng): number {
  const raw = cfg.medianQty * Math.exp(cfg.sizeSigma * rng.normal());
  return Math.min(cfg.maxQty, Math.max(cfg.minQty, Math.round(raw)));
}

/**
 * Orders arriving over `dtMs`: a Poisson count with mean rate × seconds (capped at
 * maxPerStep), each with a trend-leaning random side and a log-normal size. `baseLots`,
 * when given, caps sells at what the taker holds so it does not spam rejected orders.
 */
export function takerOrders(
  cfg: TakerConfig,
  dtMs: number,
  ref: number,
  trendBps: number,
  rng: Prng,
  baseLots?: number,
): TakerIntent[] {
  const n = Math.min(cfg.maxPerStep, rng.poisson((cfg.ratePerSecond * dtMs) / 1000));
  const out: TakerIntent[] = [];
  let sellable = baseLots ?? Infinity;
  for (let i = 0; i < n; i++) {
    const side: Side = rng.next() < buyProbability(trendBps, cfg) ? 'buy' : 'sell';
    let qty = takerSize(cfg, rng);
    if (side === 'sell') {
      qty = Math.min(qty, sellable);
      if (qty < cfg.minQty) continue;
      sellable -= qty;
    }
    out.push(
      cfg.slippageBps > 0
        ? { side, qty, price: limitThrough(side, ref, cfg.slippageBps) }
        : { side, qty },
    );
  }
  return out;
}

/** IOC limit `bps` through the reference: above it for buys, below (≥ 1 tick) for sells. */
function limitThrough(side: Side, ref: number, bps: number): number {
  return side === 'buy'
    ? Math.ceil(ref * (1 + bps / 10_000))
    : Math.max(1, Math.floor(ref * (1 - bps / 10_000)));
}
