import { call, messageOf } from './session';
import type { DatasetsSlice, Report, Slice } from './backtest-types';

/** Datasets: import (a file or the exchange's own candles), delete, candles for the chart. */
export const datasetsSlice: Slice<DatasetsSlice> = (set, get) => ({
  datasets: [],
  candles: {},

  selectDataset(id) {
    set({ datasetId: id });
    if (id !== undefined) void get().loadCandles(id);
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
      // A refused file comes back with its validation report, shown row by row.
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

  async loadCandles(datasetId) {
    if (get().candles[datasetId]) return;
    try {
      const page = await call('backtest.datasets.candles', { id: datasetId, limit: 250_000 });
      set({ candles: { ...get().candles, [datasetId]: page } });
    } catch {
      // the dataset may have been deleted; the chart shows without prices
    }
  },
});
