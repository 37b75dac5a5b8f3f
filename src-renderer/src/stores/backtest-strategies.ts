import { DEFAULT_FORM } from './backtest-assumptions';
import { call, messageOf } from './session';
import type { ParamValue, Slice, StrategiesSlice, StrategyInfo } from './backtest-types';

/** A strategy's parameters at their declared defaults. */
export function defaultsOf(s: StrategyInfo | undefined): Record<string, ParamValue> {
  return Object.fromEntries((s?.params ?? []).map((p) => [p.name, p.default]));
}

/** Strategies (built in and the user's own) and the settings of the next run. */
export const strategiesSlice: Slice<StrategiesSlice> = (set, get) => ({
  strategies: [],
  strategyId: 'ma-crossover',
  params: {},
  ranges: {},
  form: DEFAULT_FORM,

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
});
