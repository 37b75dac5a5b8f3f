import { create } from 'zustand';
import type { OperationOutput } from '../../../src-shared/contract';
import { client } from '../client/client';
import { saveFile } from '../client/download';
import {
  browserZone,
  equityInterval,
  foldPnl,
  periodRange,
  type AccountPnl,
  type EquityAnswer,
  type PeriodId,
  type PnlUpdate,
  type Summary,
  type TradesAnswer,
} from '../screens/dashboard/model';
import { problemOf, type Problem } from './brokers';
import { call } from './session';

export type Schedule = OperationOutput<'reports.schedule.get'>;
export type StoredReport = OperationOutput<'reports.list'>['items'][number];

/** What one part of the screen shows: nothing yet, its answer, or why it failed. */
export interface Part<T> {
  loading: boolean;
  data?: T;
  problem?: Problem;
}

const idle = <T>(): Part<T> => ({ loading: false });

/** The benchmark market is a preference: kept in this browser across reloads. */
const BENCHMARK_KEY = 'bourse.dashboard.benchmark';
/** The asset the totals are valued in ('' = each currency on its own), kept the same way. */
const QUOTE_KEY = 'bourse.dashboard.quote';

interface DashboardState {
  period: PeriodId;
  tz: string;
  summary: Part<Summary>;
  trades: Part<TradesAnswer>;
  equity: Part<EquityAnswer>;
  /** The account the equity curve shows, and the market it is compared with ('' = none). */
  equityAccount?: string;
  benchmark: string;
  /** The asset all totals are valued in, '' for none. */
  quote: string;
  markets: string[];
  /** Every asset of the local markets: what totals can be valued in. */
  assets: string[];
  schedule: Part<Schedule>;
  reports: Part<StoredReport[]>;
  /** Errors and busy states of the report actions, by action (`csv`, `json`, `daily`…). */
  actionProblems: Record<string, Problem>;
  pending: Record<string, true>;
  setPeriod(period: PeriodId): Promise<void>;
  /** Reads everything the screen shows for the current period. */
  load(): Promise<void>;
  setEquityAccount(id: string): Promise<void>;
  setBenchmark(market: string): Promise<void>;
  setQuote(asset: string): Promise<void>;
  download(format: 'csv' | 'json'): Promise<void>;
  downloadStored(name: string): Promise<void>;
  setSchedule(change: Partial<Schedule>): Promise<void>;
  /** Follows the `pnl` stream while the returned function is not called. */
  live(): () => void;
}

/**
 * The dashboard: the caller's P&L summary, trade statistics, equity curve and reports for the
 * chosen period, kept current by the private `pnl` stream (no polling).
 */
export const useDashboard = create<DashboardState>((set, get) => {
  /** Each read carries a number; an answer to an older read (another period) is dropped. */
  let generation = 0;
  /** The last stream figures per account: a change in them means a round trip closed. */
  let lastSeen: Record<string, AccountPnl> = {};
  let rereading = false;
  let rereadAgain = false;
  let rereadAll = false;

  const range = () => periodRange(get().period, Date.now());

  async function part<K extends 'summary' | 'trades' | 'equity' | 'schedule' | 'reports'>(
    key: K,
    read: () => Promise<NonNullable<DashboardState[K]['data']>>,
    gen: number,
  ): Promise<void> {
    set((s) => ({ [key]: { ...s[key], loading: true } }) as Partial<DashboardState>);
    try {
      const data = await read();
      if (gen !== generation) return;
      set({ [key]: { loading: false, data } } as Partial<DashboardState>);
    } catch (err) {
      if (gen !== generation) return;
      set({ [key]: { loading: false, problem: problemOf(err) } } as Partial<DashboardState>);
    }
  }

  const readSummary = (gen: number) => {
    const { from, to } = range();
    const { tz, quote } = get();
    return part(
      'summary',
      () => call('analytics.summary', { from, to, tz, ...(quote ? { quote } : {}) }),
      gen,
    );
  };
  const readTrades = (gen: number) => {
    const { from, to } = range();
    return part('trades', () => call('analytics.trades', { from, to, tz: get().tz }), gen);
  };
  const readEquity = (gen: number) => {
    const { period, equityAccount, benchmark } = get();
    if (!equityAccount) {
      set({ equity: idle() });
      return Promise.resolve();
    }
    const { from, to } = periodRange(period, Date.now());
    return part(
      'equity',
      () =>
        call('analytics.equity', {
          from,
          to,
          accountId: equityAccount,
          interval: equityInterval(period),
          ...(benchmark ? { benchmark } : {}),
        }),
      gen,
    );
  };

  /**
   * Re-reads after the stream said a trip closed (everything) or moved an open figure while the
   * totals are valued in one asset (the summary: the server converts). One read at a time;
   * messages during it cause one more, not one each.
   */
  async function reread(all: boolean): Promise<void> {
    rereadAll ||= all;
    if (rereading) {
      rereadAgain = true;
      return;
    }
    rereading = true;
    try {
      do {
        rereadAgain = false;
        const everything = rereadAll;
        rereadAll = false;
        const gen = generation;
        await Promise.all(
          everything ? [readSummary(gen), readTrades(gen), readEquity(gen)] : [readSummary(gen)],
        );
      } while (rereadAgain);
    } finally {
      rereading = false;
    }
  }

  function onPnl(update: PnlUpdate): void {
    const summary = get().summary.data;
    const seen = lastSeen;
    lastSeen = { ...lastSeen };
    for (const a of update.accounts) lastSeen[a.accountId] = a;
    if (!summary) return;
    const folded = foldPnl(summary, update, seen);
    set((s) => ({ summary: { ...s.summary, data: folded.summary } }));
    if (folded.realisedMoved) void reread(true);
    else if (summary.converted) void reread(false);
  }

  /** Runs a report action under `key`: busy while it runs, its error kept under the key. */
  async function act(key: string, fn: () => Promise<void>): Promise<void> {
    set((s) => {
      const actionProblems = { ...s.actionProblems };
      delete actionProblems[key];
      return { actionProblems, pending: { ...s.pending, [key]: true } };
    });
    try {
      await fn();
    } catch (err) {
      set((s) => ({ actionProblems: { ...s.actionProblems, [key]: problemOf(err) } }));
    } finally {
      set((s) => {
        const pending = { ...s.pending };
        delete pending[key];
        return { pending };
      });
    }
  }

  return {
    period: '30d',
    tz: browserZone(),
    summary: idle(),
    trades: idle(),
    equity: idle(),
    benchmark: localStorage.getItem(BENCHMARK_KEY) ?? '',
    quote: localStorage.getItem(QUOTE_KEY) ?? '',
    markets: [],
    assets: [],
    schedule: idle(),
    reports: idle(),
    actionProblems: {},
    pending: {},
    async setPeriod(period) {
      set({ period });
      await get().load();
    },
    async load() {
      const gen = ++generation;
      const markets = call('markets.list', {})
        .then((m) =>
          set({
            markets: m.items.map((x) => x.symbol),
            assets: [...new Set(m.items.flatMap((x) => [x.quote, x.base]))].sort(),
          }),
        )
        .catch(() => undefined); // the benchmark picker stays empty; the rest still shows
      await Promise.all([
        readSummary(gen).then(() => {
          // The equity curve needs an account: the first one with stored fills by default.
          const accounts = get().summary.data?.accounts ?? [];
          const chosen = get().equityAccount;
          if (!chosen || !accounts.some((a) => a.accountId === chosen)) {
            const first = accounts.find((a) => a.coverage === 'fills') ?? accounts[0];
            set({ equityAccount: first?.accountId });
          }
          return readEquity(gen);
        }),
        readTrades(gen),
        part('schedule', () => call('reports.schedule.get', {}), gen),
        part('reports', () => call('reports.list', {}).then((r) => r.items), gen),
        markets,
      ]);
    },
    async setEquityAccount(id) {
      set({ equityAccount: id });
      await readEquity(generation);
    },
    async setQuote(asset) {
      set({ quote: asset });
      localStorage.setItem(QUOTE_KEY, asset);
      await readSummary(generation);
    },
    async setBenchmark(market) {
      set({ benchmark: market });
      localStorage.setItem(BENCHMARK_KEY, market);
      await readEquity(generation);
    },
    async download(format) {
      await act(format, async () => {
        const { from, to } = range();
        const report = await call('reports.pnl', { from, to, format });
        saveFile(report.filename, report.body, report.contentType);
      });
    },
    async downloadStored(name) {
      await act(`file:${name}`, async () => {
        const report = await call('reports.get', { name });
        saveFile(report.filename, report.body, report.contentType);
      });
    },
    async setSchedule(change) {
      const current = get().schedule.data;
      if (!current) return;
      const key = 'daily' in change ? 'daily' : 'weekly';
      // The box shows the trader's choice at once; the server's answer (or the old value,
      // when it refuses) replaces it.
      set({ schedule: { loading: false, data: { ...current, ...change } } });
      await act(key, async () => {
        try {
          const data = await call('reports.schedule.set', { ...current, ...change });
          set({ schedule: { loading: false, data } });
        } catch (err) {
          set({ schedule: { loading: false, data: current } });
          throw err;
        }
      });
    },
    live() {
      lastSeen = {};
      const off = client.subscribe('pnl', onPnl);
      return () => off();
    },
  };
});
