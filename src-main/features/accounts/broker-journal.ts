import { and, eq, inArray } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/database';
import { brokerOrders } from '../../db/schema';
import type { BrokerOrderJournal, JournalEntry } from '../../connectors/broker/journal';

const UNSETTLED = ['sending', 'queued'];

/**
 * The broker order journal over `broker_orders` (drizzle; one small transaction per step).
 * Its commits are deferred (`db/durability.ts`): the intent's fsync runs off the event loop
 * and `begin` resolves after it; an outcome rides on the next fsync (see `settle`).
 */
export class SqliteBrokerJournal implements BrokerOrderJournal {
  constructor(private readonly store: DatabaseHandle) {}

  begin(e: JournalEntry, now: number): Promise<void> {
    this.store.writeDeferred('brokers.journal.begin', () =>
      this.store.db
        .insert(brokerOrders)
        .values({
          accountId: e.accountId,
          clientOrderId: e.clientOrderId,
          symbol: e.symbol,
          side: e.side,
          type: e.type,
          qty: e.qty,
          price: e.price,
          alertLogId: e.alertLogId ?? null,
          status: 'sending',
          createdAt: now,
          updatedAt: now,
        })
        .run(),
    );
    return this.store.durable();
  }

  settle: BrokerOrderJournal['settle'] = (accountId, clientOrderId, outcome, now) => {
    const set =
      'orderId' in outcome
        ? {
            venueOrderId: outcome.orderId,
            status: outcome.status,
            filledQty: outcome.filledQty,
            avgPrice: outcome.avgPrice,
            error: outcome.reason ?? null,
            updatedAt: now,
          }
        : { status: outcome.status, error: outcome.error, updatedAt: now };
    this.store.writeDeferred('brokers.journal.settle', () =>
      this.store.db
        .update(brokerOrders)
        .set(set)
        .where(
          and(eq(brokerOrders.accountId, accountId), eq(brokerOrders.clientOrderId, clientOrderId)),
        )
        .run(),
    );
    this.store.syncSoon();
  };

  unsettled(accountId: string): JournalEntry[] {
    return this.store.db
      .select()
      .from(brokerOrders)
      .where(and(eq(brokerOrders.accountId, accountId), inArray(brokerOrders.status, UNSETTLED)))
      .all()
      .map((r) => ({
        accountId: r.accountId,
        clientOrderId: r.clientOrderId,
        symbol: r.symbol,
        side: r.side,
        type: r.type,
        qty: r.qty,
        price: r.price,
        alertLogId: r.alertLogId,
      }));
  }

  /** The journal row of a client order id (tests, support). */
  get(accountId: string, clientOrderId: string) {
    return (
      this.store.db
        .select()
        .from(brokerOrders)
        .where(
          and(eq(brokerOrders.accountId, accountId), eq(brokerOrders.clientOrderId, clientOrderId)),
        )
        .get() ?? null
    );
  }

  recent(accountId: string, limit: number) {
    return this.store.db
      .select()
      .from(brokerOrders)
      .where(eq(brokerOrders.accountId, accountId))
      .orderBy(brokerOrders.createdAt)
      .limit(limit)
      .all();
  }
}
