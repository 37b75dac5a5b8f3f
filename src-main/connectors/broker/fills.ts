import crypto from 'node:crypto';
import { divDecimal, type DecimalText } from '../../../src-shared/decimal';
import { pointValue } from './marks';
import type { BrokerFill, BrokerInstrument } from './port';

/** Decimals kept of a multiplier that is not a whole number (tick value ÷ tick size). */
const MULTIPLIER_SCALE = 12;

/** Ids a connector produces when the venue sent none (an empty cell, a missing number). */
const NO_ID = new Set(['', 'NaN', 'undefined', 'null', '0']);

/**
 * The key a fill is stored under: the venue's own fill id, or for a venue that sent none a
 * digest of what identifies the execution (order, symbol, side, quantity, price, time). A
 * replay of the same execution (a re-sync, a reconnect, a poll that sees it again) carries the
 * same fields, so it digests to the same key and is not stored twice. Two genuinely distinct
 * executions identical in all six would collapse into one: the venue then gave nothing to tell
 * them apart, and counting a replay twice is the worse error.
 */
export function fillKey(f: BrokerFill): string {
  if (!NO_ID.has(f.fillId.trim())) return f.fillId;
  const digest = crypto
    .createHash('sha256')
    .update([f.orderId, f.symbol, f.side, f.qty, f.price, String(f.time)].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  return `derived:${digest}`;
}

/** How a fill's price × quantity becomes money: the currency and the multiplier. */
export interface FillValuation {
  currency: string;
  multiplier: DecimalText;
}

/**
 * The money a fill's price moves are worth: in the account's currency when the instrument
 * says how (a future's tick value per tick size; a spot, CFD or forex instrument quoted in the
 * account's currency, times its contract size); otherwise in the instrument's quote currency
 * (times its contract size), which analytics converts like any other; for an instrument the
 * session does not know, the account's currency at 1 (stated as approximate in the guide).
 */
export function valuationOf(
  instrument: BrokerInstrument | undefined,
  accountCurrency: string,
): FillValuation {
  const value = pointValue(instrument, accountCurrency);
  if (value) {
    return {
      currency: accountCurrency,
      multiplier: divDecimal(value.per, value.over, MULTIPLIER_SCALE, 'half_even') ?? '1',
    };
  }
  return {
    currency: instrument?.quoteAsset?.toUpperCase() ?? accountCurrency,
    multiplier: instrument?.contractSize ?? '1',
  };
}
