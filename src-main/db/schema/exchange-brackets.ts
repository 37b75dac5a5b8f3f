import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Take-profit and stop-loss an alert attached to an entry on the local exchange (spot), kept
 * until the entry is done and its exits are placed. The row is written before the entry is
 * placed (its client order id names the entry), so a restart at any point finds the entry and
 * finishes the plan: `waiting` until the entry is done, then `placed` (the exits' ids in
 * `result`), `failed` (why, in `result`), `cancelled` (the entry ended with nothing filled, was
 * refused, or an emergency stop ended the plan). Prices are decimal text as the alert gave them
 * (`{price}`, `{percent}`, `{amount}` JSON), resolved against the entry's average fill price.
 */
export const exchangeBrackets = sqliteTable(
  'exchange_brackets',
  {
    id: integer('id').primaryKey(),
    userId: text('user_id').notNull(),
    /** The trading account an alert came through; null for an order placed by hand. */
    accountId: text('account_id'),
    symbol: text('symbol').notNull(),
    /** The entry's side; the exits take the other. */
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    entryClientId: text('entry_client_id').notNull(),
    entryOrderId: integer('entry_order_id'),
    takeProfit: text('take_profit'),
    stopLoss: text('stop_loss'),
    status: text('status', { enum: ['waiting', 'placed', 'failed', 'cancelled'] }).notNull(),
    result: text('result'),
    tsCreated: integer('ts_created').notNull(),
    tsUpdated: integer('ts_updated').notNull(),
  },
  (t) => [
    index('exchange_brackets_waiting_idx').on(t.status, t.entryOrderId),
    index('exchange_brackets_user_idx').on(t.userId, t.id),
    index('exchange_brackets_client_idx').on(t.userId, t.entryClientId),
  ],
);
