import { saveFile } from '../client/download';
import { assumptionsOf } from './backtest-assumptions';
import type { Range, RunDetail, RunView, RunsSlice, Slice } from './backtest-types';
import { call, messageOf } from './session';

const ACTIVE = (r: RunView) => r.status === 'queued' || r.status === 'running';

let poll: ReturnType<typeof setTimeout> | undefined;

/** Runs and sweeps: start, follow until done, open, compare, export, cancel, delete. */
export const runsSlice: Slice<RunsSlice> = (set, get) => {
  /** Shows a just-started run; its results load when it finishes. */
  const started = async (run: RunDetail['run']) => {
    set({ selectedRunId: run.id, detail: { run, result: null, sweep: null } });
    await get().refreshRuns();
  };
  /** Runs `fn` with the screen busy; a refusal becomes the screen's error. */
  const busyWhile = async (fn: () => Promise<void>) => {
    set({ busy: true, error: undefined });
    try {
      await fn();
    } catch (err) {
      set({ error: messageOf(err) });
    } finally {
      set({ busy: false });
    }
  };
  return {
    runs: [],
    compare: [undefined, undefined],
    compareDetails: {},

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

    async runBacktest() {
      const s = get();
      const datasetId = s.datasetId;
      if (datasetId === undefined) return;
      await busyWhile(async () => {
        const run = await call('backtest.run', {
          datasetId,
          strategyId: s.strategyId,
          params: s.params,
          assumptions: assumptionsOf(s.form),
        });
        set({ selectedRunId: run.id, detail: { run, result: null, sweep: null } });
        void get().loadCandles(datasetId);
        await get().refreshRuns();
      });
    },

    async runSweep() {
      const s = get();
      const datasetId = s.datasetId;
      if (datasetId === undefined) return;
      const ranges = Object.fromEntries(
        Object.entries(s.ranges).filter((e): e is [string, Range] => e[1] !== undefined),
      );
      const params = Object.fromEntries(Object.entries(s.params).filter(([k]) => !(k in ranges)));
      await busyWhile(async () => {
        const run = await call('backtest.sweep', {
          datasetId,
          strategyId: s.strategyId,
          params,
          ranges,
          assumptions: assumptionsOf(s.form),
        });
        await started(run);
      });
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
  };
};
