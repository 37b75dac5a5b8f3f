import type { DecimalText } from './decimal';

/** The alert formats the webhook receiver understands. */
export const ALERT_FORMATS = ['unify', 'traderspost', 'pineconnector', 'keyvalue'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

export type IntentSide = 'buy' | 'sell';
export type IntentOrderType = 'market' | 'limit' | 'stop_market' | 'stop_limit';

/**
 * A take-profit or stop-loss level as the alert wrote it: an absolute price, or a distance
 * from the entry price in percent, in price units or in pips (PineConnector's default). Pips
 * become an `amount` once the market is known (`resolveUnits`); the venue resolves the rest.
 */
export interface Bracket {
  price?: DecimalText;
  percent?: DecimalText;
  amount?: DecimalText;
  pips?: DecimalText;
}

/**
 * What an alert asks for, whatever format it came in.
 * - `entry`: open or add to a position (`side`, `type`, optional `qty`).
 * - `exit`: close the position on `symbol` (`exitSide` says which: long, short or both),
 *   fully or `qty` of it.
 * - `cancel`: cancel open orders on `symbol`.
 */
export interface AlertIntent {
  format: AlertFormat;
  action: 'entry' | 'exit' | 'cancel';
  symbol: string;
  side?: IntentSide;
  exitSide?: 'long' | 'short' | 'both';
  type: IntentOrderType;
  /** Base quantity; absent means the account's default quantity. */
  qty?: DecimalText;
  /**
   * Quantity in lots as PineConnector writes it (`risk=`, `vol_lots=`); `resolveUnits` turns
   * it into `qty` with the market's lot (100,000 base on FX, else its contract size).
   */
  lots?: DecimalText;
  price?: DecimalText;
  stopPrice?: DecimalText;
  takeProfit?: Bracket;
  stopLoss?: Bracket;
  leverage?: DecimalText;
  /** The sender's id for this alert; the same id is executed once. */
  alertId?: string;
  comment?: string;
  /** The venue the sender meant (unify.v1 `intent.broker`); must be the account's venue. */
  broker?: string;
}

/** A parsed alert: the intent plus the secret found in the body, if any. */
export interface ParsedAlert {
  intent: AlertIntent;
  /** `token` / `passphrase` / `secret` from the body (or a PineConnector license id). */
  secret?: string;
}
