import type { BarInterval } from '../candles/interval';
import type { Trade } from './account';
import type { BacktestAssumptions } from './assumptions';
import type { Metrics } from './metrics';
import { computeMetrics } from './metrics';
import { toMinor } from './money';
import type { Order } from './orders';
import type { RunState } from './run-state';
import { drawdownCurve } from './statistics';
import type { ParamValues } from './strategy';

/**
 * Everything a backtest produced, with the full assumption set echoed. Curves are aligned
 * with `time` (one entry per processed bar); money totals are exact integers in minor units
 * (`*Minor`, scale `assumptions.currencyScale`) besides their major-unit numbers.
 */
export interface BacktestResult {
  status: 'completed' | 'cancelled';
  strategyId: string;
  params: ParamValues;
  assumptions: BacktestAssumptions;
  interval: BarInterval | null;
  totalBars: number;
  barsProcessed: number;
  /** The run stopped because equity reached 0 (position liquidated at that close). */
  bankrupt: boolean;
  time: Float64Array;
  /** Equity at each bar close (cash exact + position marked in float64). */
  equity: Float64Array;
  /** Drawdown from the running peak at each bar, <= 0. */
  drawdown: Float64Array;
  /** Signed position at each bar close. */
  position: Float64Array;
  trades: Trade[];
  orders: Order[];
  initialCashMinor: number;
  finalCashMinor: number;
  totalFeesMinor: number;
  metrics: Metrics;
}

/** Parts of a result the engine knows at the end of the loop. */
export interface ResultParts {
  state: RunState;
  strategyId: string;
  params: ParamValues;
  interval: BarInterval | null;
  status: 'completed' | 'cancelled';
  bankrupt: boolean;
  barsProcessed: number;
  equity: Float64Array;
  position: Float64Array;
}

/** Assembles the result and computes its metrics. */
export function buildResult(p: ResultParts): BacktestResult {
  const a = p.state.assumptions;
  const acct = p.state.account;
  const time = p.state.candles.time.subarray(0, p.barsProcessed);
  const start = a.initialCash;
  const drawdown = drawdownCurve(start, p.equity);
  return {
    status: p.status,
    strategyId: p.strategyId,
    params: p.params,
    assumptions: a,
    interval: p.interval,
    totalBars: p.state.candles.length,
    barsProcessed: p.barsProcessed,
    bankrupt: p.bankrupt,
    time,
    equity: p.equity,
    drawdown,
    position: p.position,
    trades: acct.trades,
    orders: p.state.orders,
    initialCashMinor: toMinor(start, a.currencyScale),
    finalCashMinor: acct.cashMinor,
    totalFeesMinor: acct.totalFeesMinor,
    metrics: computeMetrics({
      startEquity: start,
      equity: p.equity,
      time,
      position: p.position,
      trades: acct.trades,
      currencyScale: a.currencyScale,
      interval: p.interval,
      settings: a.metrics,
      drawdown,
    }),
  };
}
