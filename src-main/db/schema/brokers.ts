import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tradingAccounts } from './accounts';

/**
 * Every order Bourse sends to an external broker, written before the request leaves. The
 * client order id is Bourse's; after a timeout or a crash a row still `sending` is resolved
 * by asking the broker for that client id, so a retry never creates a second order.
 */
export const brokerOrders = sqliteTable(
  'broker_orders',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => tradingAccounts.id),
    clientOrderId: text('client_order_id').notNull(),
    /** The broker's id, once known. */
    venueOrderId: text('venue_order_id'),
    /** The alert log row that asked for it, when an alert did. */
    alertLogId: integer('alert_log_id'),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    type: text('type').notNull(),
    qty: text('qty').notNull(),
    price: text('price'),
    /** `sending` until the broker answers; then the broker's status; `unknown` if never resolved. */
    status: text('status').notNull(),
    filledQty: text('filled_qty').notNull().default('0'),
    avgPrice: text('avg_price'),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.clientOrderId] }),
    index('broker_orders_account_time_idx').on(t.accountId, t.createdAt),
    index('broker_orders_status_idx').on(t.status),
  ],
);

/**
 * Commands waiting for (or taken by) a MetaTrader bridge EA. The EA polls, executes and
 * acknowledges each by id; an acknowledged id is never handed out again, and a command not
 * taken before `expires_at` is expired, not executed late.
 */
export const bridgeCommands = sqliteTable(
  'bridge_commands',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => tradingAccounts.id),
    /** Monotonic per account: the EA executes in this order. */
    seq: integer('seq').notNull(),
    /** JSON command (action, symbol, volume, prices, client order id). */
    command: text('command').notNull(),
    /** `queued` → `sent` (handed to the EA) → `done` | `failed`; or `expired` / `cancelled`. */
    status: text('status').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    sentAt: integer('sent_at'),
    doneAt: integer('done_at'),
    /** The EA's report (JSON: retcode, ticket, price, message). */
    result: text('result'),
  },
  (t) => [
    index('bridge_commands_account_status_idx').on(t.accountId, t.status, t.seq),
    // The expiry sweep (every poll, every second): queued commands past their expiry, of
    // every account, without reading the whole history.
    index('bridge_commands_status_expiry_idx').on(t.status, t.expiresAt),
    // A retried order is found by its client order id without scanning the account's history.
    index('bridge_commands_client_idx').on(
      t.accountId,
      sql`json_extract(${t.command}, '$.clientOrderId')`,
    ),
  ],
);

/** The last thing each MetaTrader bridge EA told Bourse about itself and its account. */
export const bridgeTerminals = sqliteTable('bridge_terminals', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => tradingAccounts.id),
  lastHeartbeatAt: integer('last_heartbeat_at').notNull(),
  /** JSON: platform (MT4/MT5), build, terminal company and name, login, server, currency. */
  terminal: text('terminal').notNull(),
  /** JSON: balance, equity, margin, free margin (decimal strings). */
  account: text('account').notNull(),
  /** JSON array of open positions as the EA reported them. */
  positions: text('positions').notNull(),
});
