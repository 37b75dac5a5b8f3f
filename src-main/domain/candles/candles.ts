/**
 * Candles as struct-of-arrays: one typed array per field.
 *
 * Why: the backtest loop reads `close[i]`, `high[i]`... millions of times; contiguous
 * Float64Arrays keep that loop monomorphic and cache friendly, and slices are free views.
 *
 * Time convention: `time[i]` is the timestamp the source wrote for the bar, in milliseconds
 * since the Unix epoch, interpreted as UTC (a date-only row is UTC midnight). We do not
 * shift it to a bar-open or bar-close convention because sources disagree.
 */
export interface Candles {
  /** Number of bars. */
  readonly length: number;
  /** Bar timestamp, ms since epoch, UTC, strictly increasing. */
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Traded volume; 0 when the source had no volume column. */
  readonly volume: Float64Array;
  /** Open interest when the source carried it, else null. */
  readonly openInterest: Float64Array | null;
}

/** One bar as a plain object: convenient for building fixtures and for JSON edges. */
export interface CandleRow {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  openInterest?: number;
}

/** Allocates zero-filled candles of the given length. */
export function allocateCandles(length: number, withOpenInterest = false): Candles {
  return {
    length,
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
    openInterest: withOpenInterest ? new Float64Array(length) : null,
  };
}

/** Builds struct-of-arrays candles from row objects (no validation: see `parseCandles`). */
export function candlesFromRows(rows: readonly CandleRow[]): Candles {
  const withOi = rows.some((r) => r.openInterest !== undefined);
  const c = allocateCandles(rows.length, withOi);
  rows.forEach((r, i) => {
    c.time[i] = r.time;
    c.open[i] = r.open;
    c.high[i] = r.high;
    c.low[i] = r.low;
    c.close[i] = r.close;
    c.volume[i] = r.volume;
    if (c.openInterest) c.openInterest[i] = r.openInterest ?? 0;
  });
  return c;
}

/** Returns bar `i` as a row object (allocates: not for hot loops). */
export function candleAt(c: Candles, i: number): CandleRow {
  const row: CandleRow = {
    time: c.time[i] ?? NaN,
    open: c.open[i] ?? NaN,
    high: c.high[i] ?? NaN,
    low: c.low[i] ?? NaN,
    close: c.close[i] ?? NaN,
    volume: c.volume[i] ?? NaN,
  };
  if (c.openInterest) row.openInterest = c.openInterest[i] ?? NaN;
  return row;
}

/** Zero-copy view of bars [start, end). */
export function sliceCandles(c: Candles, start: number, end = c.length): Candles {
  const s = Math.max(0, Math.min(start, c.length));
  const e = Math.max(s, Math.min(end, c.length));
  return {
    length: e - s,
    time: c.time.subarray(s, e),
    open: c.open.subarray(s, e),
    high: c.high.subarray(s, e),
    low: c.low.subarray(s, e),
    close: c.close.subarray(s, e),
    volume: c.volume.subarray(s, e),
    openInterest: c.openInterest ? c.openInterest.subarray(s, e) : null,
  };
}
