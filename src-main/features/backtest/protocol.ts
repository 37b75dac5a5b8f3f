import type { AssumptionsInput, ParamSpec, ParamValues, SweepRun } from '../../domain/backtest';
import type { ParseCandlesOptions, ParseCandlesResult } from '../../domain/candles';

/** Candle arrays as they travel to a worker (copied by structured clone). */
export interface CandleArrays {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  openInterest: Float64Array | null;
}

/** Which strategy a worker runs: a built-in by id, or user source (compiled JavaScript). */
export type StrategyRef = { builtIn: string } | { userId: string; js: string };

/** Limits of the QuickJS sandbox user strategies run in (defaults: SANDBOX_DEFAULTS). */
export interface SandboxLimits {
  timeLimitMs?: number;
  memoryMb?: number;
}

/** The task handed to a worker in `workerData`. */
export type WorkerTask = WorkerJob & { sandbox?: SandboxLimits };

type WorkerJob =
  | { kind: 'describe'; strategy: { userId: string; js: string } }
  | { kind: 'parse'; text: string; options: ParseCandlesOptions }
  | {
      kind: 'backtest';
      strategy: StrategyRef;
      candles: CandleArrays;
      params: ParamValues;
      assumptions: AssumptionsInput;
    }
  | {
      kind: 'sweep';
      strategy: StrategyRef;
      candles: CandleArrays;
      grid: ParamValues[];
      assumptions: AssumptionsInput;
    };

/** What a finished backtest sends back: everything the service persists, serialised in
 * the worker so the backend thread never stringifies megabytes of curves. */
export interface BacktestOutcome {
  status: 'completed' | 'cancelled';
  barsProcessed: number;
  tradeCount: number;
  metrics: Record<string, number | null>;
  /** `resultToJson` of the full result. */
  json: string;
}

export interface SweepOutcome {
  status: 'completed' | 'cancelled';
  runs: SweepRun[];
}

/** A parsed import: candle arrays plus the report fields of `parseCandles`. */
export type ParseOutcome = Omit<ParseCandlesResult, 'candles' | 'layout'> & {
  candles: CandleArrays;
};

export interface DescribeOutcome {
  name: string;
  description: string;
  params: ParamSpec[];
}

/** Messages a worker posts. */
export type WorkerMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; outcome: BacktestOutcome | SweepOutcome | DescribeOutcome | ParseOutcome }
  | { type: 'error'; message: string; strategyError: boolean };
