import type { AutomationVenue } from '../automation/ports';
import type { AccountRow } from './repo';
import type { PaperSummary } from '../../domain/paper';
import type { BrokerAddress, BrokerField } from '../../connectors/broker/port';

/**
 * A venue a trading account can be bound to. The local exchange and the paper broker are
 * built in; a broker connector (TradeLocker, ProjectX, MetaTrader bridge, Kraken…) plugs in
 * by registering one of these with the accounts service (`accounts.registerVenue`).
 */
export interface VenueDriver {
  /** Stable name, used in account rows and in `POST /register/{broker}`. */
  readonly name: string;
  readonly label: string;
  /** True when the venue has positions (paper, brokers); false for spot balances. */
  readonly positions: boolean;
  readonly modes: ReadonlyArray<'demo' | 'live'>;
  /** An external broker (connection form, credentials, live session). */
  readonly external: boolean;
  /** The connection form (empty for built-in venues). */
  readonly fields: readonly BrokerField[];
  /** Broker addresses the form offers under "Advanced" besides its fields (none for built-ins). */
  readonly addresses: readonly BrokerAddress[];
  /** The currency an account keeps when the user names none. */
  readonly defaultCurrency: string;
  /** How automation trades on an account of this venue. */
  automation(account: AccountRow): AutomationVenue;
  /** Open positions count (delete is refused while > 0). */
  openPositions(account: AccountRow): number;
  /** Account figures, when the venue has them. */
  summary(account: AccountRow): PaperSummary | null;
  /** Re-reads the venue (brokers: fetch; paper: apply brackets and stop-out). */
  sync(account: AccountRow): Promise<void>;
}
