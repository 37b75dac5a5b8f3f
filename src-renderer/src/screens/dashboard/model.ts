import type { OperationOutput, StreamPayloads } from '../../../../src-shared/contract';
import {
  addDecimal,
  decimalsOf,
  divRound,
  formatDecimal,
  mulDecimal,
  pow10,
  showDecimal,
  unitsAt,
} from '../../../../src-shared/decimal';

export { signClass } from '../accounts/format';

/**
 * The dashboard's pure rules: which window a period covers, how a `pnl` stream message folds
 * into a summary already on screen, and how figures are shown. Kept apart from the store so
 * they are tested without a backend or a DOM.
 */

export type Summary = OperationOutput<'analytics.summary'>;
export type AccountPnl = Summary['accounts'][number];
export type Totals = Summary['totals'][number];
export type TradesAnswer = OperationOutput<'analytics.trades'>;
export type TradeStats = TradesAnswer['currencies'][number]['overall'];
export type RoundTrip = TradesAnswer['roundTrips'][number];
export type EquityAnswer = OperationOutput<'analytics.equity'>;
export type TotalEquityAnswer = OperationOutput<'analytics.totalEquity'>;
export type PnlUpdate = StreamPayloads['pnl'];

export const PERIODS = [
  { id: 'today', label: 'Today' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: '90d', label: '90 days' },
] as const;
export type PeriodId = (typeof PERIODS)[number]['id'];

const DAY_MS = 86_400_000;

/**
 * The window a period covers, ending now: "Today" from the local midnight (the browser's zone,
 * the same zone sent as `tz`), the others a rolling number of days.
 */
export function periodRange(id: PeriodId, now: number): { from: number; to: number } {
  if (id === 'today') {
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    return { from: midnight.getTime(), to: now };
  }
  const days = id === '7d' ? 7 : id === '30d' ? 30 : 90;
  return { from: now - days * DAY_MS, to: now };
}

/** Hourly points up to a week (at most 168), daily beyond (the equity answer caps buckets). */
export const equityInterval = (id: PeriodId): '1h' | '1d' =>
  id === 'today' || id === '7d' ? '1h' : '1d';

/**
 * The account the equity curve shows: the one chosen while it is still listed, else the first
 * with stored fills, else none.
 */
export function equityAccountFor(accounts: AccountPnl[], chosen?: string): string | undefined {
  if (chosen && accounts.some((a) => a.accountId === chosen)) return chosen;
  return accounts.find((a) => a.coverage === 'fills')?.accountId;
}

/**
 * The currency total equity is valued in: the one the totals are valued in, else USDT when a
 * market trades it, else the first asset (null before the markets are read).
 */
export function totalQuoteFor(quote: string, assets: readonly string[]): string | null {
  if (quote) return quote;
  if (assets.includes('USDT')) return 'USDT';
  return assets[0] ?? null;
}

/** The browser's IANA zone, `UTC` when it names none. */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Exact sum per key, null as soon as one value is unknown (an unknown is not a zero). */
function sumKnown(values: (string | null)[]): string | null {
  if (values.some((v) => v === null)) return null;
  return values.length === 0 ? '0' : addDecimal(...(values as string[]));
}

/**
 * Totals per currency recomputed for the open-position figures (unrealised, positions,
 * exposure) from the account rows; the realised figures stay as the server summed them.
 */
export function foldTotals(totals: Totals[], accounts: AccountPnl[]): Totals[] {
  return totals.map((t) => {
    const rows = accounts.filter((a) => a.currency === t.currency);
    if (rows.length === 0) return t;
    return {
      ...t,
      unrealised: sumKnown(rows.map((a) => a.unrealised)),
      openPositions: rows.reduce((n, a) => n + a.openPositions, 0),
      grossExposure: sumKnown(rows.map((a) => a.grossExposure)),
    };
  });
}

/**
 * Folds a `pnl` message into the summary on screen. The stream's realised figures cover the
 * UTC day, not the period the trader picked, so only the open-position figures are taken
 * as they come; `realisedMoved` says whether a round trip closed since the last message
 * about the same account (or there was none to compare with), so the caller re-reads the
 * realised figures and the statistics once instead of guessing them.
 */
export function foldPnl(
  summary: Summary,
  update: PnlUpdate,
  lastSeen: Record<string, AccountPnl>,
): { summary: Summary; realisedMoved: boolean } {
  let realisedMoved = false;
  const byId = new Map(update.accounts.map((a) => [a.accountId, a]));
  for (const a of update.accounts) {
    const before = lastSeen[a.accountId];
    if (
      !before ||
      before.tradesPeriod !== a.tradesPeriod ||
      before.realisedToday !== a.realisedToday
    ) {
      realisedMoved = true;
    }
  }
  const known = new Set(summary.accounts.map((a) => a.accountId));
  if (update.accounts.some((a) => !known.has(a.accountId))) realisedMoved = true;
  const accounts = summary.accounts.map((a) => {
    const u = byId.get(a.accountId);
    return u
      ? {
          ...a,
          unrealised: u.unrealised,
          openPositions: u.openPositions,
          grossExposure: u.grossExposure,
          ts: u.ts,
        }
      : a;
  });
  return {
    summary: {
      ...summary,
      asOf: Math.max(summary.asOf, update.ts),
      accounts,
      totals: foldTotals(summary.totals, accounts),
    },
    realisedMoved,
  };
}

/** `bot:7` → "Bot 7", `alert:tv` → "Alert tv", `manual` → "Manual". */
export function sourceLabel(key: string): string {
  const [kind, ...rest] = key.split(':');
  const name = rest.join(':');
  const word = kind ? kind.charAt(0).toUpperCase() + kind.slice(1) : key;
  return name ? `${word} ${name}` : word;
}

/** A decimal rounded half-even to `decimals` places, for display only. */
export function roundShown(v: string, decimals: number): string {
  const scale = decimalsOf(v);
  if (scale <= decimals) return showDecimal(v, decimals);
  const units = divRound(unitsAt(v, scale), pow10(scale - decimals), 'half_even');
  return formatDecimal(units, decimals);
}

/** A fraction as a percentage with one decimal (`0.5` → `50.0 %`); `—` when undefined. */
export const percent = (v: string | null) =>
  v === null ? '—' : `${roundShown(mulDecimal(v, '100'), 1)} %`;

/** A ratio (profit factor) to two decimals; `—` when undefined. */
export const ratio = (v: string | null) => (v === null ? '—' : roundShown(v, 2));

/** The hour of day as a range label: 9 → "09:00". */
export const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

/**
 * A money amount as the dashboard shows it: at the currency's scale (USDT 6 decimals, USD 2),
 * rounded half-even for display only, with at least two decimals (fewer only for an asset
 * that has fewer); every digit the server gives when the scale is not known; `—` when the
 * amount is unknown. Exact decimal text throughout: no float touches the figure.
 */
export function moneyAt(v: string | null, scale?: number): string {
  if (v === null) return '—';
  if (scale === undefined) return showDecimal(v, 2);
  const shown = Math.min(Math.max(decimalsOf(v), Math.min(2, scale)), scale);
  return roundShown(v, shown);
}

type TotalPoint = TotalEquityAnswer['points'][number];

/** A currency left out of some earlier days of the total (it is in the total now). */
export interface MissingDays {
  currency: string;
  days: number;
}

/**
 * What the total leaves out, now and on the days drawn, said apart: `now` is what today's
 * figure leaves out; `earlier` lists currencies that are in it now but had no daily close on
 * some earlier days (those days leave them out), with how many days.
 */
export function totalMissing(total: TotalEquityAnswer): { now: string[]; earlier: MissingDays[] } {
  const now = [...total.now.missing].sort();
  const counts = new Map<string, number>();
  for (const p of total.points) {
    for (const c of p.missing) if (!now.includes(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const earlier = [...counts]
    .map(([currency, days]) => ({ currency, days }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
  return { now, earlier };
}

/** An account of the total opened inside the period drawn (its name and when). */
export interface LateAccount {
  name: string;
  openedAt: number;
}

/**
 * The total's curve cut where its accounts all existed. The total carries today's balances
 * back (accounts, deposits and funding are not dated in it), so a day that ended before an
 * account was opened counts that account anyway: `before` are those days (drawn apart, not
 * as history), `since` the days after the last opening and now. `late` names the accounts
 * opened after the first day drawn. The local exchange's share (one wallet, funded by
 * deposits the total does not date) is not cut here: the caveat under the curve says so.
 */
export function splitAtOpenings(
  total: TotalEquityAnswer,
  openedAt: Readonly<Record<string, number>>,
): { before: TotalPoint[]; since: TotalPoint[]; late: LateAccount[]; boundary: number | null } {
  const all = [...total.points, total.now];
  const first = all[0]?.t ?? total.now.t;
  const late = total.now.accounts
    .filter((a) => a.venue !== 'local' && openedAt[a.accountId] !== undefined)
    .map((a) => ({ name: a.name, openedAt: openedAt[a.accountId]! }))
    .filter((a) => a.openedAt > first)
    .sort((a, b) => a.openedAt - b.openedAt);
  const boundary = late.length > 0 ? late[late.length - 1]!.openedAt : null;
  if (boundary === null) return { before: [], since: all, late, boundary };
  // A daily point is valued at the end of its UTC day: it counts an account opened that day.
  const ended = (p: TotalPoint) => p !== total.now && p.t + DAY_MS <= boundary;
  const before = all.filter(ended);
  const since = all.filter((p) => !ended(p));
  return { before, since, late, boundary };
}
