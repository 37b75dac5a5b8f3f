import {
  ALERT_FORMAT_NAMES,
  type AlertBracket,
  type AlertFormat,
  type AlertIntent,
} from '../../../src-shared/contract/automation-intent';

/**
 * The intent an alert reads as is the contract's `AlertIntentSchema`: the readers here build it
 * and the door validates it against that schema, so its type is derived, never restated.
 */
export type { AlertFormat, AlertIntent };

/** The alert formats the webhook receiver understands. */
export const ALERT_FORMATS = ALERT_FORMAT_NAMES;

export type IntentSide = NonNullable<AlertIntent['side']>;
export type IntentOrderType = AlertIntent['type'];

/**
 * A take-profit or stop-loss level as the alert wrote it: an absolute price, or a distance
 * from the entry price in percent, in price units or in pips (PineConnector's default). Pips
 * become an `amount` once the market is known (`resolveUnits`); the venue resolves the rest.
 */
export type Bracket = AlertBracket;

/** A parsed alert: the intent plus the secret found in the body, if any. */
export interface ParsedAlert {
  intent: AlertIntent;
  /** `token` / `passphrase` / `secret` from the body (or a PineConnector license id). */
  secret?: string;
}
