import type { Candles } from '../candles/candles';

/**
 * The shadow replay: the bot's strategy run as a backtest over its window of closed bars.
 *
 * The backtest engine fills an order submitted on bar i from bar i + 1. Live, the bot acts
 * right after the last bar closed, so the shadow adds one phantom bar after it whose open,
 * high, low and close are the last close: orders the strategy submitted on the last bar fill
 * there by the backtest's rules (a market order at the last close, plus spread and slippage;
 * a limit or stop only if the last close reaches it). The position after the phantom bar is
 * the target. Orders the strategy submits on the phantom bar itself are never filled (the
 * run ends there without closing the position).
 */
export function withPhantomBar(c: Candles, intervalMs: number): Candles {
  const n = c.length;
  if (n === 0) throw new RangeError('a shadow replay needs at least one bar');
  const grow = (a: Float64Array, v: number) => {
    const out = new Float64Array(n + 1);
    out.set(a);
    out[n] = v;
    return out;
  };
  const last = c.close[n - 1]!;
  return {
    length: n + 1,
    time: grow(c.time, c.time[n - 1]! + intervalMs),
    open: grow(c.open, last),
    high: grow(c.high, last),
    low: grow(c.low, last),
    close: grow(c.close, last),
    volume: grow(c.volume, 0),
    openInterest: c.openInterest ? grow(c.openInterest, c.openInterest[n - 1]!) : null,
  };
}

/** What a replay produced, as a built-in run (typed arrays) or a worker's JSON both give. */
export interface ShadowRun {
  equity: ArrayLike<number | null>;
  position: ArrayLike<number | null>;
  orders: ReadonlyArray<{
    submittedIndex: number;
    side: string;
    type: string;
    tag: string;
    closesPosition: boolean;
  }>;
  trades: ReadonlyArray<{ exitIndex: number }>;
}

/** The shadow's state after the last bar and its result over the live period. */
export interface ShadowSummary {
  /** Position after the phantom bar (float units). */
  position: number;
  /** Equity at the last close (major units, float: strategy math). */
  equity: number;
  /** Equity when the live period began (the capital when it began inside the window). */
  startEquity: number;
  /** equity − startEquity: the backtest's P&L over the live period. */
  pnl: number;
  /** Round trips closed during the live period. */
  trades: number;
  /** What the strategy asked for on the last bar, or null. */
  signal: string | null;
}

/**
 * Reads a replay over `window + phantom` bars: `firstLive` is the index (in the window) of
 * the first bar closed after the bot started, `capital` the equity the run began with.
 */
export function summarizeShadow(run: ShadowRun, firstLive: number, capital: number): ShadowSummary {
  const n = run.position.length;
  if (n < 2) throw new RangeError('a shadow run has its bars and the phantom bar');
  const at = (a: ArrayLike<number | null>, i: number) => a[i] ?? 0;
  const equity = at(run.equity, n - 1);
  const startEquity = firstLive > 0 && firstLive <= n - 1 ? at(run.equity, firstLive - 1) : capital;
  const lastReal = n - 2;
  const asked = run.orders.filter((o) => o.submittedIndex === lastReal);
  return {
    position: at(run.position, n - 1),
    equity,
    startEquity,
    pnl: equity - startEquity,
    trades: run.trades.filter((t) => t.exitIndex >= firstLive).length,
    signal: asked.length ? asked.map(describeOrder).join('; ') : null,
  };
}

function describeOrder(o: ShadowRun['orders'][number]): string {
  const what = o.closesPosition ? 'close' : `${o.side} ${o.type}`;
  return o.tag ? `${what} (${o.tag})` : what;
}
