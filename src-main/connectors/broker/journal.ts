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
  /** Resolves once the intent is on disk: only then may the order leave Bourse. */
  begin(entry: JournalEntry, now: number): Promise<void>;
  /**
   * The broker's answer (its order), or Bourse's conclusion: `not_placed` (the broker never
   * had it), `queued` (waiting for an unreachable broker), `unknown` (could not be resolved).
   * Need not be on disk when it returns: if power fails first, the row is still `sending` and
   * start-up resolves it by client order id, as after any crash before the outcome.
   */
  settle(
    accountId: string,
    clientOrderId: string,
    outcome: BrokerOrder | { status: 'not_placed' | 'queued' | 'unknown'; error: string },
    now: number,
  ): void;
  unsettled(accountId: string): JournalEntry[];
}
