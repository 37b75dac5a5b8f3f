/**
 * Named indicator conventions. Reference tools agree on the formulas of Wilder's indicators
 * but not on where they start or on the order of the floating-point operations, so the same
 * bars give different ATR/RSI values for the first ~100 bars (and different last digits
 * after that). A backtest names the convention it uses and echoes it in its assumptions.
 *
 * - `tradingview` (default, Bourse's original behaviour): TradingView's `ta.tr(true)`,
 *   `ta.rma`, `ta.atr`, `ta.rsi` — the first true range is high − low, so ATR(n) starts at
 *   bar n−1; RMA step `prev + (x − prev)/n`; RSI 100 when the average loss is 0.
 * - `talib`: TA-Lib's `TA_TRANGE`, `TA_ATR`, `TA_RSI` (default compatibility, no unstable
 *   period), which backtrader's `ATR`/`RSI` follow too — the first true range needs a
 *   previous close (bar 1), so ATR(n) starts at bar n; Wilder step `(prev·(n−1) + x)/n`
 *   computed exactly as TA-Lib does; RSI = 100·G/(G+L), 0 when G+L is (nearly) 0.
 */
export const INDICATOR_CONVENTIONS = ['tradingview', 'talib'] as const;
/** One of `INDICATOR_CONVENTIONS`. */
export type IndicatorConvention = (typeof INDICATOR_CONVENTIONS)[number];
/** The convention used when a run names none: today's behaviour. */
export const DEFAULT_INDICATOR_CONVENTION: IndicatorConvention = 'tradingview';

/** TA-Lib 0.4's `TA_IS_ZERO` bound (ta_utility.h), used by its RSI for G + L. */
export const TALIB_ZERO = 0.00000001;

/** Wilder's smoothing step as TA-Lib writes it: multiply by n−1, add, divide by n. */
export function wilderStep(prev: number, x: number, period: number): number {
  let v = prev * (period - 1);
  v += x;
  return v / period;
}
