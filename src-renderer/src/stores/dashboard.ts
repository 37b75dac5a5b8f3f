import { create } from 'zustand';
import { client } from '../client/client';
import {
  browserZone,
  equityAccountFor,
  equityInterval,
  foldPnl,
  periodRange,
  totalQuoteFor,
  type AccountPnl,
  type EquityAnswer,
  type TotalEquityAnswer,
  type PeriodId,
  type PnlUpdate,
  type Summary,
  type TradesAnswer,
} from '../screens/dashboard/model';
import { idle, readPart, useDashboardReports, type Part } from './dashboard-reports';
import { call } from './session';

export type { Part } from './dashboard-reports';

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
  /** Every account's equity together, by day and now, in `totalQuoteFor(quote, assets)`. */
  total: Part<TotalEquityAnswer>;
  /** The account the equity curve shows, and the market it is compared with ('' = none). */
  equityAccount?: string;
  benchmark: string;
  /** The asset all totals are valued in, '' for none. */
  quote: string;
  markets: string[];
  /** Every asset of the local markets: what totals can be valued in. */
  assets: string[];
  setPeriod(period: PeriodId): Promise<void>;
  /** Reads everything the screen shows for the current period. */
  load(): Promise<void>;
  setEquityAccount(id: string): Promise<void>;
  setBenchmark(market: string): Promise<void>;
  setQuote(asset: string): Promise<void>;
  /** Follows the `pnl` stream while the returned function is not called. */
  live(): () => void;
}

/** The local markets (benchmarks) and their assets (what totals can be valued in). */
async function readMarkets(): Promise<{ markets: string[]; assets: string[] }> {
  try {
    const m = await call('markets.list', {});
    return {
      markets: m.items.map((x) => x.symbol),
      assets: [...new Set(m.items.flatMap((x) => [x.quote, x.base]))].sort(),
    };
  } catch {
    return { markets: [], assets: [] }; // the pickers stay empty; the figures still show
  }
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

  /** Reads one part of the period's figures; an answer to an older read is dropped. */
  function part<K extends 'summary' | 'trades' | 'equity' | 'total'>(
    key: K,
    read: () => Promise<NonNullable<DashboardState[K]['data']>>,
    gen: number,
  ): Promise<void> {
    return readPart(
      get()[key] as Part<NonNullable<DashboardState[K]['data']>>,
      (p) => set({ [key]: p } as Partial<DashboardState>),
      read,
      () => gen === generation,
    );
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

  const readTotal = (gen: number) => {
    const quote = totalQuoteFor(get().quote, get().assets);
    if (!quote) {
      set({ total: idle() });
      return Promise.resolve();
    }
    const { from, to } = range();
    return part('total', () => call('analytics.totalEquity', { quote, from, to }), gen);
  };

  /**
   * Re-reads after the stream said a trip closed (everything) or moved an open figure (the
   * summary and the total equity: the server converts and marks). One read at a time;
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
          everything
            ? [readSummary(gen), readTrades(gen), readEquity(gen), readTotal(gen)]
            : [readSummary(gen), readTotal(gen)],
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
    // An open figure moved: the total equity's live point (and converted totals) with it.
    else void reread(false);
  }

  return {
    period: '30d',
    tz: browserZone(),
    summary: idle(),
    trades: idle(),
    equity: idle(),
    total: idle(),
    benchmark: localStorage.getItem(BENCHMARK_KEY) ?? '',
    quote: localStorage.getItem(QUOTE_KEY) ?? '',
    markets: [],
    assets: [],
    async setPeriod(period) {
      set({ period });
      await get().load();
    },
    async load() {
      const gen = ++generation;
      await Promise.all([
        readSummary(gen).then(() => {
          const accounts = get().summary.data?.accounts ?? [];
          set({ equityAccount: equityAccountFor(accounts, get().equityAccount) });
          return readEquity(gen);
        }),
        readTrades(gen),
        useDashboardReports.getState().load(),
        // The total needs the assets (its default currency) when none is picked.
        readMarkets().then((m) => {
          set(m);
          return readTotal(gen);
        }),
      ]);
    },
    async setEquityAccount(id) {
      set({ equityAccount: id });
      await readEquity(generation);
    },
    async setQuote(asset) {
      set({ quote: asset });
      localStorage.setItem(QUOTE_KEY, asset);
      await Promise.all([readSummary(generation), readTotal(generation)]);
    },
    async setBenchmark(market) {
      set({ benchmark: market });
      localStorage.setItem(BENCHMARK_KEY, market);
      await readEquity(generation);
    },
    live() {
      lastSeen = {};
      const off = client.subscribe('pnl', onPnl);
      return () => off();
    },
  };
});
