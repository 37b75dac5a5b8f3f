import type { StoreApi } from 'zustand';
import type { OperationInput } from '../../../src-shared/contract';
import { equityInterval, periodRange, totalQuoteFor } from '../screens/dashboard/model';
import type { DashboardState } from './dashboard';
import { idle, readPart, type Part } from './dashboard-reports';
import { call } from './session';

/** The summary of the period, valued in the chosen asset when one is picked. */
export function summaryInput(
  s: Pick<DashboardState, 'period' | 'tz' | 'quote'>,
  now: number,
): OperationInput<'analytics.summary'> {
  const { from, to } = periodRange(s.period, now);
  return { from, to, tz: s.tz, ...(s.quote ? { quote: s.quote } : {}) };
}

export function tradesInput(
  s: Pick<DashboardState, 'period' | 'tz'>,
  now: number,
): OperationInput<'analytics.trades'> {
  const { from, to } = periodRange(s.period, now);
  return { from, to, tz: s.tz };
}

/** Undefined until an account is chosen: the curve is one account's. */
export function equityInput(
  s: Pick<DashboardState, 'period' | 'equityAccount' | 'benchmark'>,
  now: number,
): OperationInput<'analytics.equity'> | undefined {
  if (!s.equityAccount) return undefined;
  const { from, to } = periodRange(s.period, now);
  return {
    from,
    to,
    accountId: s.equityAccount,
    interval: equityInterval(s.period),
    ...(s.benchmark ? { benchmark: s.benchmark } : {}),
  };
}

/** Undefined while there is no asset to value the total in (no markets yet). */
export function totalInput(
  s: Pick<DashboardState, 'period' | 'quote' | 'assets'>,
  now: number,
): OperationInput<'analytics.totalEquity'> | undefined {
  const quote = totalQuoteFor(s.quote, s.assets);
  if (!quote) return undefined;
  const { from, to } = periodRange(s.period, now);
  return { quote, from, to };
}

type PartKey = 'summary' | 'trades' | 'equity' | 'total';
type PartData<K extends PartKey> = NonNullable<DashboardState[K]['data']>;

/**
 * The four reads of the period's figures, each into its part of the store. A read carries the
 * generation of the load that asked; `isCurrent` says whether a newer load has overtaken it,
 * and an overtaken answer is dropped.
 */
export function periodReads(
  get: () => DashboardState,
  set: StoreApi<DashboardState>['setState'],
  isCurrent: (gen: number) => boolean,
) {
  function part<K extends PartKey>(
    key: K,
    read: () => Promise<PartData<K>>,
    gen: number,
  ): Promise<void> {
    return readPart(
      get()[key] as Part<PartData<K>>,
      (p) => set({ [key]: p } as Partial<DashboardState>),
      read,
      () => isCurrent(gen),
    );
  }

  /** A part that has nothing to read yet (no account, no asset) is shown empty. */
  function maybe<K extends PartKey>(
    key: K,
    read: (() => Promise<PartData<K>>) | undefined,
    gen: number,
  ): Promise<void> {
    if (read) return part(key, read, gen);
    set({ [key]: idle() } as Partial<DashboardState>);
    return Promise.resolve();
  }

  return {
    summary(gen: number) {
      const input = summaryInput(get(), Date.now());
      return part('summary', () => call('analytics.summary', input), gen);
    },
    trades(gen: number) {
      const input = tradesInput(get(), Date.now());
      return part('trades', () => call('analytics.trades', input), gen);
    },
    equity(gen: number) {
      const input = equityInput(get(), Date.now());
      return maybe('equity', input && (() => call('analytics.equity', input)), gen);
    },
    total(gen: number) {
      const input = totalInput(get(), Date.now());
      return maybe('total', input && (() => call('analytics.totalEquity', input)), gen);
    },
  };
}

/**
 * Wraps `read` so that one runs at a time: calls made while it runs cause one more run after
 * it, not one each, and that run reads everything if any of them asked for everything.
 */
export function coalesced(
  read: (all: boolean) => Promise<unknown>,
): (all: boolean) => Promise<void> {
  let running = false;
  let again = false;
  let wantAll = false;
  return async (all) => {
    wantAll ||= all;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const everything = wantAll;
        wantAll = false;
        await read(everything);
      } while (again);
    } finally {
      running = false;
    }
  };
}
