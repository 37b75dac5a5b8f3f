import type { MarketTrade } from './types';

const MINUTE = 60_000;
/** Buckets in the rolling window: one per minute of 24 h. */
export const TICKER_BUCKETS = 1440;
/** Window length in ms. */
export const TICKER_WINDOW_MS = TICKER_BUCKETS * MINUTE;

/** Rolling 24 h statistics of one market. Prices in ticks; empty window gives nulls. */
export interface Ticker24h {
  open: number | null;
  high: number | null;
  low: number | null;
  last: number | null;
  /** Σ qty in lots over the window (exact bigint). */
  volume: bigint;
  /** Σ price × qty in tick·lots over the window (exact bigint). */
  quoteVolume: bigint;
  /** last − open, ticks (0 when empty). */
  change: number;
  /** Change in basis points of open, rounded half away from zero (123 = 1.23 %). */
  changeBps: number;
  /** The same as a percent string with exactly two decimals, e.g. "-1.23". */
  changePercent: string;
  trades: number;
  /** Start of the oldest minute still in the window (ms). */
  windowStart: number;
}

interface Bucket {
  minute: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: bigint;
  quoteVolume: bigint;
  trades: number;
}

/**
 * Incremental 24 h ticker. Memory is bounded by 1,440 per-minute buckets in a ring; the
 * window is the current minute and the 1,439 before it, so a trade at `t` leaves the
 * statistics exactly when `now` reaches `floor(t / 1m) · 1m + 24 h` (one-minute
 * granularity, as on most venues). Trades must arrive in time order; a trade older than
 * the window is ignored.
 */
export class TickerWindow {
  private readonly ring: (Bucket | undefined)[] = new Array<Bucket | undefined>(TICKER_BUCKETS);
  private lastMinute = Number.NEGATIVE_INFINITY;

  /** Folds a trade into its minute bucket. */
  addTrade(t: MarketTrade): void {
    const minute = Math.floor(t.ts / MINUTE);
    if (minute <= this.lastMinute - TICKER_BUCKETS) return;
    if (minute > this.lastMinute) this.lastMinute = minute;
    const slot = mod(minute, TICKER_BUCKETS);
    const quote = BigInt(t.price) * BigInt(t.qty);
    const b = this.ring[slot];
    if (b === undefined || b.minute !== minute) {
      this.ring[slot] = {
        minute,
        open: t.price,
        high: t.price,
        low: t.price,
        close: t.price,
        volume: BigInt(t.qty),
        quoteVolume: quote,
        trades: 1,
      };
      return;
    }
    b.high = Math.max(b.high, t.price);
    b.low = Math.min(b.low, t.price);
    b.close = t.price;
    b.volume += BigInt(t.qty);
    b.quoteVolume += quote;
    b.trades += 1;
  }

  /** Statistics of the window ending at `now` (evicts older buckets as a side effect). */
  snapshot(now: number): Ticker24h {
    const nowMinute = Math.floor(now / MINUTE);
    const first = nowMinute - TICKER_BUCKETS + 1;
    const live: Bucket[] = [];
    for (let i = 0; i < TICKER_BUCKETS; i++) {
      const b = this.ring[i];
      if (b === undefined) continue;
      if (b.minute < first) this.ring[i] = undefined;
      else if (b.minute <= nowMinute) live.push(b);
    }
    live.sort((a, b) => a.minute - b.minute);
    return summarise(live, first * MINUTE);
  }
}

function emptyTicker(windowStart: number): Ticker24h {
  return {
    open: null,
    high: null,
    low: null,
    last: null,
    volume: 0n,
    quoteVolume: 0n,
    change: 0,
    changeBps: 0,
    changePercent: '0.00',
    trades: 0,
    windowStart,
  };
}

function summarise(live: readonly Bucket[], windowStart: number): Ticker24h {
  const head = live[0];
  const tail = live.at(-1);
  if (head === undefined || tail === undefined) return emptyTicker(windowStart);
  const t = { ...emptyTicker(windowStart), open: head.open, high: head.high, low: head.low };
  for (const b of live) {
    t.high = Math.max(t.high, b.high);
    t.low = Math.min(t.low, b.low);
    t.volume += b.volume;
    t.quoteVolume += b.quoteVolume;
    t.trades += b.trades;
  }
  const change = tail.close - head.open;
  const changeBps = ratioBps(change, head.open);
  return { ...t, last: tail.close, change, changeBps, changePercent: formatBps(changeBps) };
}

/** round(change × 10,000 / open), half away from zero, in exact integer arithmetic. */
export function ratioBps(change: number, open: number): number {
  const num = BigInt(change) * 10_000n;
  const den = BigInt(open);
  const q = num / den;
  const r = num % den;
  const neg = num < 0n;
  const abs = (v: bigint): bigint => (v < 0n ? -v : v);
  const up = 2n * abs(r) >= abs(den);
  return Number(up ? q + (neg ? -1n : 1n) : q);
}

/** Basis points as a percent with two decimals: 123 → "1.23", -5 → "-0.05". */
export function formatBps(bps: number): string {
  const sign = bps < 0 ? '-' : '';
  const a = Math.abs(bps);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
