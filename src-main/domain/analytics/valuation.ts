import { convert, type Rate } from './convert';
import { fx, mul, text } from './fixed';
import type { AnalyticsFill, OpenLot } from './round-trips';

/** Amounts by currency (or asset) in fixed units. */
export type Amounts = Map<string, bigint>;

/** Adds `units` of `currency` to `into`. */
export function addTo(into: Amounts, currency: string, units: bigint): void {
  if (units === 0n && into.has(currency)) return;
  into.set(currency, (into.get(currency) ?? 0n) + units);
}

/**
 * Σ of amounts in `quote` at `scale`: each currency converted once (one half-even rounding)
 * at the rate the caller found for it, then added. A currency without a rate is left out and
 * named in `missing`, so a total is never silently short of what it cannot value.
 */
export function totalIn(
  amounts: Amounts,
  rateOf: (currency: string) => Rate | null,
  scale: number,
): { total: bigint; missing: string[] } {
  let total = 0n;
  const missing: string[] = [];
  for (const [currency, units] of [...amounts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (units === 0n) continue;
    const rate = rateOf(currency);
    if (!rate) {
      missing.push(currency);
      continue;
    }
    total += fx(convert(text(units), rate, scale));
  }
  return { total, missing };
}

/**
 * Unrealised P&L of open lots at the marks `markOf` gives, per currency: (mark − entry) × qty
 * for a long, the reverse for a short. A lot whose market has no mark is counted in
 * `unmarked`, not valued.
 */
export function lotsUnrealised(
  lots: readonly OpenLot[],
  markOf: (market: string) => bigint | null,
): { byCurrency: Amounts; unmarked: number } {
  const byCurrency: Amounts = new Map();
  let unmarked = 0;
  for (const l of lots) {
    const mark = markOf(l.market);
    if (mark === null) {
      unmarked++;
      continue;
    }
    const move = mul(fx(l.qty), mark - fx(l.price));
    addTo(byCurrency, l.currency, l.side === 'long' ? move : -move);
  }
  return { byCurrency, unmarked };
}

/**
 * Spot holdings as they stood at `at`: the holdings now less what every fill after `at` did
 * to them (a buy added the base and spent the quote, a sell the reverse, the fee left its
 * asset). Deposits and withdrawals after `at` are not in the fills: they stay counted.
 */
export function holdingsAt(
  now: Amounts,
  fills: readonly AnalyticsFill[],
  at: number,
  baseOf: (market: string) => string,
): Amounts {
  const out: Amounts = new Map(now);
  for (const f of fills) {
    if (f.ts <= at) continue;
    const qty = fx(f.qty);
    const notional = mul(qty, fx(f.price));
    const base = baseOf(f.market);
    const way = f.side === 'buy' ? 1n : -1n;
    addTo(out, base, -way * qty);
    addTo(out, f.currency, way * notional);
    addTo(out, f.feeAsset, fx(f.fee));
  }
  return out;
}
