import { AppError, type InputOf } from '../../../src-shared/contract';
import {
  MAX_EQUITY_POINTS,
  MAX_LISTED_ROUND_TRIPS,
  type analyticsEquity,
  type analyticsSummary,
  type analyticsTotalEquity,
  type analyticsTrades,
} from '../../../src-shared/contract/analytics';
import {
  analyse,
  benchmarkCurve,
  bucketStarts,
  equityCurve,
  fixedText,
  fx,
  isTimeZone,
  scaledBenchmark,
  startOfDay,
  type Group,
  type RoundTrip,
} from '../../domain/analytics';
import { convertTotals } from './convert';
import { totalEquity } from './total-equity';
import { LOCAL_ACCOUNT, readHistory, type AccountInfo, type History } from './history';
import type { AnalyticsDeps } from './ports';
import { accountFigures, summarise, type Windows } from './summary';

const DAY = 86_400_000;
/** The period when the caller names none: the last 30 days. */
export const DEFAULT_PERIOD_MS = 30 * DAY;
const STEP = { '1h': 3_600_000, '1d': DAY } as const;

/** A period in Unix ms, both bounds included. */
export interface Period {
  from: number;
  to: number;
}

/** Money scale of a currency: the exchange asset's, or 8 for one it does not list. */
const DEFAULT_SCALE = 8;

/**
 * The analytics use cases: read-only, over the caller's own accounts. Each call rebuilds the
 * round trips from the stored fills (nothing is cached that could drift from them).
 */
export class AnalyticsService {
  /** Told of every history read (the live stream learns where local lots are open). */
  onHistory: ((userId: string, h: History) => void) | null = null;

  constructor(
    private readonly deps: AnalyticsDeps,
    private readonly now: () => number,
  ) {}

  nowMs(): number {
    return this.now();
  }

  /** The period asked for, defaulted and checked. */
  period(input: { from?: number; to?: number }): Period {
    const to = input.to ?? this.now();
    // Defaulted to the 30 days before `to`, never before the epoch (`to` may be small).
    const from = input.from ?? Math.max(0, to - DEFAULT_PERIOD_MS);
    if (from > to) {
      throw new AppError('validation_failed', '`from` is after `to`', {
        fields: [{ field: 'from', message: 'must not be after `to`' }],
      });
    }
    return { from, to };
  }

  /** A known IANA zone, UTC by default. */
  zone(tz: string | undefined): string {
    const zone = tz ?? 'UTC';
    if (!isTimeZone(zone)) {
      throw new AppError('validation_failed', `Unknown time zone ${zone}`, {
        fields: [{ field: 'tz', message: 'an IANA time zone such as Europe/Paris' }],
      });
    }
    return zone;
  }

  scaleOf = (currency: string): number =>
    this.deps.exchange.asset(currency)?.scale ?? DEFAULT_SCALE;

  history(userId: string, until: number, only?: ReadonlySet<string>): History {
    const h = readHistory(this.deps, userId, until, only);
    this.onHistory?.(userId, h);
    return h;
  }

  summary(userId: string, input: InputOf<typeof analyticsSummary>) {
    const tz = this.zone(input.tz);
    const now = this.now();
    const period = this.period(input);
    const w: Windows = { todayFrom: startOfDay(now, tz), now, ...period };
    const h = this.history(userId, Math.max(now, period.to));
    const figures = summarise(this.deps, userId, h, w);
    return {
      asOf: now,
      tz,
      today: { from: w.todayFrom, to: now },
      period,
      ...figures,
      converted: input.quote ? convertTotals(this.deps, figures.totals, input.quote) : null,
    };
  }

  /** One account's (or every account's) figures now, today counted in UTC: the `pnl` stream. */
  liveFigures(userId: string, accountIds?: ReadonlySet<string>) {
    const now = this.now();
    const w: Windows = {
      todayFrom: startOfDay(now, 'UTC'),
      now,
      from: startOfDay(now, 'UTC'),
      to: now,
    };
    // Only the touched accounts' fills: a broker's frequent updates read none.
    const h = this.history(userId, now, accountIds);
    return accountFigures(this.deps, userId, h, w, accountIds).rows;
  }

  trades(userId: string, input: InputOf<typeof analyticsTrades>) {
    const tz = this.zone(input.tz);
    const period = this.period(input);
    // Up to now even for a past period: the balance at `from` is rebuilt from every fill since.
    const h = this.history(userId, Math.max(this.now(), period.to));
    const accountId = input.accountId ? this.accountIdOf(userId, input.accountId) : undefined;
    const trips = h.book.trips.filter(
      (t) =>
        t.closedAt >= period.from &&
        t.closedAt <= period.to &&
        (accountId === undefined || t.accountId === accountId) &&
        (input.market === undefined || t.market === input.market) &&
        (input.source === undefined || t.source === input.source),
    );
    const starts = this.startingEquity(h, period.from, accountId);
    const keyed = <K extends string | number>(groups: Array<Group<K>>) =>
      groups.map((g) => ({ key: String(g.key), stats: g.stats }));
    const currencies = analyse(trips, {
      timeZone: tz,
      scaleOf: this.scaleOf,
      startOf: (c) => starts.get(c) ?? '0',
    }).map((c) => ({
      currency: c.currency,
      startingEquity: starts.get(c.currency) ?? '0',
      overall: c.overall,
      byMarket: keyed(c.byMarket),
      byAccount: keyed(c.byAccount),
      byVenue: keyed(c.byVenue),
      bySource: keyed(c.bySource),
      byHour: c.byHour.map((g) => ({ hour: g.key, stats: g.stats })),
      byWeekday: c.byWeekday.map((g) => ({ weekday: g.key, stats: g.stats })),
    }));
    const newest = [...trips].sort((a, b) => b.closedAt - a.closedAt);
    return {
      period,
      tz,
      currencies,
      roundTrips: newest.slice(0, MAX_LISTED_ROUND_TRIPS),
      roundTripsTotal: trips.length,
      unmatchedSells: h.book.unmatched.filter((u) => u.ts >= period.from && u.ts <= period.to)
        .length,
      otherFees: h.book.otherFees,
    };
  }

  equity(userId: string, input: InputOf<typeof analyticsEquity>) {
    const period = this.period(input);
    const step = STEP[input.interval];
    const times = bucketStarts(period.from, period.to, step);
    if (times.length > MAX_EQUITY_POINTS) {
      throw new AppError(
        'validation_failed',
        `${times.length} ${input.interval} buckets is more than ${MAX_EQUITY_POINTS}: shorten the period or use 1d`,
        { fields: [{ field: 'interval', message: 'too many buckets for the period' }] },
      );
    }
    const bench = input.benchmark ? this.benchmark(input.benchmark, input.interval, times) : null;
    const h = this.history(userId, Math.max(this.now(), period.to));
    const only = input.accountId ? this.accountIdOf(userId, input.accountId) : undefined;
    const accounts = [];
    for (const a of h.accounts) {
      if (only !== undefined && a.id !== only) continue;
      const start = a.kind === 'paper' ? this.paperBalanceAt(userId, h, a, period.from) : null;
      const byCurrency = new Map<string, RoundTrip[]>();
      for (const t of h.book.trips) {
        if (t.accountId !== a.id || t.closedAt > period.to) continue;
        let list = byCurrency.get(t.currency);
        if (!list) byCurrency.set(t.currency, (list = []));
        list.push(t);
      }
      if (byCurrency.size === 0) byCurrency.set(a.currency, []);
      for (const [currency, trips] of byCurrency) {
        accounts.push({
          accountId: a.id,
          name: a.name,
          venue: a.venue,
          currency,
          startingEquity: start,
          points: equityCurve(trips, times, step, period.from, start),
          benchmark:
            bench && start !== null ? scaledBenchmark(bench, start, this.scaleOf(currency)) : null,
        });
      }
    }
    return {
      period,
      interval: input.interval,
      accounts,
      benchmark: bench ? { market: input.benchmark!, points: bench } : null,
    };
  }

  /** Total equity across every account over the period, in `quote` (see total-equity.ts). */
  totalEquity(userId: string, input: InputOf<typeof analyticsTotalEquity>) {
    const { from, to } = this.period(input);
    const now = this.now();
    const history = this.history(userId, Math.max(now, to));
    return totalEquity({
      deps: this.deps,
      userId,
      quote: input.quote,
      from,
      to,
      now,
      history,
      paperBalanceAt: (a, at) => this.paperBalanceAt(userId, history, a, at),
    });
  }

  /** Buy-and-hold of a local market over the buckets, from its candles. */
  private benchmark(market: string, interval: '1h' | '1d', times: number[]) {
    if (!this.deps.exchange.hasMarket(market)) {
      throw new AppError('unknown_market', `No market ${market} on the local exchange`, {
        field: 'benchmark',
      });
    }
    const bars = this.deps.marketData.candles(market, interval, {
      from: times[0]!,
      to: times[times.length - 1]!,
      limit: times.length,
    });
    return benchmarkCurve(bars, times);
  }

  /**
   * The balance of a paper account at `at`: today's balance less the cash its fills booked
   * since (their realised P&L less commission, as the paper broker booked them). Funding
   * added or withdrawn after `at` is not subtracted: the ledger keeps it, fills do not.
   */
  private paperBalanceAt(userId: string, h: History, a: AccountInfo, at: number): string | null {
    const balance = this.deps.accounts.positions(userId, a.id).summary?.balance;
    if (balance === undefined) return null;
    let since = 0n;
    for (const c of h.paperCash.get(a.id) ?? []) {
      if (c.ts >= at) since += fx(c.realisedPnl) - fx(c.commission);
    }
    return fixedText(fx(balance) - since);
  }

  /** Σ paper balances at `at` per currency (the drawdown curve's E_0), for the filter. */
  private startingEquity(h: History, at: number, accountId?: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const a of h.accounts) {
      if (a.kind !== 'paper' || (accountId !== undefined && a.id !== accountId) || !a.row) continue;
      const b = this.paperBalanceAt(a.row.userId, h, a, at);
      if (b === null) continue;
      out.set(a.currency, fixedText(fx(out.get(a.currency) ?? '0') + fx(b)));
    }
    return out;
  }

  /**
   * The analytics account an id names for this user: one of theirs, or `local` (any of their
   * local trading accounts means it too). Another user's account is `not_found`.
   */
  accountIdOf(userId: string, id: string): string {
    if (id === LOCAL_ACCOUNT) return id;
    const own = this.deps.accounts.rowsOf(userId).find((a) => a.id === id);
    if (!own) throw new AppError('not_found', `You have no trading account ${id}`, { id }, 404);
    return own.venue === 'local' ? LOCAL_ACCOUNT : own.id;
  }
}
