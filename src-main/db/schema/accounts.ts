import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { users } from './identity';
import { ORDER_SIDES } from '../../../src-shared/contract/exchange';

/**
 * Trading accounts (each bound to a venue: the local exchange, the paper broker, later
 * external connectors) and the paper broker's positions and fills. Webhook tokens are
 * stored as SHA-256 hashes: the token itself is shown once, on creation or regeneration.
 * Amounts are exact decimal TEXT at the market's scales; cash lives in the ledger.
 */
export const tradingAccounts = sqliteTable(
  'trading_accounts',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    /** `local`, `paper`, or a connector name. */
    venue: text('venue').notNull(),
    mode: text('mode', { enum: ['demo', 'live'] }).notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    baseCurrency: text('base_currency').notNull(),
    /** SHA-256 (hex) of the webhook token. */
    tokenHash: text('token_hash').notNull(),
    /** The token's last 4 characters, so the user can tell which one is current. */
    tokenHint: text('token_hint').notNull(),
    /** Paper broker execution model and limits (JSON), null for other venues. */
    paperConfig: text('paper_config'),
    /**
     * Broker connection settings (JSON, non-secret fields only: server, account number,
     * environment…). Null for the local exchange and the paper broker.
     */
    brokerSettings: text('broker_settings'),
    /** Name of the broker credentials in the secret store (never the credentials). */
    credentialsRef: text('credentials_ref'),
    /** How long an alert may wait for an unreachable broker before it is refused (ms; 0: refuse at once). */
    outageQueueMs: integer('outage_queue_ms').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    lastSyncedAt: integer('last_synced_at'),
    /** Deleted accounts stay (their fills and ledger entries point at them), hidden. */
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    uniqueIndex('trading_accounts_token_idx').on(t.tokenHash),
    uniqueIndex('trading_accounts_user_name_idx')
      .on(t.userId, t.name)
      .where(sql`deleted_at IS NULL`),
  ],
);

/** One net position per paper account and market. */
export const paperPositions = sqliteTable(
  'paper_positions',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => tradingAccounts.id),
    symbol: text('symbol').notNull(),
    /** Signed base quantity (short < 0). */
    qty: text('qty').notNull(),
    entryPrice: text('entry_price').notNull(),
    leverage: integer('leverage').notNull(),
    margin: text('margin').notNull(),
    stopLoss: text('stop_loss'),
    takeProfit: text('take_profit'),
    /** A trailing stop-loss: `stop_loss` follows the quote this many basis points behind, */
    trailBps: integer('trail_bps'),
    /** or this far behind, in price units (decimal text; one of the two, or neither). */
    trailAmount: text('trail_amount'),
    realised: text('realised').notNull(),
    openedAt: integer('opened_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.symbol] })],
);

/** Every paper fill, with what it realised and cost; the ledger entry it posted, if any. */
export const paperFills = sqliteTable(
  'paper_fills',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: text('account_id')
      .notNull()
      .references(() => tradingAccounts.id),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ORDER_SIDES }).notNull(),
    qty: text('qty').notNull(),
    price: text('price').notNull(),
    /** The book's touch the price was derived from. */
    touchPrice: text('touch_price').notNull(),
    slippagePpm: integer('slippage_ppm').notNull(),
    commission: text('commission').notNull(),
    realisedPnl: text('realised_pnl').notNull(),
    /**
     * A future's or CFD's contract multiplier when it filled (decimal text); null for a
     * spot-cfd market, whose quantity is units of base (a multiplier of 1).
     */
    multiplier: text('multiplier'),
    /** `order`, `close`, `stop_loss`, `take_profit`, `stop_out`, `emergency`. */
    reason: text('reason').notNull(),
    entryId: integer('entry_id'),
    ts: integer('ts').notNull(),
  },
  (t) => [index('paper_fills_account_idx').on(t.accountId, t.id)],
);

/**
 * Paper limit and stop orders, waiting for the local book to reach them. A triggered order
 * executes as a paper fill (`fill_id`) or is rejected (`reason`, e.g. insufficient margin).
 */
export const paperOrders = sqliteTable(
  'paper_orders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: text('account_id')
      .notNull()
      .references(() => tradingAccounts.id),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ORDER_SIDES }).notNull(),
    type: text('type', { enum: ['limit', 'stop'] }).notNull(),
    qty: text('qty').notNull(),
    /** Limit price, or the stop's trigger price. */
    price: text('price').notNull(),
    leverage: integer('leverage'),
    stopLoss: text('stop_loss'),
    takeProfit: text('take_profit'),
    /** A trailing stop: `price` follows the quote this many basis points behind, */
    trailBps: integer('trail_bps'),
    /** or this far behind, in price units (decimal text; one of the two, or neither). */
    trailAmount: text('trail_amount'),
    /** 0 while a trailing stop waits for its activation price (`price`), 1 once it tracks. */
    trailActive: integer('trail_active').notNull().default(0),
    /** The trailing stop-loss the position gets when this order fills (basis points), */
    stopLossTrailBps: integer('stop_loss_trail_bps'),
    /** or by this amount in price units. */
    stopLossTrailAmount: text('stop_loss_trail_amount'),
    status: text('status', { enum: ['open', 'filled', 'cancelled', 'rejected'] }).notNull(),
    reason: text('reason'),
    fillId: integer('fill_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('paper_orders_open_idx').on(t.status, t.symbol),
    index('paper_orders_account_idx').on(t.accountId, t.id),
  ],
);
