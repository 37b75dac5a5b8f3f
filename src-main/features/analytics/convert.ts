import { AppError } from '../../../src-shared/contract';
import { convert, fixedText, fx, type Rate } from '../../domain/analytics';
import { ticksToPrice } from '../../domain/markets';
import type { AnalyticsDeps } from './ports';

/** A currency's totals as the summary gives them. */
interface Totals {
  currency: string;
  realisedToday: string;
  realisedPeriod: string;
  unrealised: string | null;
  grossExposure: string | null;
}

/** The local exchange's last trade price of a market, null before its first trade. */
export function lastPrice(deps: AnalyticsDeps, market: string): string | null {
  if (!deps.exchange.hasMarket(market)) return null;
  const m = deps.exchange.market(market);
  return m.engine.lastPrice > 0 ? ticksToPrice(m.spec, m.engine.lastPrice) : null;
}

/** How `currency` becomes `quote` on the local exchange now, or null when no market says. */
export function rateOf(deps: AnalyticsDeps, currency: string, quote: string): Rate | null {
  if (currency === quote) return { kind: 'same' };
  const direct = `${currency}/${quote}`;
  const price = lastPrice(deps, direct);
  if (price !== null) return { kind: 'direct', market: direct, price };
  const inverse = `${quote}/${currency}`;
  const back = lastPrice(deps, inverse);
  return back !== null ? { kind: 'inverse', market: inverse, price: back } : null;
}

/** The totals valued in `quote`, each currency converted once and then added. */
export function convertTotals(deps: AnalyticsDeps, totals: readonly Totals[], quote: string) {
  const asset = deps.exchange.asset(quote);
  if (!asset) {
    throw new AppError('unknown_asset', `No asset ${quote} to value the totals in`, {
      field: 'quote',
    });
  }
  const sums = {
    today: 0n,
    period: 0n,
    unrealised: 0n as bigint | null,
    exposure: 0n as bigint | null,
  };
  const rates = [];
  const unconverted = [];
  for (const t of totals) {
    const rate = rateOf(deps, t.currency, quote);
    if (!rate) {
      unconverted.push(t.currency);
      continue;
    }
    const to = (v: string) => fx(convert(v, rate, asset.scale));
    rates.push({
      currency: t.currency,
      market: rate.kind === 'same' ? null : rate.market,
      price: rate.kind === 'same' ? '1' : rate.price,
    });
    sums.today += to(t.realisedToday);
    sums.period += to(t.realisedPeriod);
    sums.unrealised =
      sums.unrealised === null || t.unrealised === null ? null : sums.unrealised + to(t.unrealised);
    sums.exposure =
      sums.exposure === null || t.grossExposure === null
        ? null
        : sums.exposure + to(t.grossExposure);
  }
  return {
    quote,
    realisedToday: fixedText(sums.today),
    realisedPeriod: fixedText(sums.period),
    unrealised: sums.unrealised === null ? null : fixedText(sums.unrealised),
    grossExposure: sums.exposure === null ? null : fixedText(sums.exposure),
    rates,
    unconverted,
  };
}
