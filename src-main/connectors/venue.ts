import { AppError } from '../../src-shared/contract';
import type { AlertIntent, DecimalText } from '../domain/automation';
import { trailBpsOf, TRAIL_PERCENT_RULE } from '../domain/automation/brackets';

/**
 * The port every venue implements for automation (local exchange, paper broker, and the
 * coming brokers): what an alert can ask of an account, in the venue's neutral words.
 */

/**
 * An alert intent with its symbol resolved to a market and its quantity decided. For exits
 * and cancels `qty` `0` means the whole position / every order on the market.
 */
export type ResolvedIntent = AlertIntent & { market: string; qty: DecimalText };

/** One order the venue placed for an alert (or a close it did). */
export interface VenueOrderResult {
  orderId: string;
  symbol: string;
  side: string;
  type: string;
  qty: DecimalText | null;
  status: string;
  filledQty: DecimalText | null;
  avgPrice: DecimalText | null;
  /** P&L realised by this order (closing or reducing a position), when the venue knows it. */
  realisedPnl?: DecimalText | null;
  /** What the order is to the alert: its entry, or an exit attached to it (local exchange). */
  role?: 'entry' | 'take_profit' | 'stop_loss';
  /** The order's limit or stop price, when it has one and the venue says it. */
  price?: DecimalText | null;
  /** Why the venue refused this order (status `rejected`), when the entry itself stood. */
  note?: string;
}

export interface AutomationVenue {
  /** Signed position on a market (short < 0) and the account's total unrealised P&L. */
  exposure(market: string): Promise<{ position: DecimalText; unrealised: DecimalText }>;
  /** Executes an entry, exit or cancel; throws an AppError when the venue refuses. */
  execute(intent: ResolvedIntent): Promise<VenueOrderResult[]>;
  /** Cancels every open order; returns how many. */
  cancelAll(): Promise<number>;
  /** Closes every position; returns how many. */
  closeAll(): Promise<number>;
  /**
   * P&L realised since `sinceMs` as the venue itself counts it (a broker's trade history),
   * when it can say; otherwise automation sums what its own alerts realised.
   */
  realisedSince?(sinceMs: number): Promise<DecimalText | null>;
}

/**
 * Venues that cannot place a trailing stop refuse an alert that asks for one by name, rather
 * than placing a plain stop that would not follow the price.
 */
export function refuseTrailing(i: ResolvedIntent, venue: string): void {
  const percent = i.trailPercent ?? i.takeProfit?.trailPercent ?? i.stopLoss?.trailPercent;
  const amount = i.trailAmount ?? i.takeProfit?.trailAmount ?? i.stopLoss?.trailAmount;
  if (i.action === 'entry' && (percent !== undefined || amount !== undefined)) {
    throw new AppError(
      'unsupported_order_type',
      `${venue} does not take trailing stops from alerts (the local exchange and Kraken accounts do): nothing was placed`,
      { field: percent !== undefined ? 'trailPercent' : 'trailAmount' },
    );
  }
}

/**
 * A trailing distance in percent (an alert's, an order ticket's) as basis points; refused
 * naming the field when it is not the exchange's rule.
 */
export function requireTrailBps(percent: DecimalText, field: string): number {
  const bps = trailBpsOf(percent);
  if (bps === null) {
    throw new AppError('validation_failed', `${field} must be ${TRAIL_PERCENT_RULE}`, { field });
  }
  return bps;
}

/** A trailing distance as an alert or ticket asks for it: percent (as basis points) or an amount. */
export type TrailSpec = { bps: number } | { amount: DecimalText };

/**
 * A trailing distance given as a percent or as an amount in price units (not both), checked:
 * the percent by the exchange's rule, the amount as positive (its decimals are the venue's to
 * check, against the market's price scale). `field` names the pair's stem: `trail` reads
 * `trailPercent` and `trailAmount`, `stopLoss.trail` reads `stopLoss.trailPercent`, ….
 */
export function trailSpecOf(
  percent: DecimalText | undefined,
  amount: DecimalText | undefined,
  field: string,
): TrailSpec | undefined {
  if (percent !== undefined && amount !== undefined) {
    throw new AppError(
      'validation_failed',
      `give ${field}Percent or ${field}Amount, not both: a stop trails by one distance`,
      { field: `${field}Amount` },
    );
  }
  if (percent !== undefined) return { bps: requireTrailBps(percent, `${field}Percent`) };
  return amount === undefined ? undefined : { amount };
}

/** The trailing distances an alert asks for: its entry's (a trailing stop) and its stop-loss's. */
export function intentTrails(i: ResolvedIntent): { entry?: TrailSpec; stopLoss?: TrailSpec } {
  const entry = trailSpecOf(i.trailPercent, i.trailAmount, 'trail');
  const stopLoss = trailSpecOf(i.stopLoss?.trailPercent, i.stopLoss?.trailAmount, 'stopLoss.trail');
  return { ...(entry ? { entry } : {}), ...(stopLoss ? { stopLoss } : {}) };
}
