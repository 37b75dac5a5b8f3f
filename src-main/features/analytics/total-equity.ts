import { AppError } from '../../../src-shared/contract';
import {
  addTo,
  benchmarkCurve,
  bucketStarts,
  buildRoundTrips,
  fixedText,
  fx,
  holdingsAt,
  lotsUnrealised,
  totalIn,
  type Amounts,
  type OpenLot,
  type Rate,
} from '../../domain/analytics';
import { formatDecimal } from '../../domain/money';
import { lastPrice, rateOf } from './convert';
import { LOCAL_ACCOUNT, type AccountInfo, type History } from './history';
import type { AnalyticsDeps } from './ports';

const DAY = 86_400_000;
/** At most this many daily points (a year and a day). */
export const MAX_TOTAL_EQUITY_DAYS = 366;

/** What the total equity needs of the analytics service. */
export interface TotalEquityContext {
  deps: AnalyticsDeps;
  userId: string;
  quote: string;
  from: number;
  to: number;
  now: number;
  history: History;
  /** A paper account's balance just before `at` (cash booked by fills from `at` on removed). */
  paperBalanceAt(a: AccountInfo, at: number): string | null;
}

/** One point: the value of everything at a moment, in the quote currency. */
interface Point {
  t: number;
  /** Σ of every account's equity in the quote, of what could be valued (see `missing`). */
  equity: string;
  /** Σ unrealised P&L of open positions that had a mark, in the quote. */
  unrealised: string;
  /** Open positions without a mark at that moment (their P&L is not in `equity`). */
  unmarked: number;
  /** Currencies no market could convert into the quote (left out of the sums). */
  missing: string[];
}

/** The parts of one moment before conversion. */
interface Parts {
  /** Cash, spot holdings and marked unrealised P&L (what equity is). */
  equity: Amounts;
  /** Unrealised P&L alone (informative: the local account's is inside its holdings). */
  unrealised: Amounts;
  unmarked: number;
}

const emptyParts = (): Parts => ({ equity: new Map(), unrealised: new Map(), unmarked: 0 });

function merge(into: Amounts, from: Amounts): void {
  for (const [c, v] of from) addTo(into, c, v);
}

/**
 * Total equity across the user's accounts in one currency: a point per UTC day of the period
 * (valued at the end of that day, at that day's closes) and a live point now. How each account
 * counts, and what is approximate, is in docs/guide/analytics.md ("Total equity").
 */
export function totalEquity(c: TotalEquityContext) {
  const asset = c.deps.exchange.asset(c.quote);
  if (!asset) {
    throw new AppError('unknown_asset', `No asset ${c.quote} to value the equity in`, {
      field: 'quote',
    });
  }
  const end = Math.min(c.to, c.now);
  const times = bucketStarts(c.from, Math.max(c.from, end), DAY);
  if (times.length > MAX_TOTAL_EQUITY_DAYS) {
    throw new AppError(
      'validation_failed',
      `${times.length} days is more than ${MAX_TOTAL_EQUITY_DAYS}: shorten the period`,
      { fields: [{ field: 'from', message: 'at most a year of daily points' }] },
    );
  }
  const closes = new Closes(c.deps, times);
  const holdingsNow = localHoldings(c);
  const localFills = c.history.fills.filter((f) => f.accountId === LOCAL_ACCOUNT);
  const baseOf = (m: string) =>
    c.deps.exchange.hasMarket(m) ? c.deps.exchange.spec(m).base.code : m.split('/')[0]!;
  const ordered = [...c.history.fills].sort((a, b) => a.ts - b.ts);
  const points: Point[] = times.map((t, i) => {
    const at = Math.min(t + DAY - 1, c.now);
    const book = buildRoundTrips(
      ordered.filter((f) => f.ts <= at),
      { spotAccounts: c.history.spotAccounts },
    );
    const mark = (m: string) => closes.at(m, i);
    const parts = emptyParts();
    for (const a of c.history.accounts) {
      const lots = book.open.filter((l) => l.accountId === a.id);
      if (a.kind === 'paper') paperAt(c, a, at, lots, mark, parts);
      else if (a.kind === 'broker') brokerAt(c, a, at, lots, parts);
      else {
        merge(parts.equity, holdingsAt(holdingsNow, localFills, at, baseOf));
        const u = lotsUnrealised(lots, mark);
        merge(parts.unrealised, u.byCurrency);
        parts.unmarked += u.unmarked;
      }
    }
    return valued(t, parts, (cur) => closes.rate(cur, c.quote, i), asset.scale);
  });
  const live = liveParts(c, holdingsNow);
  const rateNow = (cur: string) => rateOf(c.deps, cur, c.quote);
  return {
    quote: c.quote,
    period: { from: c.from, to: c.to },
    points,
    now: {
      ...valued(c.now, live.total, rateNow, asset.scale),
      accounts: live.accounts.map(({ a, parts }) => {
        const v = valued(c.now, parts, rateNow, asset.scale);
        return {
          accountId: a.id,
          name: a.name,
          venue: a.venue,
          equity: v.equity,
          unrealised: v.unrealised,
          unmarked: v.unmarked,
          missing: v.missing,
        };
      }),
    },
  };
}

function valued(
  t: number,
  parts: Parts,
  rate: (currency: string) => Rate | null,
  scale: number,
): Point {
  const equity = totalIn(parts.equity, rate, scale);
  const unrealised = totalIn(parts.unrealised, rate, scale);
  const missing = [...new Set([...equity.missing, ...unrealised.missing])].sort();
  return {
    t,
    equity: fixedText(equity.total),
    unrealised: fixedText(unrealised.total),
    unmarked: parts.unmarked,
    missing,
  };
}

/** A paper account at `at`: its balance then plus its open lots at the day's close. */
function paperAt(
  c: TotalEquityContext,
  a: AccountInfo,
  at: number,
  lots: OpenLot[],
  mark: (m: string) => bigint | null,
  parts: Parts,
) {
  const balance = c.paperBalanceAt(a, at + 1);
  if (balance !== null) addTo(parts.equity, a.currency, fx(balance));
  const u = lotsUnrealised(lots, mark);
  merge(parts.equity, u.byCurrency);
  merge(parts.unrealised, u.byCurrency);
  parts.unmarked += u.unmarked;
}

/**
 * A broker account at `at`: its balances now less the net P&L of its round trips closed
 * since (no balance history is kept). Its positions then have no mark (the session's prices
 * are live only): counted in `unmarked`.
 */
function brokerAt(
  c: TotalEquityContext,
  a: AccountInfo,
  at: number,
  lots: OpenLot[],
  parts: Parts,
) {
  if (!a.row) return;
  for (const b of c.deps.accounts.brokers.state(a.row).balances) {
    addTo(parts.equity, b.asset.toUpperCase(), fx(b.total));
  }
  for (const t of c.history.book.trips) {
    if (t.accountId === a.id && t.closedAt > at) addTo(parts.equity, t.currency, -fx(t.netPnl));
  }
  parts.unmarked += new Set(lots.map((l) => l.market)).size;
}

/** Now: paper balances and marks, broker balances and live marks, local holdings. */
function liveParts(c: TotalEquityContext, holdings: Amounts) {
  const total = emptyParts();
  const accounts: Array<{ a: AccountInfo; parts: Parts }> = [];
  for (const a of c.history.accounts) {
    const parts = emptyParts();
    if (a.kind === 'paper' && a.row) {
      const p = c.deps.accounts.positions(c.userId, a.id);
      if (p.summary) addTo(parts.equity, a.currency, fx(p.summary.balance));
      openPnl(
        parts,
        a.currency,
        p.items.map((x) => x.unrealisedPnl),
      );
    } else if (a.kind === 'broker' && a.row) {
      const s = c.deps.accounts.brokers.state(a.row);
      for (const b of s.balances) addTo(parts.equity, b.asset.toUpperCase(), fx(b.total));
      openPnl(
        parts,
        a.currency,
        s.positions.map((x) => x.unrealisedPnl),
      );
    } else if (a.kind === 'local') {
      merge(parts.equity, holdings);
      const lots = c.history.book.open.filter((l) => l.accountId === a.id);
      const u = lotsUnrealised(lots, (m) => {
        const p = lastPrice(c.deps, m);
        return p === null ? null : fx(p);
      });
      merge(parts.unrealised, u.byCurrency);
      parts.unmarked += u.unmarked;
    }
    merge(total.equity, parts.equity);
    merge(total.unrealised, parts.unrealised);
    total.unmarked += parts.unmarked;
    accounts.push({ a, parts });
  }
  return { total, accounts };
}

/** Adds positions' unrealised P&L (in the account currency) to equity; null ones are unmarked. */
function openPnl(parts: Parts, currency: string, pnls: ReadonlyArray<string | null>) {
  for (const v of pnls) {
    if (v === null) {
      parts.unmarked++;
      continue;
    }
    addTo(parts.equity, currency, fx(v));
    addTo(parts.unrealised, currency, fx(v));
  }
}

/** The user's local-exchange holdings now (available + held), every asset a market trades. */
function localHoldings(c: TotalEquityContext): Amounts {
  const out: Amounts = new Map();
  if (!c.history.accounts.some((a) => a.kind === 'local')) return out;
  const codes = new Set<string>();
  for (const s of c.deps.exchange.symbols()) {
    const spec = c.deps.exchange.spec(s);
    codes.add(spec.base.code);
    codes.add(spec.quote.code);
  }
  for (const code of [...codes].sort()) {
    const h = c.deps.exchange.holdings(c.userId, code);
    const units = h.available + h.held;
    if (units === 0n) continue;
    const scale = c.deps.exchange.asset(code)?.scale ?? 8;
    out.set(code, fx(formatDecimal(units, scale)));
  }
  return out;
}

/** Daily closes of the local markets, read once per market for the whole period. */
class Closes {
  private readonly byMarket = new Map<string, Array<string | null>>();

  constructor(
    private readonly deps: AnalyticsDeps,
    private readonly times: readonly number[],
  ) {}

  /** The close of `market`'s day `i` (or the last close before it), null when none is known. */
  at(market: string, i: number): bigint | null {
    let closes = this.byMarket.get(market);
    if (!closes) {
      closes = this.read(market);
      this.byMarket.set(market, closes);
    }
    const v = closes[i];
    return v ? fx(v) : null;
  }

  /** How `currency` became `quote` on day `i`: through `C/Q` (×) or `Q/C` (÷) at its close. */
  rate(currency: string, quote: string, i: number): Rate | null {
    if (currency === quote) return { kind: 'same' };
    const direct = `${currency}/${quote}`;
    const d = this.at(direct, i);
    if (d !== null) return { kind: 'direct', market: direct, price: fixedText(d) };
    const inverse = `${quote}/${currency}`;
    const v = this.at(inverse, i);
    return v !== null && v > 0n ? { kind: 'inverse', market: inverse, price: fixedText(v) } : null;
  }

  private read(market: string): Array<string | null> {
    if (!this.deps.exchange.hasMarket(market) || this.times.length === 0) {
      return this.times.map(() => null);
    }
    // A week before the first day too: a market quiet on day 0 still has its last close.
    const first = this.times[0]! - 7 * DAY;
    const bars = this.deps.marketData.candles(market, '1d', {
      from: first,
      to: this.times[this.times.length - 1]!,
      limit: this.times.length + 8,
    });
    return benchmarkCurve(bars, this.times).map((p) => p.close);
  }
}
