import type { CandleInterval, MarketTrade } from './types';
import { INTERVAL_MS, bucketStart } from './types';

/**
 * One OHLCV bar. A bar exists only if at least one trade happened in its bucket: quiet
 * periods leave gaps (see `fillGaps` for charts that want a continuous series).
 *
 * `volume` is in lots as a `number`: a sum of safe-integer lots stays exact below 2^53
 * lots, far beyond any real traded amount. `quoteVolume` is Σ price × qty in tick·lots
 * and is a `bigint` because ticks × lots overflows 2^53 quickly (65,000 USDT is 6.5·10^6
 * ticks, 1 BTC is 10^4 lots: 140k BTC would already be unsafe).
 */
export interface Candle {
  interval: CandleInterval;
  /** Bucket start, ms since epoch, UTC. */
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Σ qty in lots. */
  volume: number;
  /** Σ price × qty in tick·lots. */
  quoteVolume: bigint;
  /** Number of trades in the bar. */
  trades: number;
}

/** What `CandleBuilder.addTrade` reports: the open bar after the trade, and bars it closed. */
export interface CandleUpdate {
  /** The bar the trade went into, as it stands now (a copy: safe to publish). */
  updated: Candle;
  /** Bars closed by this trade (at most one: gaps create no bars). */
  closed?: Candle[];
}

/** The exclusive end of a candle's bucket. */
export function candleEnd(c: Candle): number {
  return c.openTime + INTERVAL_MS[c.interval];
}

/** Opens a bar from its first trade (`quote` is price × qty, when the caller has it). */
export function candleFromTrade(
  interval: CandleInterval,
  t: MarketTrade,
  quote: bigint = BigInt(t.price) * BigInt(t.qty),
): Candle {
  return {
    interval,
    openTime: bucketStart(t.ts, interval),
    open: t.price,
    high: t.price,
    low: t.price,
    close: t.price,
    volume: t.qty,
    quoteVolume: quote,
    trades: 1,
  };
}

/** Folds one more trade into a bar (mutates: builder-internal). */
function foldTrade(c: Candle, t: MarketTrade, quote: bigint): void {
  if (t.price > c.high) c.high = t.price;
  if (t.price < c.low) c.low = t.price;
  c.close = t.price;
  c.volume += t.qty;
  c.quoteVolume += quote;
  c.trades += 1;
}

/**
 * Incremental candle building for one (market, interval). Trades must arrive in engine
 * order; the engine's clock never runs backwards for a market, but if a trade is stamped
 * before the open bar (a clock step back) it is counted in the open bar rather than lost
 * or reopening a published bar.
 */
export class CandleBuilder {
  private bar: Candle | undefined;

  /** `open` restores the open bar after a restart (e.g. from the last stored candle). */
  constructor(
    readonly interval: CandleInterval,
    open?: Candle,
  ) {
    if (open && open.interval !== interval) throw new Error('candle interval mismatch');
    this.bar = open ? { ...open } : undefined;
  }

  /** Adds a trade; a trade in a later bucket closes the open bar and opens a new one. */
  addTrade(t: MarketTrade): CandleUpdate {
    const closed = this.fold(t, BigInt(t.price) * BigInt(t.qty));
    const updated = { ...(this.bar as Candle) };
    return closed ? { updated, closed: [closed] } : { updated };
  }

  /**
   * `addTrade` without copies, for a caller that folds many trades and reads the open bar
   * once (`current`) afterwards: mutates the open bar and returns the bar this trade closed,
   * if any (no longer held here, so it is the caller's). `quote` is price × qty.
   */
  fold(t: MarketTrade, quote: bigint): Candle | undefined {
    const bar = this.bar;
    if (bar !== undefined && t.ts < candleEnd(bar)) {
      foldTrade(bar, t, quote);
      return undefined;
    }
    this.bar = candleFromTrade(this.interval, t, quote);
    return bar;
  }

  /**
   * Closes the open bar when `now` has passed its end, without waiting for the next trade
   * (so a chart sees the bar close on time). Returns the closed bar, if any.
   */
  closeDue(now: number): Candle | undefined {
    const bar = this.bar;
    if (bar === undefined || now < candleEnd(bar)) return undefined;
    this.bar = undefined;
    return { ...bar };
  }

  /** The open bar, if any (a copy). */
  current(): Candle | undefined {
    return this.bar ? { ...this.bar } : undefined;
  }
}

/** Builds every bar of a trade sequence at once (the batch form of `CandleBuilder`). */
export function candlesFromTrades(
  trades: Iterable<MarketTrade>,
  interval: CandleInterval,
): Candle[] {
  const builder = new CandleBuilder(interval);
  const out: Candle[] = [];
  for (const t of trades) {
    const u = builder.addTrade(t);
    if (u.closed) out.push(...u.closed);
  }
  const last = builder.current();
  if (last) out.push(last);
  return out;
}
