import type { StateCreator } from 'zustand';
import type { OperationInput, OperationOutput } from '../../../src-shared/contract';
import type { AssumptionForm } from './backtest-assumptions';

export type Dataset = OperationOutput<'backtest.datasets.list'>['items'][number];
export type ImportAnswer = OperationOutput<'backtest.datasets.import'>;
export type Report = ImportAnswer['report'];
export type StrategyInfo = OperationOutput<'backtest.strategies.list'>['items'][number];
export type ParamSpec = StrategyInfo['params'][number];
export type ParamValue = number | boolean | string;
export type RunView = OperationOutput<'backtest.runs.list'>['items'][number];
export type RunDetail = OperationOutput<'backtest.runs.get'>;
export type CandlesPage = OperationOutput<'backtest.datasets.candles'>;
export type Assumptions = NonNullable<OperationInput<'backtest.run'>['assumptions']>;
export type Range = { min: number; max: number; step: number } | ParamValue[];

/** Datasets: the list, the one selected, their candles for the chart, the last import. */
export interface DatasetsSlice {
  datasets: Dataset[];
  datasetId?: number;
  candles: Record<number, CandlesPage>;
  lastImport?: ImportAnswer;
  importError?: { message: string; report?: Report };
  selectDataset(id: number | undefined): void;
  importFile(name: string, content: string, adjust: boolean): Promise<boolean>;
  fromExchange(input: OperationInput<'backtest.datasets.fromExchange'>): Promise<boolean>;
  clearImport(): void;
  deleteDataset(id: number): Promise<void>;
  loadCandles(datasetId: number): Promise<void>;
}

/** Strategies and what the next run uses: parameters, sweep ranges, assumptions. */
export interface StrategiesSlice {
  strategies: StrategyInfo[];
  strategyId: string;
  params: Record<string, ParamValue>;
  ranges: Record<string, Range | undefined>;
  form: AssumptionForm;
  selectStrategy(id: string): void;
  setParam(name: string, value: ParamValue): void;
  setRange(name: string, range: Range | undefined): void;
  setForm(patch: Partial<AssumptionForm>): void;
  saveStrategy(
    language: 'js' | 'ts',
    source: string,
    id?: number,
  ): Promise<{ ok: true; id: string } | { ok: false; message: string }>;
  deleteStrategy(id: string): Promise<void>;
}

/** Runs: the list (polled while one is active), the shown result, compare, export. */
export interface RunsSlice {
  runs: RunView[];
  /** The run whose results are shown. */
  selectedRunId?: number;
  detail?: RunDetail;
  compare: [number | undefined, number | undefined];
  compareDetails: Record<number, RunDetail>;
  refreshRuns(): Promise<void>;
  runBacktest(): Promise<void>;
  runSweep(): Promise<void>;
  cancel(id: number): Promise<void>;
  openRun(id: number): Promise<void>;
  deleteRun(id: number): Promise<void>;
  setCompare(slot: 0 | 1, id: number | undefined): Promise<void>;
  exportRun(id: number, format: 'csv' | 'json', part?: 'trades' | 'equity'): Promise<void>;
  runFromSweep(run: RunView, params: Record<string, ParamValue>): Promise<void>;
}

/** What the slices share: the screen-wide error and busy flag, and the first load. */
export interface CommonSlice {
  error?: string;
  busy: boolean;
  load(): Promise<void>;
}

export type BacktestState = DatasetsSlice & StrategiesSlice & RunsSlice & CommonSlice;

/** A slice of the store: reads and sets the whole state, provides its own part. */
export type Slice<T> = StateCreator<BacktestState, [], [], T>;
