import { formatDecimalTrimmed } from '../../../../src-shared/decimal';

/**
 * What the paper broker trades, in which currency, and on what terms: pure words for the
 * account form (which currency to keep) and the ticket (the markets of the account's
 * currency, the execution terms of the market chosen).
 */

/** The fields of a paper market (`paper.instruments.list`) these words read. */
export interface PaperMarket {
  symbol: string;
  kind: 'spot-cfd' | 'future' | 'cfd';
  quoteAsset: string;
  spreadPpm: number | null;
  commissionPpm: number | null;
  commissionPerContract: string | null;
}

/** The execution model of a paper account (`paperConfig`) these words read. */
export interface PaperTerms {
  spreadPpm: number;
  slippagePpmPer10k: number;
  maxSlippagePpm: number;
  commissionPpm: number;
  marginCallLevelPct: number;
  stopOutLevelPct: number;
}

/** A ppm figure as a percent, exactly (`200` → `0.02`); `half` halves it (`200` → `0.01`). */
export function ppmAsPercent(ppm: number, half = false): string {
  // ppm / 10,000 is the percent: 4 decimals, or 5 for half of an odd ppm (× 5 / 100,000).
  return half ? formatDecimalTrimmed(BigInt(ppm) * 5n, 5) : formatDecimalTrimmed(BigInt(ppm), 4);
}

/**
 * The currencies a paper account can keep and trade in: the ones the paper broker's markets
 * settle in, in the order the broker lists them (its local markets first).
 */
export function paperCurrencies(markets: readonly PaperMarket[]): string[] {
  return [...new Set(markets.map((m) => m.quoteAsset))];
}

/** The markets a paper account in `currency` trades (the broker refuses the others). */
export function marketsIn<M extends PaperMarket>(markets: readonly M[], currency: string): M[] {
  return markets.filter((m) => m.quoteAsset === currency);
}

/** Markets of other currencies, by currency: what another paper account would trade. */
export function otherCurrencies(
  markets: readonly PaperMarket[],
  currency: string,
): { currency: string; symbols: string[] }[] {
  return paperCurrencies(markets)
    .filter((c) => c !== currency)
    .map((c) => ({ currency: c, symbols: marketsIn(markets, c).map((m) => m.symbol) }));
}

/** "A", "A and B", "A, B and C". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A future's or CFD's commission in words: per contract and/or a rate of the notional. */
export function instrumentCommission(m: PaperMarket): string {
  const parts = [
    m.commissionPerContract && !/^0*\.?0*$/.test(m.commissionPerContract)
      ? `${m.commissionPerContract} ${m.quoteAsset} per contract`
      : null,
    m.commissionPpm ? `${ppmAsPercent(m.commissionPpm)} % of notional` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' + ') : 'none';
}

/**
 * How an order on `market` is filled and charged. A local market (`spot-cfd`, or one not
 * known yet) fills at the book's touch widened by the account's spread and pays the account's
 * commission; a future or CFD fills at its own bid/ask around its index (the instrument's
 * spread; the account's is not added) and pays the instrument's commission (the account's is
 * not used). Size slippage, margin call and stop-out are the account's for both.
 */
export function executionText(cfg: PaperTerms, market: PaperMarket | undefined): string {
  const slippage = `slippage ${ppmAsPercent(cfg.slippagePpmPer10k)} % per 10,000 of size (max ${ppmAsPercent(cfg.maxSlippagePpm)} %)`;
  const levels = `Margin call at ${cfg.marginCallLevelPct} %, stop-out at ${cfg.stopOutLevelPct} %.`;
  if (market === undefined || market.kind === 'spot-cfd') {
    return `Execution: book touch ± ${ppmAsPercent(cfg.spreadPpm, true)} % half-spread, ${slippage}, commission ${ppmAsPercent(cfg.commissionPpm)} %. ${levels}`;
  }
  return (
    `Execution of ${market.symbol} (its own terms): its bid / ask, index ± ${ppmAsPercent(market.spreadPpm ?? 0, true)} % half-spread, ` +
    `${slippage}, commission ${instrumentCommission(market)}; this account's spread and commission do not apply. ` +
    `${levels} Liquidation at maintenance margin.`
  );
}
