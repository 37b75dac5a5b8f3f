import { csvCell } from '../../../src-shared/csv';
import { type BacktestResult, type ParamValues } from '../../domain/backtest';

/**
 * Indices to keep so a curve of n points fits in `max`: per bucket, its first point and its
 * deepest drawdown (so the maximum drawdown survives), plus the last point. Null = keep all.
 */
export function thinned(drawdown: (number | null)[], max: number): number[] | null {
  const n = drawdown.length;
  if (n <= max) return null;
  const buckets = Math.max(1, Math.floor((max - 1) / 2));
  const size = n / buckets;
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    let deepest = start;
    for (let i = start; i < end; i++) {
      if ((drawdown[i] ?? 0) < (drawdown[deepest] ?? 0)) deepest = i;
    }
    out.push(start);
    if (deepest !== start) out.push(deepest);
  }
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/** Rebuilds what the CSV exporters read from a stored result document. */
export function resultFromJson(text: string): BacktestResult {
  const doc = JSON.parse(text) as Record<string, unknown>;
  const f64 = (a: unknown) => Float64Array.from((a as (number | null)[]) ?? [], (x) => x ?? NaN);
  const nan = (v: unknown) => (v === null ? NaN : v);
  const trades = (doc.trades as Record<string, unknown>[]).map((t) =>
    Object.fromEntries(Object.entries(t).map(([k, v]) => [k, nan(v)])),
  );
  return {
    ...(doc as object),
    time: f64(doc.time),
    equity: f64(doc.equity),
    drawdown: f64(doc.drawdown),
    position: f64(doc.position),
    trades,
  } as unknown as BacktestResult;
}

export function sweepCsv(
  runs: { params: ParamValues; metrics: Record<string, number | null>; error?: string }[],
): string {
  const pk = [...new Set(runs.flatMap((r) => Object.keys(r.params)))];
  const mk = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  // Numbers stay numbers (a negative return must not be turned into text); names, text
  // parameters and error messages go through `csvCell`, which also defuses formulas.
  const field = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'string' ? csvCell(v) : String(v);
  const lines = [[...pk, ...mk, 'error'].map(field).join(',')];
  for (const r of runs) {
    lines.push(
      [...pk.map((k) => r.params[k]), ...mk.map((k) => r.metrics[k]), r.error ?? '']
        .map(field)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
