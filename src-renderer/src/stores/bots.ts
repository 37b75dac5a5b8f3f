import { create } from 'zustand';
import type { OperationInput, OperationOutput } from '../../../src-shared/contract';
import { client } from '../client/client';
import { keyedActions } from './keyed-actions';
import { call, messageOf } from './session';

export type Bot = OperationOutput<'bots.get'>;
export type BotExecution = OperationOutput<'bots.history'>['items'][number];
export type BotInput = OperationInput<'bots.create'>;
export type StrategyInfo = OperationOutput<'backtest.strategies.list'>['items'][number];
type Account = OperationOutput<'accounts.list'>['items'][number];

interface BotsState {
  bots: Bot[];
  loaded: boolean;
  error?: string;
  strategies: StrategyInfo[];
  accounts: Account[];
  markets: string[];
  selected?: number;
  history: BotExecution[];
  historyFor?: number;
  /** Errors of actions, by `<action>:<botId>` (`create` for the form). */
  problems: Record<string, string>;
  pending: Record<string, boolean>;
  /** Subscribes to the `bots` stream while a screen shows bots; returns the unsubscribe. */
  live(): () => void;
  load(): Promise<void>;
  select(id: number | undefined): Promise<void>;
  create(input: BotInput, start: boolean): Promise<Bot | undefined>;
  start(id: number): Promise<void>;
  pause(id: number): Promise<void>;
  stop(id: number, closePosition: boolean): Promise<void>;
  remove(id: number): Promise<void>;
}

/** Newest first by id (creation order), as the table lists them. */
const sorted = (bots: Bot[]) => [...bots].sort((a, b) => b.id - a.id);

/**
 * Bots with their status, position and P&L, kept current by the `bots` push stream (a bot's
 * view after every change: bar processed, order outcome, status). The selected bot's history
 * is re-read when the stream says it changed.
 */
export const useBots = create<BotsState>((set, get) => {
  let listeners = 0;
  let off: (() => void) | undefined;

  function onBot(b: Bot): void {
    set((s) => ({ bots: sorted([...s.bots.filter((x) => x.id !== b.id), b]) }));
    if (get().historyFor === b.id) void readHistory(b.id);
  }

  async function readHistory(id: number): Promise<void> {
    try {
      const page = await call('bots.history', { id, limit: 50 });
      if (get().selected === id) set({ history: page.items, historyFor: id });
    } catch (err) {
      set((s) => ({ problems: { ...s.problems, [`history:${id}`]: messageOf(err) } }));
    }
  }

  const act = keyedActions(set, messageOf);

  const update = (b: Bot | undefined) => {
    if (b) onBot(b);
  };

  return {
    bots: [],
    loaded: false,
    strategies: [],
    accounts: [],
    markets: [],
    history: [],
    problems: {},
    pending: {},
    live() {
      listeners += 1;
      off ??= client.subscribe('bots', onBot);
      return () => {
        listeners -= 1;
        if (listeners > 0) return;
        off?.();
        off = undefined;
      };
    },
    async load() {
      try {
        const [bots, strategies, accounts, markets] = await Promise.all([
          call('bots.list', {}),
          call('backtest.strategies.list', {}),
          call('accounts.list', {}),
          call('markets.list', {}),
        ]);
        set({
          bots: sorted(bots.items),
          strategies: strategies.items,
          accounts: accounts.items.filter((a) => a.enabled),
          markets: markets.items.map((m) => m.symbol),
          loaded: true,
          error: undefined,
        });
      } catch (err) {
        set({ error: messageOf(err), loaded: true });
      }
    },
    async select(id) {
      set({ selected: id, history: [], historyFor: undefined });
      if (id !== undefined) await readHistory(id);
    },
    async create(input, start) {
      const bot = await act('create', async () => {
        const made = await call('bots.create', input);
        return start ? call('bots.start', { id: made.id }) : made;
      });
      update(bot);
      if (bot) await get().select(bot.id);
      return bot;
    },
    async start(id) {
      update(await act(`start:${id}`, () => call('bots.start', { id })));
    },
    async pause(id) {
      update(await act(`pause:${id}`, () => call('bots.pause', { id })));
    },
    async stop(id, closePosition) {
      update(await act(`stop:${id}`, () => call('bots.stop', { id, closePosition })));
    },
    async remove(id) {
      const ok = await act(`delete:${id}`, () => call('bots.delete', { id }));
      if (!ok) return;
      set((s) => ({
        bots: s.bots.filter((b) => b.id !== id),
        ...(s.selected === id ? { selected: undefined, history: [], historyFor: undefined } : {}),
      }));
    },
  };
});
