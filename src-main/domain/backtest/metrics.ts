import type { BarInterval } from '../candles/interval';
import type { Trade } from './account';
import type { MetricsSettings } from './assumptions';
import { toMinor } from './money';
import { periodsPerYear } from './periods';
import {
  downsideDev,
  drawdownCurve,
  longestDrawdown,
  mean,
  periodReturns,
  stdDev,
} from './statistics';

/**
 * Performance metrics. Ratios are fractions (0.1 = 10 %); money in major units. NaN means
 * "undefined" (e.g. Sharpe of a constant curve, profit factor without trades) and is
 * exported as null. Formulas (also in docs/backtesting.md), with E_0 = initial cash,
 * E_1..E_n the equity at each bar close, r_i = E_i/E_(i-1) - 1, P = periods per year:
 *
 * - totalReturn = E_n/E_0 - 1;  years = n/P;  cagr = (E_n/E_0)^(1/years) - 1
 * - rf per period = (1 + riskFreeRate)^(1/P) - 1;  x_i = r_i - rf
 * - annualVolatility = sd(r) sqrt(P), sd with divisor n-1 (sample) or n (population)
 * - sharpe = mean(x)/sd(x) sqrt(P);  sortino = mean(x)/dd(x) sqrt(P) with
 *   dd(x) = sqrt(sum(min(x_i,0)^2)/n) over all n periods
 * - with returnsBasis 'trade', r is each trade's returnPct and P = trades per year
 * - maxDrawdown = max_i (1 - E_i/peak_i), peak_i = max(E_0..E_i); duration = longest
 *   peak-to-recovery stretch in bars and ms (to the end if not recovered)
 * - calmar = cagr / maxDrawdown
 * - winRate = wins/trades (net P&L > 0; a zero-P&L trade is neither win nor loss);
 *   profitFactor = sum(wins)/|sum(losses)| (Infinity with no losses);
 *   expectancy = sum(net P&L)/trades; avgWin, avgLoss (negative) per winning/losing trade
 * - exposure = bars with a non-zero position at the close / n
 */
export interface Metrics {
  startEquity: number;
  endEquity: number;
  netProfit: number;
  totalReturn: number;
  cagr: number;
  annualVolatility: number;
  sharpe: number;
  sortino: number;
  calmar: number;
  maxDrawdown: number;
  maxDrawdownDurationBars: number;
  maxDrawdownDurationMs: number;
  tradeCount: number;
  winRate: number;
  profitFactor: number;
  expectancy: number;
  avgWin: number;
  avgLoss: number;
  largestWin: number;
  largestLoss: number;
  totalFees: number;
  exposure: number;
  periodsPerYear: number;
  years: number;
}

/** Inputs of `computeMetrics`: the curves and trades of a result. */
export interface MetricsInput {
  startEquity: number;
  equity: ArrayLike<number>;
  time: ArrayLike<number>;
  position: ArrayLike<number>;
  trades: readonly Trade[];
  currencyScale: number;
  interval: BarInterval | null;
  settings: MetricsSettings;
  /** The drawdown curve when the caller already has it (saves a pass). */
  drawdown?: Float64Array;
}

/** Risk/return ratios over a list of returns with `p` periods per year. */
function ratios(
  r: ArrayLike<number>,
  p: number,
  s: MetricsSettings,
): Pick<Metrics, 'annualVolatility' | 'sharpe' | 'sortino'> {
  const ddof = s.stdDev === 'sample' ? 1 : 0;
  const rf = (1 + s.riskFreeRate) ** (1 / p) - 1;
  const x = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) x[i] = r[i]! - rf;
  const sd = stdDev(r, ddof);
  const sdx = stdDev(x, ddof);
  const dd = downsideDev(x);
  const k = Math.sqrt(p);
  return {
    annualVolatility: sd * k,
    sharpe: sdx > 0 ? (mean(x) / sdx) * k : NaN,
    sortino: dd > 0 ? (mean(x) / dd) * k : NaN,
  };
}

/** Trade statistics in major units. */
function tradeStats(
  trades: readonly Trade[],
  unit: number,
): Pick<
  Metrics,
  | 'tradeCount'
  | 'winRate'
  | 'profitFactor'
  | 'expectancy'
  | 'avgWin'
  | 'avgLoss'
  | 'largestWin'
  | 'largestLoss'
> {
  let wins = 0;
  let losses = 0;
  let sumWin = 0;
  let sumLoss = 0;
  let largestWin = NaN;
  let largestLoss = NaN;
  for (const t of trades) {
    const p = t.netPnlMinor;
    if (p > 0) {
      wins++;
      sumWin += p;
      if (!(p <= largestWin * unit)) largestWin = p / unit;
    } else if (p < 0) {
      losses++;
      sumLoss += p;
      if (!(p >= largestLoss * unit)) largestLoss = p / unit;
    }
  }
  const n = trades.length;
  return {
    tradeCount: n,
    winRate: n > 0 ? wins / n : NaN,
    profitFactor: losses > 0 ? sumWin / -sumLoss : wins > 0 ? Infinity : NaN,
    expectancy: n > 0 ? (sumWin + sumLoss) / n / unit : NaN,
    avgWin: wins > 0 ? sumWin / wins / unit : NaN,
    avgLoss: losses > 0 ? sumLoss / losses / unit : NaN,
    largestWin,
    largestLoss,
  };
}

/** Computes every metric; see the `Metrics` doc comment for the formulas. */
export function computeMetrics(m: MetricsInput): Metrics {
  const n = m.equity.length;
  const unit = 10 ** m.currencyScale;
  const end = n > 0 ? m.equity[n - 1]! : m.startEquity;
  const p = periodsPerYear(m.settings, m.interval, m.time);
  const years = n / p;
  const totalReturn = end / m.startEquity - 1;
  const cagr = years > 0 && end > 0 ? (end / m.startEquity) ** (1 / years) - 1 : NaN;
  const dd = m.drawdown ?? drawdownCurve(m.startEquity, m.equity);
  let maxDd = 0;
  for (let i = 0; i < n; i++) maxDd = Math.max(maxDd, -dd[i]!);
  const dur = longestDrawdown(m.startEquity, m.equity, m.time);
  const byTrade = m.settings.returnsBasis === 'trade';
  const r = byTrade ? m.trades.map((t) => t.returnPct) : periodReturns(m.startEquity, m.equity);
  const rp = byTrade ? (years > 0 ? m.trades.length / years : NaN) : p;
  let exposed = 0;
  for (let i = 0; i < n; i++) if (m.position[i] !== 0) exposed++;
  let fees = 0;
  for (const t of m.trades) fees += t.feesMinor;
  return {
    startEquity: m.startEquity,
    endEquity: end,
    // From minor units so a flat account reports an exact cent figure, not float noise.
    netProfit: (toMinor(end, m.currencyScale) - toMinor(m.startEquity, m.currencyScale)) / unit,
    totalReturn,
    cagr,
    ...ratios(r, rp, m.settings),
    calmar: maxDd > 0 ? cagr / maxDd : NaN,
    maxDrawdown: maxDd,
    maxDrawdownDurationBars: dur.bars,
    maxDrawdownDurationMs: dur.ms,
    ...tradeStats(m.trades, unit),
    totalFees: fees / unit,
    exposure: n > 0 ? exposed / n : NaN,
    periodsPerYear: p,
    years,
  };
}
