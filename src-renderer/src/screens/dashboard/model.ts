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

export { money, signClass } from '../accounts/format';

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
