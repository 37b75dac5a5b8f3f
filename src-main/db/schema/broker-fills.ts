import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tradingAccounts } from './accounts';

/**
 * Every execution an external broker reported on one of its accounts, stored once: the key is
 * the account and the venue's own fill id (or a deterministic one built from the execution,
 * for a venue that gives none), so a stream replaying history after a reconnect or a re-sync
 * inserts nothing twice. Analytics builds broker round trips and statements from these rows.
 */
export const brokerFills = sqliteTable(
  'broker_fills',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => tradingAccounts.id),
    /** The venue's fill (trade, deal, execution) id, or `derived:<hash>` when it gives none. */
    fillId: text('fill_id').notNull(),
    venueOrderId: text('venue_order_id').notNull(),
    /** Bourse's client order id when the order was Bourse's (attribution to an alert or bot). */
    clientOrderId: text('client_order_id'),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    qty: text('qty').notNull(),
    price: text('price').notNull(),
    /** What the fill cost in `fee_asset` (a rebate is negative); `0` when the venue says nothing. */
    fee: text('fee').notNull(),
    feeAsset: text('fee_asset').notNull(),
    /** The currency price × qty × multiplier is counted in (the account's, or the quote's). */
    currency: text('currency').notNull(),
    /**
     * Money in `currency` per unit of price per unit of quantity: a future's tick value over its
     * tick size, a CFD's contract size, 1 for spot. Taken from the instrument when the fill came.
     */
    multiplier: text('multiplier').notNull(),
    /** When the venue executed it (epoch ms). */
    ts: integer('ts').notNull(),
    /** When Bourse first stored it. */
    recordedAt: integer('recorded_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.fillId] }),
    index('broker_fills_account_ts_idx').on(t.accountId, t.ts),
  ],
);
