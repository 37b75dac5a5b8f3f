import type { BacktestConfig } from './engine';
import { runBacktest } from './engine';
import type { Metrics } from './metrics';
import type { ParamSpec, ParamValue, ParamValues } from './strategy';

/** Values to try for one parameter: an explicit list, or a numeric min..max by step. */
export type ParamRange = readonly ParamValue[] | { min: number; max: number; step: number };

/** Largest grid `parameterGrid` builds unless told otherwise (a typo in a step must not
 * start a billion runs). */
export const MAX_GRID_SIZE = 100_000;

/** Expands a range into its values; numeric steps are cleaned of float noise (0.1 + 0.2). */
export function rangeValues(spec: ParamSpec, range: ParamRange): ParamValue[] {
  if (Array.isArray(range)) return [...(range as readonly ParamValue[])];
  const { min, max, step } = range as { min: number; max: number; step: number };
  if (!(step > 0) || !(max >= min))
    throw new RangeError(`${spec.name}: need step > 0 and max >= min`);
  const count = Math.floor((max - min) / step + 1e-9) + 1;
  const out: ParamValue[] = [];
  for (let k = 0; k < count; k++) {
    const v = Number((min + k * step).toPrecision(12));
    out.push(spec.type === 'int' ? Math.round(v) : v);
  }
  return [...new Set(out)];
}

/**
 * All combinations (cartesian product) of the given ranges; parameters without a range keep
 * their default. Order is deterministic: the last parameter varies fastest. Throws when the
 * grid would exceed `maxSize`.
 */
export function parameterGrid(
  specs: readonly ParamSpec[],
  ranges: Readonly<Record<string, ParamRange>>,
  maxSize = MAX_GRID_SIZE,
): ParamValues[] {
  for (const name of Object.keys(ranges)) {
    if (!specs.some((s) => s.name === name)) throw new RangeError(`unknown parameter ${name}`);
  }
  const axes = specs.map((s) => {
    const r = ranges[s.name];
    return { name: s.name, values: r === undefined ? [s.default] : rangeValues(s, r) };
  });
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  if (size > maxSize) throw new RangeError(`grid has ${size} combinations, more than ${maxSize}`);
  let grid: ParamValues[] = [{}];
  for (const axis of axes) {
    grid = grid.flatMap((g) => axis.values.map((v) => ({ ...g, [axis.name]: v })));
  }
  return grid;
}

/** One run of a sweep: its parameters and metrics (curves are dropped to bound memory). */
export interface SweepRun {
  params: ParamValues;
  metrics: Metrics;
  tradeCount: number;
  /** Set when the parameters were invalid (e.g. outside the spec's range). */
  error?: string;
}

/** Outcome of a sweep; `runs` holds the runs done before any cancellation. */
export interface SweepResult {
  status: 'completed' | 'cancelled';
  runs: SweepRun[];
}

/** Options for `runSweep`. */
export interface SweepOptions {
  /** Called after each run with (runs done, total runs). */
  onProgress?: (runsDone: number, totalRuns: number) => void;
  /** Checked between runs (and inside each run every `pollEvery` bars). */
  isCancelled?: () => boolean;
}

/** Runs every parameter combination sequentially over the same candles and assumptions. */
export function runSweep(
  base: Omit<BacktestConfig, 'params' | 'onProgress' | 'isCancelled'>,
  grid: readonly ParamValues[],
  options: SweepOptions = {},
): SweepResult {
  const runs: SweepRun[] = [];
  for (const params of grid) {
    if (options.isCancelled?.()) return { status: 'cancelled', runs };
    try {
      const r = runBacktest({ ...base, params, isCancelled: options.isCancelled });
      if (r.status === 'cancelled') return { status: 'cancelled', runs };
      runs.push({ params: r.params, metrics: r.metrics, tradeCount: r.trades.length });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      runs.push({ params, metrics: emptyMetrics(), tradeCount: 0, error: e.message });
    }
    options.onProgress?.(runs.length, grid.length);
  }
  return { status: 'completed', runs };
}

function emptyMetrics(): Metrics {
  const keys: (keyof Metrics)[] = [
    'startEquity',
    'endEquity',
    'netProfit',
    'totalReturn',
    'cagr',
    'annualVolatility',
    'sharpe',
    'sortino',
    'calmar',
    'maxDrawdown',
    'maxDrawdownDurationBars',
    'maxDrawdownDurationMs',
    'tradeCount',
    'winRate',
    'profitFactor',
    'expectancy',
    'avgWin',
    'avgLoss',
    'largestWin',
    'largestLoss',
    'totalFees',
    'exposure',
    'periodsPerYear',
    'years',
  ];
  return Object.fromEntries(keys.map((k) => [k, NaN])) as unknown as Metrics;
}
