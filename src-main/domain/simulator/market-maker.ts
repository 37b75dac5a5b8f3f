import type { MakerConfig } from './config';
import type { Prng } from './prng';

/** Side of an order. */
export type Side = 'buy' | 'sell';

/** One of the maker's resting quotes as the book reports it. */
export interface OwnQuote {
  clientOrderId: string;
  /** Engine order id when known; carried into cancels. */
  orderId?: string | number;
  side: Side;
  /** Price, ticks. */
  price: number;
  /** Remaining quantity, lots. */
  qty: number;
}

/** A quote the maker wants resting. */
export interface QuoteIntent {
  side: Side;
  price: number;
  qty: number;
}

/**
 * Best prices of the book (preferably excluding the maker's own quotes). New post-only
 * quotes are kept strictly inside them so the engine does not reject them for crossing.
 */
export interface BookBounds {
  bestBid?: number;
  bestAsk?: number;
}

/** What the maker should do: cancel first, then place. */
export interface MakerPlan {
  cancels: OwnQuote[];
  places: QuoteIntent[];
}

/** Quote centre in ticks: the reference moved against inventory (long → lower). */
export function skewedCentre(ref: number, inventory: number, cfg: MakerConfig): number {
  const ratio = Math.max(-1, Math.min(1, inventory / cfg.maxInventory));
  return ref * (1 - (ratio * cfg.inventorySkewBps) / 10_000);
}

function jittered(cfg: MakerConfig, rng: Prng): number {
  const u = rng.next() * 2 - 1;
  return Math.max(1, Math.round(cfg.sizePerLevel * (1 + cfg.sizeJitter * u)));
}

/**
 * The ideal ladder: `levels` quotes per side around the skewed centre, each strictly on
 * its side of the reference (a post-only quote never crosses it) and of the book, prices
 * strictly monotonic. A side is dropped once inventory reaches ±maxInventory.
 */
export function desiredQuotes(
  ref: number,
  inventory: number,
  cfg: MakerConfig,
  rng: Prng,
  bounds: BookBounds = {},
): QuoteIntent[] {
  const centre = skewedCentre(ref, inventory, cfg);
  const out: QuoteIntent[] = [];
  let bidCap = Math.min(ref - 1, (bounds.bestAsk ?? Infinity) - 1);
  let askFloor = Math.max(ref + 1, (bounds.bestBid ?? -Infinity) + 1);
  for (let i = 0; i < cfg.levels; i++) {
    const off = (cfg.spreadBps / 2 + i * cfg.levelSpacingBps) / 10_000;
    const bidQty = jittered(cfg, rng);
    const askQty = jittered(cfg, rng);
    const bid = Math.min(Math.floor(centre * (1 - off)), bidCap);
    const ask = Math.max(Math.ceil(centre * (1 + off)), askFloor);
    if (inventory < cfg.maxInventory && bid >= 1)
      out.push({ side: 'buy', price: bid, qty: bidQty });
    if (inventory > -cfg.maxInventory) out.push({ side: 'sell', price: ask, qty: askQty });
    bidCap = bid - 1;
    askFloor = ask + 1;
  }
  return out;
}

function stillValid(q: OwnQuote, ref: number): boolean {
  return q.qty > 0 && (q.side === 'buy' ? q.price < ref : q.price > ref);
}

/**
 * The minimal change from the resting quotes to the desired ladder: a resting quote is kept
 * when it is still on its side of the reference, within `refreshThresholdBps` of a desired
 * level of its side, and at least half that level's size; everything else is cancelled,
 * and desired levels left without a kept quote are placed.
 */
export function planQuotes(
  desired: readonly QuoteIntent[],
  own: readonly OwnQuote[],
  ref: number,
  cfg: MakerConfig,
): MakerPlan {
  const threshold = (ref * cfg.refreshThresholdBps) / 10_000;
  const free = own.filter((q) => stillValid(q, ref));
  const cancels = own.filter((q) => !stillValid(q, ref));
  const places: QuoteIntent[] = [];
  for (const d of desired) {
    let best = -1;
    for (const [i, q] of free.entries()) {
      const dist = Math.abs(q.price - d.price);
      if (q.side !== d.side || dist > threshold || 2 * q.qty < d.qty) continue;
      if (best < 0 || dist < Math.abs((free[best]?.price ?? 0) - d.price)) best = i;
    }
    if (best >= 0) free.splice(best, 1);
    else places.push(d);
  }
  return { cancels: [...cancels, ...free], places };
}
