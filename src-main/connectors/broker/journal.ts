import type { BrokerOrder } from './port';

/** A row of the broker order journal (`broker_orders`). */
export interface JournalEntry {
  accountId: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: string;
  qty: string;
  price: string | null;
  alertLogId?: number | null;
}

/**
 * Where an order's intent is written before it leaves Bourse, and its outcome after. The
 * accounts feature implements it over SQLite; a crash between `begin` and `settle` leaves a
 * `sending` row that `unsettled` hands back at start-up for resolution by client order id.
 */
export interface BrokerOrderJournal {
  begin(entry: JournalEntry, now: number): void;
  /**
   * The broker's answer (its order), or Bourse's conclusion: `not_placed` (the broker never
   * had it), `queued` (waiting for an unreachable broker), `unknown` (could not be resolved).
   */
  settle(
    accountId: string,
    clientOrderId: string,
    outcome: BrokerOrder | { status: 'not_placed' | 'queued' | 'unknown'; error: string },
    now: number,
  ): void;
  unsettled(accountId: string): JournalEntry[];
}
