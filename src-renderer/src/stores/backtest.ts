import { saveFile } from '../client/download';
import { create } from 'zustand';
import type { OperationInput, OperationOutput } from '../../../src-shared/contract';
import { call, messageOf } from './session';

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

/** The assumption form: flat fields the UI edits, turned into the operation's shape. */
export interface AssumptionForm {
  initialCash: number;
  /** Decimals of the cash currency (2 = cents, 8 = satoshis). */
  currencyScale: number;
  commissionKind: 'none' | 'per-order' | 'per-unit' | 'percent';
  commission: number;
  slippageBps: number;
  spread: number;
  sizingKind: 'percent-equity' | 'fixed-cash' | 'fixed-quantity';
  sizing: number;
  allowShort: boolean;
  leverage: number;
  contractMultiplier: number;
  quantityStep: number;
  marketFill: 'next-open' | 'next-close';
  closeAtEnd: boolean;
  calendar: 'equity' | 'crypto';
  stdDev: 'sample' | 'population';
  riskFreeRate: number;
  returnsBasis: 'period' | 'trade';
}

export const DEFAULT_FORM: AssumptionForm = {
  initialCash: 100_000,
  currencyScale: 2,
  commissionKind: 'none',
  commission: 0,
  slippageBps: 0,
  spread: 0,
  sizingKind: 'percent-equity',
  sizing: 100,
  allowShort: true,
  leverage: 1,
  contractMultiplier: 1,
  quantityStep: 1,
  marketFill: 'next-open',
  closeAtEnd: true,
  calendar: 'equity',
  stdDev: 'sample',
  riskFreeRate: 0,
  returnsBasis: 'period',
};

export function assumptionsOf(f: AssumptionForm): Assumptions {
  const commission =
    f.commissionKind === 'none'
      ? { kind: 'none' as const }
      : f.commissionKind === 'percent'
        ? { kind: 'percent' as const, rate: f.commission / 100 }
        : { kind: f.commissionKind, amount: f.commission };
  const sizing =
    f.sizingKind === 'percent-equity'
      ? { kind: 'percent-equity' as const, percent: f.sizing }
      : f.sizingKind === 'fixed-cash'
        ? { kind: 'fixed-cash' as const, amount: f.sizing }
        : { kind: 'fixed-quantity' as const, quantity: f.sizing };
  return {
    initialCash: f.initialCash,
    currencyScale: f.currencyScale,
    commission,
    slippage: f.slippageBps > 0 ? { kind: 'bps', bps: f.slippageBps } : { kind: 'none' },
    spread: f.spread,
    sizing,
    allowShort: f.allowShort,
    leverage: f.leverage,
    contractMultiplier: f.contractMultiplier,
    quantityStep: f.quantityStep,
    marketFill: f.marketFill,
    closeAtEnd: f.closeAtEnd,
    metrics: {
      calendar: f.calendar,
      stdDev: f.stdDev,
      riskFreeRate: f.riskFreeRate / 100,
      returnsBasis: f.returnsBasis,
    },
  };
}

const ACTIVE = (r: RunView) => r.status === 'queued' || r.status === 'running';

interface BacktestState {
  datasets: Dataset[];
  strategies: StrategyInfo[];
  runs: RunView[];
  datasetId?: number;
  strategyId: string;
  params: Record<string, ParamValue>;
  ranges: Record<string, Range | undefined>;
  form: AssumptionForm;
  /** The run whose results are shown. */
  selectedRunId?: number;
  detail?: RunDetail;
  candles: Record<number, CandlesPage>;
  compare: [number | undefined, number | undefined];
  compareDetails: Record<number, RunDetail>;
  lastImport?: ImportAnswer;
  importError?: { message: string; report?: Report };
  error?: string;
  busy: boolean;
  load(): Promise<void>;
  refreshRuns(): Promise<void>;
  selectDataset(id: number | undefined): void;
  selectStrategy(id: string): void;
  setParam(name: string, value: ParamValue): void;
  setRange(name: string, range: Range | undefined): void;
  setForm(patch: Partial<AssumptionForm>): void;
  importFile(name: string, content: string, adjust: boolean): Promise<boolean>;
  fromExchange(input: OperationInput<'backtest.datasets.fromExchange'>): Promise<boolean>;
  clearImport(): void;
  deleteDataset(id: number): Promise<void>;
  runBacktest(): Promise<void>;
  runSweep(): Promise<void>;
  cancel(id: number): Promise<void>;
  openRun(id: number): Promise<void>;
  deleteRun(id: number): Promise<void>;
  loadCandles(datasetId: number): Promise<void>;
  setCompare(slot: 0 | 1, id: number | undefined): Promise<void>;
  exportRun(id: number, format: 'csv' | 'json', part?: 'trades' | 'equity'): Promise<void>;
  runFromSweep(run: RunView, params: Record<string, ParamValue>): Promise<void>;
  saveStrategy(
    language: 'js' | 'ts',
    source: string,
    id?: number,
  ): Promise<{ ok: true; id: string } | { ok: false; message: string }>;
  deleteStrategy(id: string): Promise<void>;
}

function defaultsOf(s: StrategyInfo | undefined): Record<string, ParamValue> {
  return Object.fromEntries((s?.params ?? []).map((p) => [p.name, p.default]));
}

let poll: ReturnType<typeof setTimeout> | undefined;

/** The backtest screen's data: datasets, strategies, runs, the selected result, compare. */
export const useBacktest = create<BacktestState>((set, get) => ({
  datasets: [],
  strategies: [],
  runs: [],
  strategyId: 'ma-crossover',
  params: {},
  ranges: {},
  form: DEFAULT_FORM,
  candles: {},
  compare: [undefined, undefined],
  compareDetails: {},
  busy: false,

  async load() {
    try {
      const [datasets, strategies] = await Promise.all([
        call('backtest.datasets.list', {}),
        call('backtest.strategies.list', {}),
      ]);
      const s = get();
      const strategyId = strategies.items.some((x) => x.id === s.strategyId)
        ? s.strategyId
        : (strategies.items[0]?.id ?? '');
      const strategy = strategies.items.find((x) => x.id === strategyId);
      set({
        datasets: datasets.items,
        strategies: strategies.items,
        datasetId: datasets.items.some((d) => d.id === s.datasetId)
          ? s.datasetId
          : datasets.items[0]?.id,
        strategyId,
        params: { ...defaultsOf(strategy), ...s.params },
        error: undefined,
      });
      await get().refreshRuns();
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },

  async refreshRuns() {
    clearTimeout(poll);
    try {
      const runs = (await call('backtest.runs.list', { limit: 100 })).items;
      const before = new Map(get().runs.map((r) => [r.id, r.status]));
      set({ runs });
      const sel = get().selectedRunId;
      const selRun = runs.find((r) => r.id === sel);
      // The shown run just finished: load its results.
      if (selRun && before.get(selRun.id) !== selRun.status && !ACTIVE(selRun)) {
        await get().openRun(selRun.id);
      }
      if (runs.some(ACTIVE)) poll = setTimeout(() => void get().refreshRuns(), 400);
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },

  selectDataset(id) {
    set({ datasetId: id });
    if (id !== undefined) void get().loadCandles(id);
  },
  selectStrategy(id) {
    const s = get().strategies.find((x) => x.id === id);
    set({ strategyId: id, params: defaultsOf(s), ranges: {} });
  },
  setParam(name, value) {
    set({ params: { ...get().params, [name]: value } });
  },
  setRange(name, range) {
    set({ ranges: { ...get().ranges, [name]: range } });
  },
  setForm(patch) {
    set({ form: { ...get().form, ...patch } });
  },

  async importFile(name, content, adjust) {
    set({ busy: true, importError: undefined, lastImport: undefined });
    try {
      const answer = await call('backtest.datasets.import', {
        name,
        content,
        adjust: adjust ? 'adjusted' : 'none',
      });
      set({ lastImport: answer, datasetId: answer.dataset.id });
      await get().load();
      void get().loadCandles(answer.dataset.id);
      return true;
    } catch (err) {
      const details = (err as { details?: { report?: Report } }).details;
      set({ importError: { message: messageOf(err), report: details?.report } });
      return false;
    } finally {
      set({ busy: false });
    }
  },
  async fromExchange(input) {
    set({ busy: true, importError: undefined, lastImport: undefined });
    try {
      const answer = await call('backtest.datasets.fromExchange', input);
      set({ lastImport: answer, datasetId: answer.dataset.id });
      await get().load();
      return true;
    } catch (err) {
      set({ importError: { message: messageOf(err) } });
      return false;
    } finally {
      set({ busy: false });
    }
  },
  clearImport() {
    set({ lastImport: undefined, importError: undefined });
  },
  async deleteDataset(id) {
    try {
      await call('backtest.datasets.delete', { id });
      if (get().datasetId === id) set({ datasetId: undefined });
      await get().load();
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },

  async runBacktest() {
    const s = get();
    if (s.datasetId === undefined) return;
    set({ busy: true, error: undefined });
    try {
      const run = await call('backtest.run', {
        datasetId: s.datasetId,
        strategyId: s.strategyId,
        params: s.params,
        assumptions: assumptionsOf(s.form),
      });
      set({ selectedRunId: run.id, detail: { run, result: null, sweep: null } });
      void get().loadCandles(s.datasetId);
      await get().refreshRuns();
    } catch (err) {
      set({ error: messageOf(err) });
    } finally {
      set({ busy: false });
    }
  },

  async runSweep() {
    const s = get();
    if (s.datasetId === undefined) return;
    const ranges = Object.fromEntries(
      Object.entries(s.ranges).filter((e): e is [string, Range] => e[1] !== undefined),
    );
    const params = Object.fromEntries(Object.entries(s.params).filter(([k]) => !(k in ranges)));
    set({ busy: true, error: undefined });
    try {
      const run = await call('backtest.sweep', {
        datasetId: s.datasetId,
        strategyId: s.strategyId,
        params,
        ranges,
        assumptions: assumptionsOf(s.form),
      });
      set({ selectedRunId: run.id, detail: { run, result: null, sweep: null } });
      await get().refreshRuns();
    } catch (err) {
      set({ error: messageOf(err) });
    } finally {
      set({ busy: false });
    }
  },

  async cancel(id) {
    try {
      await call('backtest.runs.cancel', { id });
    } catch (err) {
      set({ error: messageOf(err) });
    }
    await get().refreshRuns();
  },

  async openRun(id) {
    try {
      const detail = await call('backtest.runs.get', { id });
      set({ selectedRunId: id, detail });
      if (detail.run.kind === 'backtest') void get().loadCandles(detail.run.datasetId);
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },

  async deleteRun(id) {
    try {
      await call('backtest.runs.delete', { id });
      if (get().selectedRunId === id) set({ selectedRunId: undefined, detail: undefined });
      await get().refreshRuns();
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },

  async loadCandles(datasetId) {
    if (get().candles[datasetId]) return;
    try {
      const page = await call('backtest.datasets.candles', { id: datasetId, limit: 250_000 });
      set({ candles: { ...get().candles, [datasetId]: page } });
    } catch {
      // the dataset may have been deleted; the chart shows without prices
    }
  },

  async setCompare(slot, id) {
    const compare: [number | undefined, number | undefined] = [...get().compare];
    compare[slot] = id;
    set({ compare });
    if (id !== undefined && !get().compareDetails[id]) {
      try {
        const detail = await call('backtest.runs.get', { id });
        set({ compareDetails: { ...get().compareDetails, [id]: detail } });
      } catch (err) {
        set({ error: messageOf(err) });
      }
    }
  },

  async exportRun(id, format, part) {
    try {
      const file = await call('backtest.runs.export', { id, format, part });
      saveFile(file.filename, file.content, file.contentType);
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },

  async runFromSweep(run, params) {
    set({
      datasetId: run.datasetId,
      strategyId: run.strategyId,
      params: { ...run.params, ...params },
    });
    await get().runBacktest();
  },

  async saveStrategy(language, source, id) {
    try {
      const saved = await call('backtest.strategies.save', { language, source, id });
      await get().load();
      return { ok: true, id: saved.id };
    } catch (err) {
      return { ok: false, message: messageOf(err) };
    }
  },

  async deleteStrategy(id) {
    try {
      await call('backtest.strategies.delete', { id: Number(id.replace(/^user:/, '')) });
      if (get().strategyId === id) get().selectStrategy('ma-crossover');
      await get().load();
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },
}));
