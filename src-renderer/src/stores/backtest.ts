import { create } from 'zustand';
import { datasetsSlice } from './backtest-datasets';
import { runsSlice } from './backtest-runs';
import { defaultsOf, strategiesSlice } from './backtest-strategies';
import type { BacktestState } from './backtest-types';
import { call, messageOf } from './session';

export { DEFAULT_FORM, assumptionsOf, type AssumptionForm } from './backtest-assumptions';
export type {
  Assumptions,
  CandlesPage,
  Dataset,
  ImportAnswer,
  ParamSpec,
  ParamValue,
  Range,
  Report,
  RunDetail,
  RunView,
  StrategyInfo,
} from './backtest-types';

/**
 * The backtest screen's data: datasets, strategies, runs, the selected result, compare. Each
 * part is a slice in its own file; this one loads them together.
 */
export const useBacktest = create<BacktestState>((set, get, api) => ({
  ...datasetsSlice(set, get, api),
  ...strategiesSlice(set, get, api),
  ...runsSlice(set, get, api),
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
}));
