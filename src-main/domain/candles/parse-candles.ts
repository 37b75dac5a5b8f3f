import type { Candles } from './candles';
import { allocateCandles } from './candles';
import type { BarInterval } from './interval';
import { detectInterval } from './interval';
import type { CandleIssue, CandleIssueCode } from './issues';
import { IssueLog } from './issues';
import type { CsvLayout } from './read-csv';
import { readCsv } from './read-csv';
import { readJson } from './read-json';
import type { GapMode, RawBar } from './validate';
import { checkBar, checkSequence, detectGapMode, reportGaps } from './validate';

/** Options for `parseCandles`; every one has a default. */
export interface ParseCandlesOptions {
  /** `auto` (default) sniffs: text starting with `[` or `{` is JSON, anything else CSV. */
  format?: 'auto' | 'csv' | 'json';
  /**
   * With an `Adj Close` column: `none` (default) uses the raw Close; `adjusted` scales
   * open/high/low/close by AdjClose/Close, the usual split-and-dividend back-adjustment.
   */
  adjust?: 'none' | 'adjusted';
  /** Gap judgement; `auto` (default) picks `continuous` if any bar falls on a weekend. */
  gapMode?: 'auto' | GapMode;
  /** Stored issue cap (all are counted in `issueCounts`). Default 10,000. */
  maxIssues?: number;
}

/** Result of an import: the accepted candles plus everything noticed on the way. */
export interface ParseCandlesResult {
  candles: Candles;
  /** Detected bar interval, null with fewer than two bars. */
  interval: BarInterval | null;
  format: 'csv' | 'json';
  /** CSV layout as understood (header mapping, delimiter), null for JSON. */
  layout: CsvLayout | null;
  gapMode: GapMode;
  /** Rows read from the file (before dropping). */
  rowsRead: number;
  /** Rows dropped because of an error-severity issue. */
  rowsRejected: number;
  issues: CandleIssue[];
  issueCounts: Partial<Record<CandleIssueCode, number>>;
  /** False when no valid bar remains (the import should be refused). */
  ok: boolean;
}

function toCandles(bars: RawBar[], adjusted: boolean): Candles {
  const withOi = bars.some((b) => Number.isFinite(b.openInterest));
  const c = allocateCandles(bars.length, withOi);
  bars.forEach((b, i) => {
    const k = adjusted && Number.isFinite(b.adjClose) && b.close !== 0 ? b.adjClose / b.close : 1;
    c.time[i] = b.time;
    c.open[i] = b.open * k;
    c.high[i] = b.high * k;
    c.low[i] = b.low * k;
    c.close[i] = b.close * k;
    c.volume[i] = b.volume;
    if (c.openInterest) c.openInterest[i] = Number.isFinite(b.openInterest) ? b.openInterest : 0;
  });
  return c;
}

/**
 * Parses and validates candle text (CSV or JSON; the service reads the file). Rows with
 * errors are dropped and reported; warnings (gaps, repaired ranges, reversed order) keep
 * the data. See `ISSUE_SEVERITY` for the policy and docs/backtesting.md for formats.
 */
export function parseCandles(text: string, options: ParseCandlesOptions = {}): ParseCandlesResult {
  const log = new IssueLog(options.maxIssues ?? 10_000);
  const trimmed = text.trimStart();
  const format =
    options.format === 'csv' || options.format === 'json'
      ? options.format
      : trimmed.startsWith('[') || trimmed.startsWith('{')
        ? 'json'
        : 'csv';
  let raw: RawBar[];
  let layout: CsvLayout | null = null;
  if (format === 'json') {
    raw = readJson(trimmed, log);
  } else {
    const r = readCsv(text, log);
    raw = r.bars;
    layout = r.layout;
  }
  const rowsRead = raw.length + (log.counts['missing-field'] ?? 0);
  const sane = checkSequence(
    raw.filter((b) => checkBar(b, log)),
    log,
  );
  const candles = toCandles(sane, options.adjust === 'adjusted');
  const interval = detectInterval(candles.time);
  const gapMode =
    options.gapMode && options.gapMode !== 'auto'
      ? options.gapMode
      : detectGapMode(candles.time, interval);
  if (interval) reportGaps(sane, interval, gapMode, log);
  if (sane.length === 0) log.add(0, 'no-data', 'no valid candle in the input');
  return {
    candles,
    interval,
    format,
    layout,
    gapMode,
    rowsRead,
    rowsRejected: rowsRead - sane.length,
    issues: log.issues,
    issueCounts: log.counts,
    ok: sane.length > 0,
  };
}
