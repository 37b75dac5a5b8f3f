import { csvCell } from '../../../src-shared/csv';
import type { BacktestResult } from './result';
import { formatMinor } from './money';

/** ISO-8601 UTC time, or empty for NaN. */
const iso = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString() : '');

/** Non-finite numbers become '' in CSV and null in JSON (neither format has NaN/Infinity). */
const numStr = (n: number): string => (Number.isFinite(n) ? String(n) : '');

/** Trades as CSV (header + one line per trade); money as exact decimal strings. */
export function tradesToCsv(r: BacktestResult): string {
  const scale = r.assumptions.currencyScale;
  const head =
    'id,side,quantity,entry_time,entry_price,exit_time,exit_price,gross_pnl,fees,net_pnl,return_pct,bars_held,exit_reason,tag';
  const lines = r.trades.map((t) =>
    [
      String(t.id),
      t.side,
      numStr(t.quantity),
      iso(t.entryTime),
      numStr(t.entryPrice),
      iso(t.exitTime),
      numStr(t.exitPrice),
      formatMinor(t.grossPnlMinor, scale),
      formatMinor(t.feesMinor, scale),
      formatMinor(t.netPnlMinor, scale),
      numStr(t.returnPct),
      String(t.barsHeld),
      t.exitReason,
      csvCell(t.tag),
    ].join(','),
  );
  return [head, ...lines].join('\n') + '\n';
}

/** Equity curve as CSV: time, equity (rounded to the minor unit), drawdown (10 decimal
 * digits), position. */
export function equityToCsv(r: BacktestResult): string {
  const scale = r.assumptions.currencyScale;
  const lines = ['time,equity,drawdown,position'];
  for (let i = 0; i < r.equity.length; i++) {
    lines.push(
      `${iso(r.time[i]!)},${r.equity[i]!.toFixed(scale)},${numStr(Number(r.drawdown[i]!.toFixed(10)))},${numStr(r.position[i]!)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Replaces non-finite numbers with null and typed arrays with plain arrays. */
function jsonSafe(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (v instanceof Float64Array) return Array.from(v, (x) => (Number.isFinite(x) ? x : null));
  return v;
}

/**
 * A JSON document of the whole result: assumptions, metrics, trades (money also as decimal
 * strings), orders and, unless `includeCurves` is false, the curves. NaN/Infinity → null.
 */
export function resultToJson(
  r: BacktestResult,
  options: { includeCurves?: boolean; space?: number } = {},
): string {
  const scale = r.assumptions.currencyScale;
  const curves =
    options.includeCurves === false
      ? {}
      : { time: r.time, equity: r.equity, drawdown: r.drawdown, position: r.position };
  const doc = {
    status: r.status,
    strategyId: r.strategyId,
    params: r.params,
    assumptions: r.assumptions,
    interval: r.interval,
    totalBars: r.totalBars,
    barsProcessed: r.barsProcessed,
    bankrupt: r.bankrupt,
    initialCash: formatMinor(r.initialCashMinor, scale),
    finalCash: formatMinor(r.finalCashMinor, scale),
    totalFees: formatMinor(r.totalFeesMinor, scale),
    metrics: r.metrics,
    trades: r.trades.map((t) => ({
      ...t,
      grossPnl: formatMinor(t.grossPnlMinor, scale),
      fees: formatMinor(t.feesMinor, scale),
      netPnl: formatMinor(t.netPnlMinor, scale),
    })),
    orders: r.orders,
    ...curves,
  };
  return JSON.stringify(doc, jsonSafe, options.space);
}
