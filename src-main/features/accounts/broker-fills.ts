import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/database';
import { brokerFills, brokerOrders } from '../../db/schema';
import { fillKey, type FillValuation } from '../../connectors/broker/fills';
import type { BrokerFill } from '../../connectors/broker/port';

export type BrokerFillRow = typeof brokerFills.$inferSelect;

/**
 * The broker fill ledger over `broker_fills`: each execution a venue reports is written once
 * (`INSERT … ON CONFLICT DO NOTHING` on account + fill key, one statement, so a crash leaves
 * it either stored or not, and a replay after restart stores nothing twice). The commit is
 * deferred (`db/durability.ts`) and synced at once off the event loop; a fill lost to a power
 * cut in between is read again from the venue's fill history at the next sync where the venue
 * has one (Kraken, ProjectX).
 */
export class SqliteBrokerFills {
  /** Prepared once: a polling venue hands over a second's fills at a time. */
  private readonly insert;
  private readonly clientIdQuery;

  constructor(private readonly store: DatabaseHandle) {
    this.insert = store.db
      .insert(brokerFills)
      .values({
        accountId: sql.placeholder('accountId'),
        fillId: sql.placeholder('fillId'),
        venueOrderId: sql.placeholder('venueOrderId'),
        clientOrderId: sql.placeholder('clientOrderId'),
        symbol: sql.placeholder('symbol'),
        side: sql.placeholder('side'),
        qty: sql.placeholder('qty'),
        price: sql.placeholder('price'),
        fee: sql.placeholder('fee'),
        feeAsset: sql.placeholder('feeAsset'),
        currency: sql.placeholder('currency'),
        multiplier: sql.placeholder('multiplier'),
        ts: sql.placeholder('ts'),
        recordedAt: sql.placeholder('recordedAt'),
      })
      .onConflictDoNothing()
      .prepare();
    this.clientIdQuery = store.db
      .select({ id: brokerOrders.clientOrderId })
      .from(brokerOrders)
      .where(
        and(
          eq(brokerOrders.accountId, sql.placeholder('accountId')),
          eq(brokerOrders.venueOrderId, sql.placeholder('venueOrderId')),
        ),
      )
      .prepare();
  }

  /** Stores the fill unless it is already there; true when it is new. */
  record(accountId: string, f: BrokerFill, value: FillValuation, feeAsset: string, now: number) {
    const clientOrderId = f.clientOrderId ?? this.clientIdOf(accountId, f.orderId);
    const changes = this.store.writeDeferred('brokers.fills.record', () =>
      this.insert.run({
        accountId,
        fillId: fillKey(f),
        venueOrderId: f.orderId,
        clientOrderId,
        symbol: f.symbol,
        side: f.side,
        qty: f.qty,
        price: f.price,
        fee: f.fee ?? '0',
        feeAsset: f.feeAsset?.toUpperCase() ?? feeAsset,
        currency: value.currency,
        multiplier: value.multiplier,
        ts: f.time,
        recordedAt: now,
      }),
    );
    this.store.syncSoon();
    return changes.changes > 0;
  }

  /** Every stored fill of the account executed up to `until`, oldest first. */
  until(accountId: string, until: number): BrokerFillRow[] {
    return this.store.db
      .select()
      .from(brokerFills)
      .where(and(eq(brokerFills.accountId, accountId), lte(brokerFills.ts, until)))
      .orderBy(asc(brokerFills.ts), asc(brokerFills.recordedAt))
      .all();
  }

  /** Bourse's client id of a venue order, from the order journal (fills that lack it). */
  private clientIdOf(accountId: string, venueOrderId: string): string | null {
    if (!venueOrderId) return null;
    return this.clientIdQuery.get({ accountId, venueOrderId })?.id ?? null;
  }
}
