import { csvCell } from '../../../src-shared/csv';
import type { ReportFormat } from '../../../src-shared/contract/analytics';
import { fixedText, fx, type RoundTrip } from '../../domain/analytics';
import type { History } from './history';

/** One line of a statement's per-account or per-market part. */
export interface StatementLine {
  accountId: string;
  accountName: string;
  venue: string;
  market: string;
  currency: string;
  trades: number;
  grossPnl: string;
  fees: string;
  netPnl: string;
}

/** A period's P&L statement: per account, per account and market, and every round trip. */
export interface Statement {
  from: number;
  to: number;
  generatedAt: number;
  accounts: StatementLine[];
  markets: StatementLine[];
  roundTrips: RoundTrip[];
}

/** Builds the statement of round trips closed in [from, to] from a user's history. */
export function buildStatement(h: History, from: number, to: number, now: number): Statement {
  const trips = h.book.trips
    .filter((t) => t.closedAt >= from && t.closedAt <= to)
    .sort((a, b) => a.closedAt - b.closedAt);
  const names = new Map(h.accounts.map((a) => [a.id, a]));
  const line = (t: RoundTrip, market: string): StatementLine => ({
    accountId: t.accountId,
    accountName: names.get(t.accountId)?.name ?? t.accountId,
    venue: t.venue,
    market,
    currency: t.currency,
    trades: 0,
    grossPnl: '0',
    fees: '0',
    netPnl: '0',
  });
  const accounts = new Map<string, StatementLine>();
  const markets = new Map<string, StatementLine>();
  const add = (map: Map<string, StatementLine>, key: string, t: RoundTrip, market: string) => {
    const l = map.get(key) ?? line(t, market);
    map.set(key, {
      ...l,
      trades: l.trades + 1,
      grossPnl: fixedText(fx(l.grossPnl) + fx(t.grossPnl)),
      fees: fixedText(fx(l.fees) + fx(t.fees)),
      netPnl: fixedText(fx(l.netPnl) + fx(t.netPnl)),
    });
  };
  for (const t of trips) {
    add(accounts, `${t.accountId}\u0000${t.currency}`, t, '');
    add(markets, `${t.accountId}\u0000${t.market}\u0000${t.currency}`, t, t.market);
  }
  const byKey = (a: StatementLine, b: StatementLine) =>
    `${a.accountName}\u0000${a.market}\u0000${a.currency}` <
    `${b.accountName}\u0000${b.market}\u0000${b.currency}`
      ? -1
      : 1;
  return {
    from,
    to,
    generatedAt: now,
    accounts: [...accounts.values()].sort(byKey),
    markets: [...markets.values()].sort(byKey),
    roundTrips: trips,
  };
}

const COLUMNS = [
  'record',
  'account_id',
  'account_name',
  'venue',
  'market',
  'currency',
  'side',
  'qty',
  'entry_price',
  'exit_price',
  'opened_at',
  'closed_at',
  'trades',
  'gross_pnl',
  'fees',
  'net_pnl',
  'source',
] as const;

const iso = (ts: number) => new Date(ts).toISOString();

/**
 * The statement as CSV (RFC 4180: CRLF line ends, quoted cells where needed): one header,
 * then `account` lines, `market` lines and one `round_trip` line per round trip. Text cells
 * go through `csvCell` (quoting, and a spreadsheet formula defused); amounts are plain.
 */
export function statementCsv(s: Statement): string {
  const row = (cells: Record<(typeof COLUMNS)[number], string | number>) =>
    COLUMNS.map((c) => cells[c]).join(',');
  const text = (v: string) => csvCell(v);
  const lines: string[] = [COLUMNS.join(',')];
  const summaryLine = (record: string, l: StatementLine) =>
    row({
      record,
      account_id: text(l.accountId),
      account_name: text(l.accountName),
      venue: text(l.venue),
      market: text(l.market),
      currency: text(l.currency),
      side: '',
      qty: '',
      entry_price: '',
      exit_price: '',
      opened_at: '',
      closed_at: '',
      trades: l.trades,
      gross_pnl: l.grossPnl,
      fees: l.fees,
      net_pnl: l.netPnl,
      source: '',
    });
  for (const l of s.accounts) lines.push(summaryLine('account', l));
  for (const l of s.markets) lines.push(summaryLine('market', l));
  const names = new Map(s.accounts.map((l) => [l.accountId, l.accountName]));
  for (const t of s.roundTrips) {
    lines.push(
      row({
        record: 'round_trip',
        account_id: text(t.accountId),
        account_name: text(names.get(t.accountId) ?? t.accountId),
        venue: text(t.venue),
        market: text(t.market),
        currency: text(t.currency),
        side: t.side,
        qty: t.qty,
        entry_price: t.entryPrice,
        exit_price: t.exitPrice,
        opened_at: iso(t.openedAt),
        closed_at: iso(t.closedAt),
        trades: 1,
        gross_pnl: t.grossPnl,
        fees: t.fees,
        net_pnl: t.netPnl,
        source: text(t.source),
      }),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/** The statement in the format asked for, with the name and type a download takes. */
export function renderStatement(s: Statement, format: ReportFormat, name: string) {
  return format === 'csv'
    ? { filename: `${name}.csv`, contentType: 'text/csv; charset=utf-8', body: statementCsv(s) }
    : {
        filename: `${name}.json`,
        contentType: 'application/json',
        body: JSON.stringify(s, null, 2) + '\n',
      };
}
