import type { Static } from '@sinclair/typebox';
import type { PnlAccountView } from '../../../src-shared/contract';
import { fixedText, fx, type RoundTrip } from '../../domain/analytics';
import type { AccountInfo, History } from './history';
import { openFigures, type OpenFigures } from './positions';
import type { AnalyticsDeps } from './ports';

export type AccountFigures = Static<typeof PnlAccountView>;

/** The windows a summary counts realised P&L in (closes inside them, bounds included). */
export interface Windows {
  todayFrom: number;
  now: number;
  from: number;
  to: number;
}

/** Realised P&L of one bucket (an account, venue, market or source) in one currency. */
interface Tally {
  key: string;
  currency: string;
  today: bigint;
  period: bigint;
  fees: bigint;
  trades: number;
  /** undefined: nothing open counted yet; null: something open without a known P&L. */
  unrealised?: string | null;
}

class Tallies {
  private readonly rows = new Map<string, Tally>();

  get(key: string, currency: string): Tally {
    const id = `${key}\u0000${currency}`;
    let t = this.rows.get(id);
    if (!t) {
      t = { key, currency, today: 0n, period: 0n, fees: 0n, trades: 0 };
      this.rows.set(id, t);
    }
    return t;
  }

  add(key: string, trip: RoundTrip, w: Windows): void {
    const t = this.get(key, trip.currency);
    const net = fx(trip.netPnl);
    if (trip.closedAt >= w.todayFrom && trip.closedAt <= w.now) t.today += net;
    if (trip.closedAt >= w.from && trip.closedAt <= w.to) {
      t.period += net;
      t.fees += fx(trip.fees);
      t.trades += 1;
    }
  }

  unrealised(key: string, currency: string, value: string | null): void {
    const t = this.get(key, currency);
    if (t.unrealised === null) return;
    t.unrealised = value === null ? null : fixedText(fx(t.unrealised ?? '0') + fx(value));
  }

  list(): Tally[] {
    return [...this.rows.values()].sort((a, b) =>
      a.key === b.key ? (a.currency < b.currency ? -1 : 1) : a.key < b.key ? -1 : 1,
    );
  }
}

const realised = (t: Tally) => ({
  currency: t.currency,
  realisedToday: fixedText(t.today),
  realisedPeriod: fixedText(t.period),
  tradesPeriod: t.trades,
});

/**
 * The currencies an account's rows are in: a paper account's own; for the local account each
 * quote seen; for a broker account its own plus any quote its fills were valued in.
 */
function currenciesOf(a: AccountInfo, h: History): string[] {
  if (a.kind === 'paper') return [a.currency];
  const seen = new Set<string>(a.kind === 'broker' ? [a.currency] : []);
  for (const t of h.book.trips) if (t.accountId === a.id) seen.add(t.currency);
  for (const l of h.book.open) if (l.accountId === a.id) seen.add(l.currency);
  return seen.size > 0 ? [...seen].sort() : [a.currency];
}

/** Per-account figures (one row per account and currency) of a user's history. */
export function accountFigures(
  deps: AnalyticsDeps,
  userId: string,
  h: History,
  w: Windows,
  only?: ReadonlySet<string>,
): { rows: AccountFigures[]; open: Map<string, Map<string, OpenFigures>> } {
  const tallies = new Tallies();
  for (const t of h.book.trips) tallies.add(t.accountId, t, w);
  const rows: AccountFigures[] = [];
  const open = new Map<string, Map<string, OpenFigures>>();
  for (const a of h.accounts) {
    if (only && !only.has(a.id)) continue;
    const lots = h.book.open.filter((l) => l.accountId === a.id);
    const figures = openFigures(deps, userId, a, lots);
    open.set(a.id, figures);
    for (const currency of currenciesOf(a, h)) {
      const t = tallies.get(a.id, currency);
      const o = figures.get(currency);
      rows.push({
        accountId: a.id,
        name: a.name,
        venue: a.venue,
        ...realised(t),
        feesPeriod: fixedText(t.fees),
        unrealised: o ? o.unrealised : '0',
        openPositions: o?.openPositions ?? 0,
        grossExposure: o ? o.grossExposure : '0',
        coverage: 'fills',
        ts: w.now,
      });
    }
  }
  return { rows, open };
}

/** The dashboard's figures: per account, venue, market and source, and totals per currency. */
export function summarise(deps: AnalyticsDeps, userId: string, h: History, w: Windows) {
  const { rows, open } = accountFigures(deps, userId, h, w);
  const venues = new Tallies();
  const markets = new Tallies();
  const sources = new Tallies();
  const venueOf = new Map(h.accounts.map((a) => [a.id, a.venue]));
  for (const t of h.book.trips) {
    venues.add(t.venue, t, w);
    markets.add(t.market, t, w);
    sources.add(t.source, t, w);
  }
  for (const [accountId, byCurrency] of open) {
    for (const [currency, o] of byCurrency) {
      if (o.openPositions === 0) continue;
      venues.unrealised(venueOf.get(accountId) ?? '', currency, o.unrealised);
      for (const [market, pnl] of o.byMarket) markets.unrealised(market, currency, pnl);
    }
  }
  const withOpen = (t: Tally) => ({ key: t.key, ...realised(t), unrealised: t.unrealised ?? '0' });
  return {
    accounts: rows,
    byVenue: venues.list().map(withOpen),
    byMarket: markets.list().map(withOpen),
    bySource: sources.list().map((t) => ({ key: t.key, ...realised(t) })),
    totals: totals(rows),
  };
}

/** Sums of the account rows per currency (never across currencies). */
function totals(rows: readonly AccountFigures[]) {
  const out = new Map<
    string,
    {
      today: bigint;
      period: bigint;
      trades: number;
      unrealised: bigint | null;
      open: number;
      exposure: bigint | null;
    }
  >();
  for (const r of rows) {
    let t = out.get(r.currency);
    if (!t) {
      t = { today: 0n, period: 0n, trades: 0, unrealised: 0n, open: 0, exposure: 0n };
      out.set(r.currency, t);
    }
    t.today += fx(r.realisedToday);
    t.period += fx(r.realisedPeriod);
    t.trades += r.tradesPeriod;
    t.open += r.openPositions;
    t.unrealised =
      t.unrealised === null || r.unrealised === null ? null : t.unrealised + fx(r.unrealised);
    t.exposure =
      t.exposure === null || r.grossExposure === null ? null : t.exposure + fx(r.grossExposure);
  }
  return [...out.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, t]) => ({
      currency,
      realisedToday: fixedText(t.today),
      realisedPeriod: fixedText(t.period),
      tradesPeriod: t.trades,
      unrealised: t.unrealised === null ? null : fixedText(t.unrealised),
      openPositions: t.open,
      grossExposure: t.exposure === null ? null : fixedText(t.exposure),
    }));
}
