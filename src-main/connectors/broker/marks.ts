import {
  compareDecimal,
  divDecimal,
  mulDecimal,
  subDecimal,
  type DecimalText,
} from '../../../src-shared/decimal';
import type { BrokerInstrument, BrokerPosition, BrokerQuote } from './port';

/** Decimals of an unrealised P&L Bourse computes (account currencies are cents). */
const PNL_SCALE = 2;

export interface PositionValue {
  markPrice: DecimalText | null;
  unrealisedPnl: DecimalText | null;
}

/**
 * The price a position is worth now: the broker's own when it sends one with the position,
 * else the side of the book that would close it (a long sells at the bid, a short buys at
 * the ask, as MetaTrader and the futures gateways value them), else the last trade.
 */
export function markOf(p: BrokerPosition, quote: BrokerQuote | undefined): DecimalText | null {
  if (p.markPrice) return p.markPrice;
  if (!quote) return null;
  return (p.side === 'long' ? quote.bid : quote.ask) ?? quote.last;
}

/**
 * How much one unit of price movement on one unit of quantity is worth in the account's
 * currency, as an exact fraction, when that is knowable without an exchange rate: a future's
 * tick value per tick size (ProjectX states tick values in USD, the account's currency), or a
 * spot / CFD / forex instrument whose quote currency is the account's (times its contract
 * size). Null otherwise: a P&L in another currency is not shown as if it were the account's.
 */
export function pointValue(
  instrument: BrokerInstrument | undefined,
  accountCurrency: string,
): { per: DecimalText; over: DecimalText } | null {
  if (!instrument) return null;
  if (instrument.kind === 'future') {
    if (!instrument.tickValue || compareDecimal(instrument.tickSize, '0') <= 0) return null;
    return { per: instrument.tickValue, over: instrument.tickSize };
  }
  if (instrument.quoteAsset?.toUpperCase() !== accountCurrency.toUpperCase()) return null;
  return { per: instrument.contractSize ?? '1', over: '1' };
}

/**
 * A position's mark and unrealised P&L. The broker's own P&L wins when it gives one
 * (TradeLocker and MetaTrader include swaps and their own conversion); otherwise it is
 * computed from the mark: (mark − entry) × qty × point value, negated for a short, with one
 * division at the end, rounded half-even to cents.
 */
export function valuePosition(
  p: BrokerPosition,
  quote: BrokerQuote | undefined,
  instrument: BrokerInstrument | undefined,
  accountCurrency: string,
): PositionValue {
  const markPrice = markOf(p, quote);
  if (p.unrealisedPnl !== null) return { markPrice, unrealisedPnl: p.unrealisedPnl };
  const value = pointValue(instrument, accountCurrency);
  if (markPrice === null || value === null) return { markPrice, unrealisedPnl: null };
  const move =
    p.side === 'long' ? subDecimal(markPrice, p.avgPrice) : subDecimal(p.avgPrice, markPrice);
  const exact = mulDecimal(mulDecimal(move, p.qty), value.per);
  return {
    markPrice,
    unrealisedPnl: divDecimal(exact, value.over, PNL_SCALE, 'half_even') ?? null,
  };
}

/** The sorted, distinct symbols of a set of positions (what the session asks quotes for). */
export function watchedSymbols(positions: Iterable<BrokerPosition>): string[] {
  return [...new Set([...positions].map((p) => p.symbol))].sort();
}
