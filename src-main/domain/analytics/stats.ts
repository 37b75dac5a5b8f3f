import type { DecimalText } from '../money';
import { WEEKDAYS, wallClock } from './calendar';
import { average, fx, ratio, text } from './fixed';
import type { RoundTrip } from './round-trips';

/**
 * Trade statistics of round trips in one currency, by the backtester's definitions
 * (`domain/backtest/metrics.ts`), exactly:
 * - winRate = wins / trades (net P&L > 0 wins, < 0 loses, 0 is neither);
 * - profitFactor = Σ wins / |Σ losses| (null with no losing trade: infinite, or no trades);
 * - expectancy = Σ net / trades; avgWin = Σ wins / wins; avgLoss = Σ losses / losses (< 0);
 * - maxDrawdown on the realised equity curve E_0 = start, E_i = E_(i-1) + net_i in close
 *   order: amount = max(peak_i − E_i), percent = max(1 − E_i / peak_i) over peaks > 0.
 * Figures that divide by zero are null. Ratios have 6 decimals; averages the money scale.
 */
export interface TradeStats {
  trades: number;
  wins: number;
  losses: number;
  winRate: DecimalText | null;
  grossPnl: DecimalText;
  fees: DecimalText;
  netPnl: DecimalText;
  grossProfit: DecimalText;
  grossLoss: DecimalText;
  profitFactor: DecimalText | null;
  expectancy: DecimalText | null;
  avgWin: DecimalText | null;
  avgLoss: DecimalText | null;
  largestWin: DecimalText | null;
  largestLoss: DecimalText | null;
  maxDrawdown: DecimalText;
  maxDrawdownPct: DecimalText | null;
}

/** Statistics of `trips` (one currency); `start` is E_0 of the drawdown curve. */
export function tradeStats(
  trips: readonly RoundTrip[],
  moneyScale: number,
  start: DecimalText = '0',
): TradeStats {
  let wins = 0;
  let losses = 0;
  let sumWin = 0n;
  let sumLoss = 0n;
  let gross = 0n;
  let fees = 0n;
  let largestWin: bigint | null = null;
  let largestLoss: bigint | null = null;
  const ordered = [...trips].sort((a, b) => a.closedAt - b.closedAt);
  const dd = new Drawdown(fx(start));
  for (const t of ordered) {
    const net = fx(t.netPnl);
    gross += fx(t.grossPnl);
    fees += fx(t.fees);
    if (net > 0n) {
      wins++;
      sumWin += net;
      if (largestWin === null || net > largestWin) largestWin = net;
    } else if (net < 0n) {
      losses++;
      sumLoss += net;
      if (largestLoss === null || net < largestLoss) largestLoss = net;
    }
    dd.step(net);
  }
  const n = BigInt(ordered.length);
  return {
    trades: ordered.length,
    wins,
    losses,
    winRate: ratio(BigInt(wins), n),
    grossPnl: text(gross),
    fees: text(fees),
    netPnl: text(sumWin + sumLoss),
    grossProfit: text(sumWin),
    grossLoss: text(sumLoss),
    profitFactor: losses === 0 ? null : ratio(sumWin, -sumLoss),
    expectancy: average(sumWin + sumLoss, ordered.length, moneyScale),
    avgWin: average(sumWin, wins, moneyScale),
    avgLoss: average(sumLoss, losses, moneyScale),
    largestWin: largestWin === null ? null : text(largestWin),
    largestLoss: largestLoss === null ? null : text(largestLoss),
    maxDrawdown: text(dd.amount),
    maxDrawdownPct: dd.worst ? ratio(dd.worst.fall, dd.worst.peak) : null,
  };
}

/** The running peak and the deepest fall below it, as the backtester measures it. */
class Drawdown {
  private equity: bigint;
  private peak: bigint;
  amount = 0n;
  /** The deepest fall as a fraction of its peak (compared exactly), once a peak is > 0. */
  worst: { fall: bigint; peak: bigint } | null = null;

  constructor(start: bigint) {
    this.equity = start;
    this.peak = start;
    if (start > 0n) this.worst = { fall: 0n, peak: start };
  }

  step(net: bigint): void {
    this.equity += net;
    if (this.equity > this.peak) this.peak = this.equity;
    const fall = this.peak - this.equity;
    if (fall > this.amount) this.amount = fall;
    // fall/peak > worst.fall/worst.peak, cross-multiplied (both peaks are positive).
    if (this.peak > 0n && (!this.worst || fall * this.worst.peak > this.worst.fall * this.peak)) {
      this.worst = { fall, peak: this.peak };
    }
  }
}

/** A bucket of round trips and its statistics. */
export interface Group<K extends string | number> {
  key: K;
  stats: TradeStats;
}

/** Round trips grouped by `keyOf`, each group's statistics (its curve starting at 0). */
export function groupBy<K extends string | number>(
  trips: readonly RoundTrip[],
  keyOf: (t: RoundTrip) => K,
  moneyScale: number,
  keys?: readonly K[],
): Array<Group<K>> {
  const groups = new Map<K, RoundTrip[]>();
  for (const k of keys ?? []) groups.set(k, []);
  for (const t of trips) {
    const k = keyOf(t);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(t);
  }
  const out = [...groups].map(([key, list]) => ({ key, stats: tradeStats(list, moneyScale) }));
  if (!keys) out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}

/** The full analytics of one currency's round trips. */
export interface CurrencyAnalytics {
  currency: string;
  overall: TradeStats;
  byMarket: Array<Group<string>>;
  byAccount: Array<Group<string>>;
  byVenue: Array<Group<string>>;
  bySource: Array<Group<string>>;
  /** 24 buckets, hour of the close in the caller's zone. */
  byHour: Array<Group<number>>;
  /** Mon..Sun, day of the close in the caller's zone. */
  byWeekday: Array<Group<string>>;
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/**
 * Analytics per currency (amounts of different currencies are never added). `scaleOf`
 * gives a currency's money scale; `startOf` its drawdown curve's E_0.
 */
export function analyse(
  trips: readonly RoundTrip[],
  opts: {
    timeZone: string;
    scaleOf: (currency: string) => number;
    startOf?: (currency: string) => DecimalText;
  },
): CurrencyAnalytics[] {
  const byCurrency = new Map<string, RoundTrip[]>();
  for (const t of trips) {
    let list = byCurrency.get(t.currency);
    if (!list) byCurrency.set(t.currency, (list = []));
    list.push(t);
  }
  return [...byCurrency.keys()].sort().map((currency) => {
    const list = byCurrency.get(currency)!;
    const scale = opts.scaleOf(currency);
    const clock = new Map<number, ReturnType<typeof wallClock>>();
    const at = (t: RoundTrip) => {
      let w = clock.get(t.closedAt);
      if (!w) clock.set(t.closedAt, (w = wallClock(t.closedAt, opts.timeZone)));
      return w;
    };
    return {
      currency,
      overall: tradeStats(list, scale, opts.startOf?.(currency) ?? '0'),
      byMarket: groupBy(list, (t) => t.market, scale),
      byAccount: groupBy(list, (t) => t.accountId, scale),
      byVenue: groupBy(list, (t) => t.venue, scale),
      bySource: groupBy(list, (t) => t.source, scale),
      byHour: groupBy(list, (t) => at(t).hour, scale, HOURS),
      byWeekday: groupBy(list, (t) => at(t).weekday, scale, WEEKDAYS),
    };
  });
}
