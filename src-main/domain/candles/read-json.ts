import type { IssueLog } from './issues';
import { parseTimestamp } from './parse-time';
import type { RawBar } from './validate';

const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;

function timeOf(v: unknown): number {
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v;
  if (typeof v === 'string') return parseTimestamp(v);
  return NaN;
}

/** Reads one array element: `[ms, o, h, l, c, v]` or `{ time|timestamp|date, open, ... }`. */
function elementToBar(row: number, e: unknown, log: IssueLog): RawBar | null {
  if (Array.isArray(e)) {
    if (e.length < 5) {
      log.add(row, 'missing-field', `expected [time, open, high, low, close, volume]`);
      return null;
    }
    const [t, o, h, l, c, v] = e as unknown[];
    return {
      row,
      time: timeOf(t),
      open: num(o),
      high: num(h),
      low: num(l),
      close: num(c),
      volume: v === undefined ? 0 : num(v),
      openInterest: NaN,
      adjClose: NaN,
    };
  }
  if (e !== null && typeof e === 'object') {
    const r = e as Record<string, unknown>;
    return {
      row,
      time: timeOf(r.time ?? r.timestamp ?? r.date),
      open: num(r.open),
      high: num(r.high),
      low: num(r.low),
      close: num(r.close),
      volume: r.volume === undefined ? 0 : num(r.volume),
      openInterest: NaN,
      adjClose: NaN,
    };
  }
  log.add(row, 'missing-field', 'element is neither an array nor an object');
  return null;
}

/** Reads a JSON array of candles. Numbers below 1e11 as time are seconds, otherwise ms. */
export function readJson(text: string, log: IssueLog): RawBar[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    log.add(0, 'bad-json', e instanceof Error ? e.message : 'invalid JSON');
    return [];
  }
  if (!Array.isArray(data)) {
    log.add(0, 'bad-json', 'top level must be an array of candles');
    return [];
  }
  const bars: RawBar[] = [];
  data.forEach((e, i) => {
    const b = elementToBar(i + 1, e, log);
    if (b) bars.push(b);
  });
  return bars;
}
