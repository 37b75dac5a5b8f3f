/** Display helpers of the backtest screen. */

export const pct = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)} %`;

export const num = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const int = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : Math.round(v).toLocaleString('en-US');

/**
 * An exact decimal string (a trade's P&L or fees) with thousands separators, as the prices
 * beside it have them, and every digit kept: `-31546.73` → `-31,546.73`. Anything else is
 * shown as it is.
 */
export function grouped(v: string): string {
  const m = /^(-?)([0-9]+)(\.[0-9]+)?$/.exec(v);
  if (!m) return v;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

/**
 * How many decimals a column of prices needs (2 to `max`): a dataset's prices on a cent tick
 * show `29,057.99`, not `29,057.9900`; prices moved by slippage show up to `max`.
 */
export function priceDigits(prices: readonly number[], max = 4): number {
  let digits = 2;
  for (const p of prices) {
    if (!Number.isFinite(p)) continue;
    while (digits < max) {
      const shown = Number(p.toFixed(digits));
      if (Math.abs(shown - p) <= Math.abs(p) * 1e-12) break;
      digits += 1;
    }
  }
  return digits;
}

export function date(ms: number | null | undefined, withTime = false): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const iso = new Date(ms).toISOString();
  return withTime ? iso.slice(0, 16).replace('T', ' ') : iso.slice(0, 10);
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.round(h / 24)} days`;
}

/** Metrics in display order: label, key, formatter. */
export const METRICS: readonly [string, string, (v: number | null | undefined) => string][] = [
  ['Net profit', 'netProfit', (v) => num(v)],
  ['End equity', 'endEquity', (v) => num(v)],
  ['Total return', 'totalReturn', (v) => pct(v)],
  ['CAGR', 'cagr', (v) => pct(v)],
  ['Annualised volatility', 'annualVolatility', (v) => pct(v)],
  ['Sharpe', 'sharpe', (v) => num(v)],
  ['Sortino', 'sortino', (v) => num(v)],
  ['Calmar', 'calmar', (v) => num(v)],
  ['Max drawdown', 'maxDrawdown', (v) => pct(v)],
  ['Max drawdown duration', 'maxDrawdownDurationMs', (v) => duration(v)],
  ['Trades', 'tradeCount', (v) => int(v)],
  ['Win rate', 'winRate', (v) => pct(v, 1)],
  ['Profit factor', 'profitFactor', (v) => num(v)],
  ['Expectancy', 'expectancy', (v) => num(v)],
  ['Average win', 'avgWin', (v) => num(v)],
  ['Average loss', 'avgLoss', (v) => num(v)],
  ['Total fees', 'totalFees', (v) => num(v)],
  ['Exposure', 'exposure', (v) => pct(v, 1)],
];

/** One-line description of an assumption set as echoed by the backend. */
/** A run's instrument in words (runs from before futures have none: spot). */
function instrumentText(i: unknown): string {
  const f = (i ?? {}) as Record<string, number | string>;
  if (f.kind !== 'future') return 'spot';
  return `future: ${f.multiplier} per point, ${f.initialMargin} margin and ${f.commissionPerContract} commission per contract`;
}

export function assumptionRows(a: unknown): [string, string][] {
  const x = (a ?? {}) as Record<string, unknown>;
  const c = (x.commission ?? {}) as Record<string, number | string>;
  const s = (x.slippage ?? {}) as Record<string, number | string>;
  const z = (x.sizing ?? {}) as Record<string, number | string>;
  const m = (x.metrics ?? {}) as Record<string, number | string | null>;
  const commission =
    c.kind === 'none'
      ? 'none'
      : c.kind === 'percent'
        ? `${Number(c.rate) * 100} % of notional`
        : c.kind === 'per-unit'
          ? `${c.amount} per unit`
          : `${c.amount} per order`;
  const slippage =
    s.kind === 'bps' ? `${s.bps} bps` : s.kind === 'ticks' ? `${s.ticks} ticks` : 'none';
  const future = (x.instrument as { kind?: string } | undefined)?.kind === 'future';
  const sizing =
    z.kind === 'percent-equity'
      ? `${z.percent} % of equity`
      : z.kind === 'fixed-cash'
        ? `${z.amount} cash per entry`
        : `${z.quantity} units`;
  return [
    ['Initial cash', num(Number(x.initialCash))],
    ['Cash decimals', String(x.currencyScale)],
    ['Commission', commission],
    ['Slippage', slippage],
    ['Spread', String(x.spread)],
    ['Sizing', sizing],
    ['Quantity step', String(x.quantityStep)],
    ['Short selling', x.allowShort ? 'allowed' : 'not allowed'],
    ['Instrument', instrumentText(x.instrument)],
    ...(future ? [] : [['Leverage', `${x.leverage}×`] as [string, string]]),
    ['Contract multiplier', String(x.contractMultiplier)],
    [
      'Indicator conventions',
      x.indicatorConvention === 'talib' ? 'TA-Lib / backtrader' : 'TradingView (ta.*)',
    ],
    ['Market orders fill', x.marketFill === 'next-close' ? 'next bar close' : 'next bar open'],
    ['Close at end', x.closeAtEnd ? 'yes' : 'no'],
    [
      'Periods per year',
      m.periodsPerYear === null || m.periodsPerYear === undefined
        ? `from bar interval (${m.calendar === 'crypto' ? '365 × 24 h' : '252 trading days'})`
        : String(m.periodsPerYear),
    ],
    ['Std. deviation', m.stdDev === 'population' ? 'population (n)' : 'sample (n − 1)'],
    ['Risk-free rate', `${Number(m.riskFreeRate ?? 0) * 100} % a year`],
    ['Sharpe/Sortino basis', m.returnsBasis === 'trade' ? 'per-trade returns' : 'per-bar returns'],
  ];
}
