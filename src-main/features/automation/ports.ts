import type { AlertIntent, DecimalText } from '../../domain/automation';

/**
 * What automation needs from trading accounts, in its own words. `accounts-port.ts` adapts
 * the accounts service (venues: local exchange, paper broker, connectors) to this shape, so
 * the pipeline can be tested and benchmarked without knowing how a venue works.
 */

export interface AutomationAccount {
  id: string;
  userId: string;
  name: string;
  enabled: boolean;
  venue: string;
}

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
}

export interface AccountsPort {
  byToken(token: string): AutomationAccount | null;
  get(accountId: string): AutomationAccount | null;
  listForUser(userId: string): AutomationAccount[];
  venue(accountId: string): AutomationVenue;
  /**
   * Markets alerts may name, with their base and quote asset codes, tick size and (futures,
   * CFDs) contract size: what turns PineConnector lots and pips into quantities and prices.
   */
  markets(): Array<{
    symbol: string;
    assets: string[];
    tickSize?: string;
    contractSize?: string | null;
  }>;
}

/** Where an account's owner stands: only an `active` owner's tokens are honoured. */
export type OwnerStanding = (userId: string) => 'active' | 'banned' | 'unknown';
