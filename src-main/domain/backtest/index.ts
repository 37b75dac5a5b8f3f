/** The backtesting core: engine, strategies, metrics, sweep and export. */
export type { Trade, ExitReason } from './account';
export type {
  AssumptionsInput,
  BacktestAssumptions,
  Commission,
  Instrument,
  MetricsSettings,
  Sizing,
  Slippage,
} from './assumptions';
export { DEFAULT_ASSUMPTIONS, resolveAssumptions, commissionFor } from './assumptions';
export type { BacktestConfig } from './engine';
export { runBacktest } from './engine';
export { equityToCsv, resultToJson, tradesToCsv } from './export';
export type { LookaheadReport } from './lookahead';
export { detectLookahead } from './lookahead';
export type { Metrics, MetricsInput } from './metrics';
export { computeMetrics } from './metrics';
export { formatMinor, fromMinor, toMinor } from './money';
export type { Order, OrderRequest, OrderSide, OrderStatus, OrderType } from './orders';
export { fillPriceOn } from './orders';
export { periodsPerYear } from './periods';
export type { StrategyInfo } from './registry';
export { BUILT_IN_STRATEGIES, StrategyRegistry, createBuiltInRegistry } from './registry';
export type { BacktestResult } from './result';
export type {
  ParamSpec,
  ParamValue,
  ParamValues,
  Strategy,
  StrategyContext,
  StrategyDefinition,
} from './strategy';
export { defineStrategy, resolveParams } from './strategy';
export type { ParamRange, SweepOptions, SweepResult, SweepRun } from './sweep';
export { MAX_GRID_SIZE, parameterGrid, rangeValues, runSweep } from './sweep';
