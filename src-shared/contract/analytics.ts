import { Type, type TSchema } from '@sinclair/typebox';
import { Decimal, Id, Obj, TimestampMs } from './common';
import { defineOperation } from './define';

/**
 * P&L analytics and reports over the caller's own accounts: realised P&L from round trips
 * (FIFO over the fills of paper and local-exchange accounts), unrealised P&L from the open
 * positions, trade statistics by the backtester's definitions, the realised equity curve
 * against a buy-and-hold benchmark, and P&L statements (on demand and scheduled, kept in the
 * data directory). Money is a decimal string in the account's currency; amounts in different
 * currencies are never added. docs/guide/analytics.md defines every figure.
 */

const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** An IANA time zone (`UTC`, `Europe/Paris`); refused with `validation_failed` if unknown. */
export const TimeZoneName = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_+\\-/]+$',
  default: 'UTC',
  examples: ['Europe/Paris'],
});

const Market = Type.String({ minLength: 1, maxLength: 64 });
/** `manual`, `alert:<route>` (tv, unify, test) or `bot:<botId>`. */
const Source = Type.String({ minLength: 1, maxLength: 100 });
const Period = Obj({ from: TimestampMs, to: TimestampMs });

/** Realised figures of one bucket in one currency. */
const Realised = {
  currency: Type.String(),
  /** Net P&L of round trips closed today (in the caller's zone) and in the period. */
  realisedToday: Decimal,
  realisedPeriod: Decimal,
  tradesPeriod: Type.Integer({ minimum: 0 }),
};

/** One account's P&L figures: what the summary lists and the `pnl` stream pushes. */
export const PnlAccountView = Obj({
  accountId: Type.String(),
  name: Type.String(),
  venue: Type.String(),
  ...Realised,
  /** Fees inside the period's round trips. */
  feesPeriod: Decimal,
  /** Open positions valued now; null when the venue gives no price or P&L. */
  unrealised: Nullable(Decimal),
  openPositions: Type.Integer({ minimum: 0 }),
  /** Σ |qty| × mark of open positions in the account's currency; null when unknown. */
  grossExposure: Nullable(Decimal),
  /**
   * `fills`: realised from stored fills (paper, local, and broker accounts, whose fills are
   * stored from when Bourse's session first saw them). `positions` (only open positions known)
   * is no longer produced; it stays in the schema for clients built before broker fills.
   */
  coverage: Lit(['fills', 'positions'] as const),
  ts: TimestampMs,
});

/** A `pnl` stream message: the figures of the accounts a burst of changes touched. */
export const PnlUpdateView = Obj({ ts: TimestampMs, accounts: Type.Array(PnlAccountView) });

/** A venue's or market's figures in one currency (unrealised: open positions now). */
const OpenBucket = Obj({ key: Type.String(), ...Realised, unrealised: Nullable(Decimal) });
/** A source's realised figures (open positions are not split by who opened them). */
const SourceBucket = Obj({ key: Type.String(), ...Realised });

export const analyticsSummary = defineOperation({
  name: 'analytics.summary',
  summary:
    "Today's and the period's P&L, realised and unrealised, per account, venue, market and source",
  description:
    'The period defaults to the last 30 days up to now; "today" starts at midnight in `tz`. Amounts stay in each account\'s currency: `totals` has one row per currency, and `converted` values them in `quote` where a local market gives a price.',
  access: 'orders.read',
  http: { method: 'GET', path: '/analytics/summary' },
  input: Obj({
    from: Type.Optional(TimestampMs),
    to: Type.Optional(TimestampMs),
    tz: Type.Optional(TimeZoneName),
    /** An asset to value the totals in, through the local exchange's last prices. */
    quote: Type.Optional(Type.String({ minLength: 1, maxLength: 12, pattern: '^[A-Z0-9]+$' })),
  }),
  output: Obj({
    asOf: TimestampMs,
    tz: Type.String(),
    today: Period,
    period: Period,
    accounts: Type.Array(PnlAccountView),
    byVenue: Type.Array(OpenBucket),
    byMarket: Type.Array(OpenBucket),
    bySource: Type.Array(SourceBucket),
    totals: Type.Array(
      Obj({
        ...Realised,
        unrealised: Nullable(Decimal),
        openPositions: Type.Integer({ minimum: 0 }),
        grossExposure: Nullable(Decimal),
      }),
    ),
    /**
     * The totals valued in `quote` (null without it): each currency at the last trade price of
     * a local market between it and `quote`; currencies with none are left out (`unconverted`).
     */
    converted: Nullable(
      Obj({
        quote: Type.String(),
        realisedToday: Decimal,
        realisedPeriod: Decimal,
        unrealised: Nullable(Decimal),
        grossExposure: Nullable(Decimal),
        rates: Type.Array(
          Obj({ currency: Type.String(), market: Nullable(Type.String()), price: Decimal }),
        ),
        unconverted: Type.Array(Type.String()),
      }),
    ),
  }),
});

export const TradeStatsView = Obj({
  trades: Type.Integer({ minimum: 0 }),
  wins: Type.Integer({ minimum: 0 }),
  losses: Type.Integer({ minimum: 0 }),
  /** Fractions (0.5 = 50 %) with 6 decimals; null when undefined (no trades, no losses). */
  winRate: Nullable(Decimal),
  grossPnl: Decimal,
  fees: Decimal,
  netPnl: Decimal,
  grossProfit: Decimal,
  grossLoss: Decimal,
  profitFactor: Nullable(Decimal),
  expectancy: Nullable(Decimal),
  avgWin: Nullable(Decimal),
  avgLoss: Nullable(Decimal),
  largestWin: Nullable(Decimal),
  largestLoss: Nullable(Decimal),
  maxDrawdown: Decimal,
  maxDrawdownPct: Nullable(Decimal),
});

const Group = Obj({ key: Type.String(), stats: TradeStatsView });

export const RoundTripView = Obj({
  accountId: Type.String(),
  venue: Type.String(),
  market: Type.String(),
  currency: Type.String(),
  side: Lit(['long', 'short'] as const),
  qty: Decimal,
  entryPrice: Decimal,
  exitPrice: Decimal,
  openedAt: TimestampMs,
  closedAt: TimestampMs,
  grossPnl: Decimal,
  fees: Decimal,
  netPnl: Decimal,
  returnPct: Nullable(Decimal),
  source: Type.String(),
  closeSource: Type.String(),
});

/** Most round trips one `analytics.trades` answer lists (the statistics cover them all). */
export const MAX_LISTED_ROUND_TRIPS = 500;

export const analyticsTrades = defineOperation({
  name: 'analytics.trades',
  summary:
    'Trade analytics over a period: win rate, profit factor, expectancy, drawdown, fees, by group',
  description:
    'Round trips closed in [from, to] (default: the last 30 days), per currency, overall and by market, account, venue, source, hour of day and weekday (of the close, in `tz`). The newest 500 round trips are listed.',
  access: 'orders.read',
  http: { method: 'GET', path: '/analytics/trades' },
  input: Obj({
    from: Type.Optional(TimestampMs),
    to: Type.Optional(TimestampMs),
    accountId: Type.Optional(Id),
    market: Type.Optional(Market),
    source: Type.Optional(Source),
    tz: Type.Optional(TimeZoneName),
  }),
  output: Obj({
    period: Period,
    tz: Type.String(),
    currencies: Type.Array(
      Obj({
        currency: Type.String(),
        /** E_0 of the drawdown curve: the paper balances at the period start (0 without). */
        startingEquity: Decimal,
        overall: TradeStatsView,
        byMarket: Type.Array(Group),
        byAccount: Type.Array(Group),
        byVenue: Type.Array(Group),
        bySource: Type.Array(Group),
        byHour: Type.Array(
          Obj({ hour: Type.Integer({ minimum: 0, maximum: 23 }), stats: TradeStatsView }),
        ),
        byWeekday: Type.Array(Obj({ weekday: Type.String(), stats: TradeStatsView })),
      }),
    ),
    roundTrips: Type.Array(RoundTripView),
    roundTripsTotal: Type.Integer({ minimum: 0 }),
    /** Spot sells with no buy seen before them (no cost basis): left out of P&L. */
    unmatchedSells: Type.Integer({ minimum: 0 }),
    /** Fees paid in another asset than the P&L currency, per asset: left out of P&L. */
    otherFees: Type.Record(Type.String(), Decimal),
  }),
});

/** Most points one equity answer holds per series. */
export const MAX_EQUITY_POINTS = 2_000;

export const analyticsEquity = defineOperation({
  name: 'analytics.equity',
  summary: 'Realised equity over time per account, against buy-and-hold of a market',
  description:
    'Each point is the bucket starting at `t` (UTC-aligned) as it stood at its end: the starting equity plus the net P&L of round trips closed since `from`. Paper accounts start from their balance at `from`; local and broker accounts have no balance history (equity null, `realised` only). `benchmark` names a local market whose candles give buy-and-hold, scaled to each starting equity. At most 2000 buckets.',
  access: 'orders.read',
  http: { method: 'GET', path: '/analytics/equity' },
  input: Obj({
    from: Type.Optional(TimestampMs),
    to: Type.Optional(TimestampMs),
    accountId: Type.Optional(Id),
    interval: Lit(['1h', '1d'] as const),
    benchmark: Type.Optional(Market),
  }),
  output: Obj({
    period: Period,
    interval: Lit(['1h', '1d'] as const),
    accounts: Type.Array(
      Obj({
        accountId: Type.String(),
        name: Type.String(),
        venue: Type.String(),
        currency: Type.String(),
        startingEquity: Nullable(Decimal),
        points: Type.Array(Obj({ t: TimestampMs, realised: Decimal, equity: Nullable(Decimal) })),
        benchmark: Nullable(Type.Array(Obj({ t: TimestampMs, value: Nullable(Decimal) }))),
      }),
    ),
    benchmark: Nullable(
      Obj({
        market: Type.String(),
        points: Type.Array(
          Obj({ t: TimestampMs, close: Nullable(Decimal), growth: Nullable(Decimal) }),
        ),
      }),
    ),
  }),
});

/** A moment of the total equity, valued in the quote currency. */
const TotalEquityPoint = {
  t: TimestampMs,
  /** Σ of what could be valued: cash, spot holdings, marked unrealised P&L. */
  equity: Decimal,
  /** Σ unrealised P&L of the open positions that had a mark. */
  unrealised: Decimal,
  /** Open positions without a mark then (their P&L is not in `equity`). */
  unmarked: Type.Integer({ minimum: 0 }),
  /** Currencies no local market converts into the quote (left out of the sums). */
  missing: Type.Array(Type.String()),
};

export const analyticsTotalEquity = defineOperation({
  name: 'analytics.totalEquity',
  summary: 'Total equity across all accounts over time, marked to market, in one currency',
  description:
    "One point per UTC day of the period (at most 366), each as it stood at the end of that day, plus a live point now with each account's part. Paper: balance plus open lots at the day's close (now: the paper broker's marks). Broker: balances now less the P&L closed since (positions in the past have no mark: `unmarked`; now: the session's live marks). Local exchange: holdings rebuilt from the fills since, at the day's closes (now: last trades). Conversion through local markets' closes (now: last trades). See the analytics guide for what is approximate.",
  access: 'orders.read',
  http: { method: 'GET', path: '/analytics/total-equity' },
  input: Obj({
    quote: Type.String({ minLength: 1, maxLength: 12, pattern: '^[A-Z0-9]+$' }),
    from: Type.Optional(TimestampMs),
    to: Type.Optional(TimestampMs),
  }),
  output: Obj({
    quote: Type.String(),
    period: Period,
    points: Type.Array(Obj(TotalEquityPoint)),
    now: Obj({
      ...TotalEquityPoint,
      accounts: Type.Array(
        Obj({
          accountId: Type.String(),
          name: Type.String(),
          venue: Type.String(),
          equity: Decimal,
          unrealised: Decimal,
          unmarked: Type.Integer({ minimum: 0 }),
          missing: Type.Array(Type.String()),
        }),
      ),
    }),
  }),
});

export const REPORT_FORMATS = ['csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const ReportText = Obj({
  filename: Type.String(),
  contentType: Type.String(),
  body: Type.String(),
});

export const reportsPnl = defineOperation({
  name: 'reports.pnl',
  summary:
    'The P&L statement of a period (per account, per market, every round trip) as CSV or JSON',
  access: 'orders.read',
  http: { method: 'GET', path: '/reports/pnl' },
  input: Obj({
    from: TimestampMs,
    to: TimestampMs,
    format: Lit(REPORT_FORMATS),
  }),
  output: ReportText,
});

const Schedule = Obj({ daily: Type.Boolean(), weekly: Type.Boolean() });

export const reportsScheduleGet = defineOperation({
  name: 'reports.schedule.get',
  summary: 'Which P&L statements are written for you at the end of each day and week (UTC)',
  access: 'orders.read',
  http: { method: 'GET', path: '/reports/schedule' },
  input: Obj({}),
  output: Schedule,
});

export const reportsScheduleSet = defineOperation({
  name: 'reports.schedule.set',
  summary: 'Turns the daily and weekly P&L statements on or off',
  access: 'orders.read',
  mutates: true,
  http: { method: 'PUT', path: '/reports/schedule' },
  input: Schedule,
  output: Schedule,
});

/** A stored report's file name: `daily-2026-12-05.csv`, `weekly-2026-W49.json`. */
export const REPORT_NAME_PATTERN =
  '^(daily-[0-9]{4}-[0-9]{2}-[0-9]{2}|weekly-[0-9]{4}-W[0-9]{2})\\.(csv|json)$';

export const ReportFileView = Obj({
  name: Type.String(),
  period: Lit(['daily', 'weekly'] as const),
  format: Lit(REPORT_FORMATS),
  from: TimestampMs,
  to: TimestampMs,
  bytes: Type.Integer({ minimum: 0 }),
  createdAt: TimestampMs,
});

export const reportsList = defineOperation({
  name: 'reports.list',
  summary: 'Your stored scheduled P&L statements, newest first',
  access: 'orders.read',
  http: { method: 'GET', path: '/reports' },
  input: Obj({}),
  output: Obj({ items: Type.Array(ReportFileView) }),
});

export const reportsGet = defineOperation({
  name: 'reports.get',
  summary: 'One stored P&L statement',
  access: 'orders.read',
  http: { method: 'GET', path: '/reports/files/:name' },
  input: Obj({ name: Type.String({ maxLength: 40, pattern: REPORT_NAME_PATTERN }) }),
  output: ReportText,
});

export const analyticsOperations = [
  analyticsSummary,
  analyticsTrades,
  analyticsEquity,
  analyticsTotalEquity,
  reportsPnl,
  reportsScheduleGet,
  reportsScheduleSet,
  reportsList,
  reportsGet,
] as const;
