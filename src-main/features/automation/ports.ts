import type { AutomationVenue } from '../../connectors/venue';

// The venue port is the connectors' (every venue implements it); automation names it here too.
export type { AutomationVenue, ResolvedIntent, VenueOrderResult } from '../../connectors/venue';

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

export interface AccountsPort {
  byToken(token: string): AutomationAccount | null;
  get(accountId: string): AutomationAccount | null;
  listForUser(userId: string): AutomationAccount[];
  venue(accountId: string): AutomationVenue;
  /**
   * Markets alerts to this account may name (the local exchange's, or the broker's
   * instruments), with their base and quote asset codes, tick size and (futures, CFDs)
   * contract size: what turns PineConnector lots and pips into quantities and prices.
   */
  markets(accountId: string): MarketList | Promise<MarketList>;
}

export type MarketList = Array<{
  symbol: string;
  /** Other names an alert may use (a broker's own id, TradingView's continuous `MNQ1!`). */
  aliases?: string[];
  assets: string[];
  tickSize?: string;
  contractSize?: string | null;
}>;

/** Where an account's owner stands: only an `active` owner's tokens are honoured. */
export type OwnerStanding = (userId: string) => 'active' | 'banned' | 'unknown';
