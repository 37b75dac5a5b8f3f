/**
 * Problems found while importing candles, reported row by row.
 *
 * Policy (one table, so the UI can show it): a row with an `error` is dropped; a `warning`
 * keeps the row (possibly repaired, which the message says). The import as a whole is only
 * rejected when no valid bar remains.
 */
export type CandleIssueCode =
  | 'bad-json'
  | 'no-data'
  | 'missing-field'
  | 'bad-number'
  | 'bad-time'
  | 'high-below-low'
  | 'negative-volume'
  | 'duplicate-time'
  | 'out-of-order'
  | 'open-outside-range'
  | 'close-outside-range'
  | 'non-positive-price'
  | 'reversed-order'
  | 'gap';

/** Severity per code: errors drop the row, warnings keep it. */
export const ISSUE_SEVERITY: Readonly<Record<CandleIssueCode, 'error' | 'warning'>> = {
  'bad-json': 'error',
  'no-data': 'error',
  'missing-field': 'error',
  'bad-number': 'error',
  'bad-time': 'error',
  'high-below-low': 'error',
  'negative-volume': 'error',
  'duplicate-time': 'error',
  'out-of-order': 'error',
  'open-outside-range': 'warning',
  'close-outside-range': 'warning',
  'non-positive-price': 'warning',
  'reversed-order': 'warning',
  gap: 'warning',
};

/**
 * One problem. `row` is the 1-based line number in a CSV file (header included) or the
 * 1-based element position in a JSON array; 0 means the file as a whole.
 */
export interface CandleIssue {
  row: number;
  code: CandleIssueCode;
  severity: 'error' | 'warning';
  message: string;
}

/** Collects issues, counting all of them but storing at most `limit` (a broken 1M-row file
 * must not produce a 1M-entry report). */
export class IssueLog {
  readonly issues: CandleIssue[] = [];
  readonly counts: Partial<Record<CandleIssueCode, number>> = {};
  constructor(private readonly limit: number) {}

  /** Records one issue. */
  add(row: number, code: CandleIssueCode, message: string): void {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
    if (this.issues.length < this.limit) {
      this.issues.push({ row, code, severity: ISSUE_SEVERITY[code], message });
    }
  }

  /** Total number of issues seen, stored or not. */
  get total(): number {
    let n = 0;
    for (const v of Object.values(this.counts)) n += v ?? 0;
    return n;
  }
}
