import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Order lists (one-cancels-the-other pairs) of the exchange: the two legs are ordinary rows of
 * `orders`; this row links them and carries the list's own id and client id. `status` is
 * `executing` while the engine still links both legs (both open), `all_done` once one of them
 * filled (even partly; a bracket pair's limit: wholly), triggered or ended and the engine ended
 * the other. Recovery relinks the
 * legs of every `executing` list.
 */
export const orderLists = sqliteTable(
  'order_lists',
  {
    id: integer('id').primaryKey(),
    userId: text('user_id').notNull(),
    symbol: text('symbol').notNull(),
    listClientId: text('list_client_id'),
    /** The post-only limit leg (take profit for a sell) and the stop leg. */
    limitOrderId: integer('limit_order_id').notNull(),
    stopOrderId: integer('stop_order_id').notNull(),
    status: text('status', { enum: ['executing', 'all_done'] }).notNull(),
    /** 1: a take-profit / stop-loss pair whose stop follows a partial fill of the limit. */
    bracket: integer('bracket').notNull().default(0),
    tsCreated: integer('ts_created').notNull(),
    tsUpdated: integer('ts_updated').notNull(),
  },
  (t) => [
    index('order_lists_user_idx').on(t.userId, t.id),
    index('order_lists_client_idx').on(t.userId, t.listClientId),
    index('order_lists_limit_idx').on(t.limitOrderId),
    index('order_lists_stop_idx').on(t.stopOrderId),
    index('order_lists_status_idx').on(t.status),
  ],
);
