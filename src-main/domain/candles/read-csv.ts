import type { IssueLog } from './issues';
import { isClockTime, parseTimestamp } from './parse-time';
import type { RawBar } from './validate';

/** Logical columns we recognise in a CSV header. */
export type CsvField =
  'date' | 'time' | 'open' | 'high' | 'low' | 'close' | 'adjClose' | 'volume' | 'openInterest';

/** Header aliases, compared after lowercasing and stripping everything but letters/digits. */
const ALIASES: Readonly<Record<string, CsvField>> = {
  date: 'date',
  datetime: 'date',
  timestamp: 'date',
  day: 'date',
  time: 'time',
  open: 'open',
  o: 'open',
  high: 'high',
  h: 'high',
  low: 'low',
  l: 'low',
  close: 'close',
  c: 'close',
  adjclose: 'adjClose',
  adjustedclose: 'adjClose',
  volume: 'volume',
  vol: 'volume',
  v: 'volume',
  openinterest: 'openInterest',
  oi: 'openInterest',
};

/** What the reader learnt about the file's layout (echoed to the user). */
export interface CsvLayout {
  delimiter: string;
  hasHeader: boolean;
  columns: (CsvField | null)[];
  /** Rows carried a time column the header did not name (detected by row shape). */
  unnamedTimeColumn: boolean;
}

const normalise = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function pickDelimiter(line: string): string {
  const candidates = [',', ';', '\t', '|'];
  let best = ',';
  let bestN = 0;
  for (const d of candidates) {
    const n = line.split(d).length;
    if (n > bestN) [best, bestN] = [d, n];
  }
  return best;
}

/** Default column order for header-less files, chosen by field count and row shape. */
function defaultColumns(fields: string[]): (CsvField | null)[] {
  const timed = fields.length >= 2 && isClockTime(fields[1] ?? '');
  const base: CsvField[] = timed ? ['date', 'time'] : ['date'];
  const rest: CsvField[] = ['open', 'high', 'low', 'close', 'volume', 'openInterest'];
  return [...base, ...rest].slice(0, fields.length);
}

/** Inserts a `time` column after `date` for rows that carry one the header did not name. */
function withTime(cols: (CsvField | null)[]): (CsvField | null)[] {
  const at = cols.indexOf('date');
  return [...cols.slice(0, at + 1), 'time', ...cols.slice(at + 1)];
}

/** Position of each logical column in a row (-1 when absent), computed once per layout. */
type ColumnIndex = Record<CsvField, number>;

function indexColumns(cols: (CsvField | null)[]): ColumnIndex {
  const fields: CsvField[] = [
    'date',
    'time',
    'open',
    'high',
    'low',
    'close',
    'adjClose',
    'volume',
    'openInterest',
  ];
  return Object.fromEntries(fields.map((f) => [f, cols.indexOf(f)])) as ColumnIndex;
}

/** Parses a numeric cell strictly: empty or partial numbers ("12abc") are NaN. */
function num(f: string[], i: number): number {
  if (i < 0) return NaN;
  let t = (f[i] ?? '').trim();
  if (t.charCodeAt(0) === 34) t = t.replace(/^"|"$/g, '');
  return t === '' ? NaN : Number(t);
}

function toBar(row: number, f: string[], ix: ColumnIndex): RawBar {
  const date = (f[ix.date] ?? '').replace(/"/g, '');
  return {
    row,
    time: parseTimestamp(date, ix.time < 0 ? undefined : f[ix.time]),
    open: num(f, ix.open),
    high: num(f, ix.high),
    low: num(f, ix.low),
    close: num(f, ix.close),
    volume: ix.volume < 0 ? 0 : num(f, ix.volume),
    openInterest: num(f, ix.openInterest),
    adjClose: num(f, ix.adjClose),
  };
}

/**
 * Reads CSV text into raw bars. The header (if any) maps columns by name; a row with one
 * more field than the header whose second field is a clock time is read as Date,Time,...
 * (the backtrader minute files name 7 columns but carry 8).
 */
export function readCsv(text: string, log: IssueLog): { bars: RawBar[]; layout: CsvLayout } {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  const delimiter = pickDelimiter(lines[first] ?? '');
  const head = (lines[first] ?? '').split(delimiter);
  const hasHeader = first >= 0 && !Number.isFinite(parseTimestamp(head[0] ?? ''));
  let columns = hasHeader ? head.map((h) => ALIASES[normalise(h)] ?? null) : defaultColumns(head);
  const timed = columns.includes('time') ? columns : withTime(columns);
  const layout: CsvLayout = { delimiter, hasHeader, columns, unnamedTimeColumn: false };
  const bars: RawBar[] = [];
  const needed = columns.filter((c) => c !== null).length;
  const plainIx = indexColumns(columns);
  const timedIx = indexColumns(timed);
  for (let i = hasHeader ? first + 1 : Math.max(first, 0); i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const f = line.split(delimiter);
    let cols = columns;
    if (f.length === columns.length + 1 && timed !== columns && isClockTime(f[1] ?? '')) {
      cols = timed;
      layout.unnamedTimeColumn = true;
    }
    if (f.length < (cols === columns ? needed : needed + 1)) {
      log.add(i + 1, 'missing-field', `expected ${cols.length} fields, got ${f.length}`);
      continue;
    }
    bars.push(toBar(i + 1, f, cols === columns ? plainIx : timedIx));
  }
  if (layout.unnamedTimeColumn) columns = timed;
  layout.columns = columns;
  return { bars, layout };
}
