import { create } from 'zustand';
import { client } from '../client/client';
import {
  browserZone,
  equityAccountFor,
  foldPnl,
  type AccountPnl,
  type EquityAnswer,
  type TotalEquityAnswer,
  type PeriodId,
  type PnlUpdate,
  type Summary,
  type TradesAnswer,
} from '../screens/dashboard/model';
import { coalesced, periodReads } from './dashboard-reads';
import { idle, useDashboardReports, type Part } from './dashboard-reports';
import { call } from './session';

export type { Part } from './dashboard-reports';

/** The benchmark market is a preference: kept in this browser across reloads. */
const BENCHMARK_KEY = 'bourse.dashboard.benchmark';
/** The asset the totals are valued in ('' = each currency on its own), kept the same way. */
const QUOTE_KEY = 'bourse.dashboard.quote';

export interface DashboardState {
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

type DashboardValues = Pick<
  DashboardState,
  | 'period'
  | 'tz'
  | 'summary'
  | 'trades'
  | 'equity'
  | 'total'
  | 'benchmark'
  | 'quote'
  | 'markets'
  | 'assets'
>;

/** Nothing read yet; the benchmark and the valuation asset as this browser last kept them. */
function startingState(): DashboardValues {
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
  };
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
  const read = periodReads(get, set, (gen) => gen === generation);

  /**
   * Re-reads after the stream said a trip closed (everything) or moved an open figure (the
   * summary and the total equity: the server converts and marks).
   */
  const reread = coalesced((all) => {
    const gen = generation;
    return Promise.all(
      all
        ? [read.summary(gen), read.trades(gen), read.equity(gen), read.total(gen)]
        : [read.summary(gen), read.total(gen)],
    );
  });

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
    ...startingState(),
    async setPeriod(period) {
      set({ period });
      await get().load();
    },
    async load() {
      const gen = ++generation;
      await Promise.all([
        read.summary(gen).then(() => {
          const accounts = get().summary.data?.accounts ?? [];
          set({ equityAccount: equityAccountFor(accounts, get().equityAccount) });
          return read.equity(gen);
        }),
        read.trades(gen),
        useDashboardReports.getState().load(),
        // The total needs the assets (its default currency) when none is picked.
        readMarkets().then((m) => {
          set(m);
          return read.total(gen);
        }),
      ]);
    },
    async setEquityAccount(id) {
      set({ equityAccount: id });
      await read.equity(generation);
    },
    async setQuote(asset) {
      set({ quote: asset });
      localStorage.setItem(QUOTE_KEY, asset);
      await Promise.all([read.summary(generation), read.total(generation)]);
    },
    async setBenchmark(market) {
      set({ benchmark: market });
      localStorage.setItem(BENCHMARK_KEY, market);
      await read.equity(generation);
    },
    live() {
      lastSeen = {};
      const off = client.subscribe('pnl', onPnl);
      return () => off();
    },
  };
});
