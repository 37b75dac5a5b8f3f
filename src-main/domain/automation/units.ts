import { err, mulDecimal, ok, type DecimalText, type Result } from '../money';
import type { AlertIntent, Bracket } from './intent';

/**
 * What unit conversion needs to know about a market. `contractSize` is the base quantity of
 * one lot when the market declares one (futures, CFDs); spot markets leave it out.
 */
export interface MarketUnits {
  symbol: string;
  base: string;
  quote: string;
  /** Absent when the venue did not say: pips on a non-FX market are then refused. */
  tickSize?: DecimalText;
  contractSize?: DecimalText | null;
}

/** One standard FX lot: 100,000 units of the base currency (MetaTrader's convention). */
export const FX_LOT = '100000';

/**
 * ISO 4217 codes of currencies traded as FX pairs. A market whose base and quote are both
 * here is an FX pair: its lot is 100,000 base units and its pip 0.0001 (0.01 against JPY).
 */
const FX_CURRENCIES = new Set([
  'AUD', 'CAD', 'CHF', 'CNH', 'CZK', 'DKK', 'EUR', 'GBP', 'HKD', 'HUF', 'ILS', 'JPY', 'MXN',
  'NOK', 'NZD', 'PLN', 'SEK', 'SGD', 'THB', 'TRY', 'USD', 'ZAR',
]); // prettier-ignore

export const isFxPair = (m: Pick<MarketUnits, 'base' | 'quote'>): boolean =>
  FX_CURRENCIES.has(m.base.toUpperCase()) && FX_CURRENCIES.has(m.quote.toUpperCase());

/** Size of a pip in price: 0.0001 on FX (0.01 when JPY is the quote), else the tick. */
export function pipSize(m: MarketUnits): DecimalText | null {
  if (!isFxPair(m)) return m.tickSize && /[1-9]/.test(m.tickSize) ? m.tickSize : null;
  return m.quote.toUpperCase() === 'JPY' ? '0.01' : '0.0001';
}

/** Base quantity of one lot, or `null` when Bourse cannot know it for this market. */
export function lotSize(m: MarketUnits): DecimalText | null {
  if (m.contractSize) return m.contractSize;
  return isFxPair(m) ? FX_LOT : null;
}

function pipsToAmount(b: Bracket | undefined, pip: DecimalText): Bracket | undefined {
  if (!b?.pips) return b;
  return { amount: mulDecimal(b.pips, pip) };
}

/**
 * Turns the units an alert wrote in (PineConnector lots and pips) into what the venue
 * trades: `lots` × the market's lot → `qty` in base; `pips` × the market's pip → a price
 * distance (`amount`). Refuses, naming the market, when it has no lot Bourse can know.
 */
export function resolveUnits(intent: AlertIntent, m: MarketUnits): Result<AlertIntent> {
  let out: AlertIntent = intent;
  if (intent.lots !== undefined) {
    const lot = lotSize(m);
    if (!lot) {
      return err(
        'lot_size_unknown',
        `risk=/vol_lots= are lots, and Bourse does not know the lot of ${m.symbol}: ` +
          `it is not an FX pair (1 lot = ${FX_LOT} base) and declares no contract size. ` +
          `Send the quantity in ${m.base} instead (KEY=VALUE qty=, TradersPost quantity, unify.v1 qty)`,
        { field: 'lots', market: m.symbol },
      );
    }
    out = { ...out, qty: mulDecimal(intent.lots, lot) };
  }
  if (intent.takeProfit?.pips || intent.stopLoss?.pips) {
    const pip = pipSize(m);
    if (!pip) {
      return err('pip_size_unknown', `Bourse does not know the pip (tick) of ${m.symbol}`, {
        market: m.symbol,
      });
    }
    const tp = pipsToAmount(intent.takeProfit, pip);
    const sl = pipsToAmount(intent.stopLoss, pip);
    out = { ...out, ...(tp ? { takeProfit: tp } : {}), ...(sl ? { stopLoss: sl } : {}) };
  }
  return ok(out);
}
