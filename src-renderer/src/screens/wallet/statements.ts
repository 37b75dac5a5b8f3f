import type { OperationInput, OperationOutput } from '../../../../src-shared/contract';
import { csvCell } from '../../../../src-shared/csv';

export type Fill = OperationOutput<'trades.list'>['items'][number];
export type Entry = OperationOutput<'ledger.entries'>['items'][number];

/** Inclusive bounds in Unix ms; a missing bound is open. */
export interface Period {
  from?: number;
  to?: number;
}

/** The most rows one export holds: enough for years of manual trading, bounded for a bot's. */
export const STATEMENT_MAX = 100_000;
const PAGE = 500;

/**
 * The period two date inputs name (`YYYY-MM-DD`, blank = open), as whole local days: from
 * the start of the first day to the last millisecond of the last. Days are built from their
 * parts, not by adding 24 h, so a day with a daylight-saving change is still one day.
 */
export function periodOf(fromDate: string, toDate: string): Period | { error: string } {
  const day = (text: string, offset: number) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return undefined;
    return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + offset).getTime();
  };
  const from = fromDate ? day(fromDate, 0) : undefined;
  const end = toDate ? day(toDate, 1) : undefined;
  if ((fromDate && from === undefined) || (toDate && end === undefined)) {
    return { error: 'Dates are written YYYY-MM-DD.' };
  }
  const to = end === undefined ? undefined : end - 1;
  if (from !== undefined && to !== undefined && from > to) {
    return { error: 'The period ends before it starts.' };
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** Rows of an export, oldest first; `complete` is false when STATEMENT_MAX cut it short. */
export interface Statement<T> {
  items: T[];
  complete: boolean;
}

/** The user's fills in the period, oldest first, read with the server's time filter. */
export async function tradesIn(
  period: Period,
  list: (input: OperationInput<'trades.list'>) => Promise<OperationOutput<'trades.list'>>,
  max = STATEMENT_MAX,
): Promise<Statement<Fill>> {
  const items: Fill[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({
      ...period,
      order: 'asc',
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return { items: items.slice(0, max), complete: !cursor && items.length <= max };
}

/**
 * The user's journal entries in the period, oldest first. `ledger.entries` lists newest
 * first with no time filter, so entries after the period are skipped and the listing stops
 * at the first entry before it (entries are numbered in the order they were committed). When
 * STATEMENT_MAX cuts it short, what is kept is the oldest part, as for trades.
 */
export async function ledgerIn(
  period: Period,
  list: (input: OperationInput<'ledger.entries'>) => Promise<OperationOutput<'ledger.entries'>>,
  max = STATEMENT_MAX,
): Promise<Statement<Entry>> {
  const newestFirst: Entry[] = [];
  let cursor: string | undefined;
  let done = false;
  let cut = false;
  do {
    const page = await list({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const e of page.items) {
      if (period.from !== undefined && e.ts < period.from) {
        done = true;
        break;
      }
      if (period.to === undefined || e.ts <= period.to) newestFirst.push(e);
    }
    cursor = page.nextCursor;
    // Past the cap, only the oldest `max` are kept: drop the newest rather than hold them all.
    if (newestFirst.length > max) {
      newestFirst.splice(0, newestFirst.length - max);
      cut = true;
    }
  } while (cursor && !done);
  return { items: newestFirst.reverse(), complete: !cut };
}

const utc = (ms: number) => new Date(ms).toISOString();
const lines = (header: string[], rows: string[][]) =>
  [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';

/**
 * Fills as CSV, one line per fill. Amounts are the exact decimals the ledger holds (never
 * through a float); text cells go through `csvCell`, numbers do not (a negative number would
 * get its formula guard).
 */
export function tradesCsv(fills: readonly Fill[]): string {
  const header = [
    'time_utc',
    'market',
    'base_asset',
    'quote_asset',
    'side',
    'role',
    'price',
    'quantity',
    'value',
    'fee',
    'fee_asset',
    'trade_id',
    'order_id',
  ];
  const rows = fills.map((f) => {
    const [base = '', quote = ''] = f.symbol.split('/');
    return [
      utc(f.ts),
      csvCell(f.symbol),
      csvCell(base),
      csvCell(quote),
      f.side,
      f.role,
      f.price,
      f.qty,
      f.quoteQty,
      f.fee,
      csvCell(f.feeAsset),
      String(f.tradeId),
      String(f.orderId),
    ];
  });
  return lines(header, rows);
}

/** Journal entries as CSV, one line per posting on the user's accounts (as ledgers export). */
export function ledgerCsv(entries: readonly Entry[]): string {
  const header = [
    'entry_id',
    'time_utc',
    'kind',
    'reason',
    'ref_type',
    'ref_id',
    'asset',
    'account',
    'amount',
  ];
  const rows = entries.flatMap((e) =>
    e.postings.map((p) => [
      String(e.id),
      utc(e.ts),
      csvCell(e.kind),
      csvCell(e.reason ?? ''),
      csvCell(e.refType),
      csvCell(e.refId),
      csvCell(p.asset),
      csvCell(p.purpose),
      p.amount,
    ]),
  );
  return lines(header, rows);
}

/** `bourse-trades-2026-01-01_2026-12-31.csv`; an open end reads `start` or today's date. */
export function statementName(kind: 'trades' | 'ledger', fromDate: string, toDate: string): string {
  const today = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const todayText = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
  return `bourse-${kind}-${fromDate || 'start'}_${toDate || todayText}.csv`;
}
