import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tradingAccounts } from './accounts';

/**
 * Futures and CFDs on the paper broker (domain/paper/instruments.ts): one row per instrument,
 * edited by an admin. Amounts are decimal TEXT (margins and commission in the quote asset,
 * per contract); rates are whole ppm. Seeded instruments are inserted if missing at start,
 * so an admin's edits are kept.
 */
export const paperInstruments = sqliteTable('paper_instruments', {
  symbol: text('symbol').primaryKey(),
  kind: text('kind', { enum: ['future', 'cfd'] }).notNull(),
  description: text('description').notNull(),
  quoteAsset: text('quote_asset').notNull(),
  /** A local market (`BTC/USDT`, its touch's mid is the index) or `index:NAME`. */
  priceSource: text('price_source').notNull(),
  tickSize: text('tick_size').notNull(),
  lotSize: text('lot_size').notNull(),
  minQty: text('min_qty').notNull(),
  maxQty: text('max_qty').notNull(),
  multiplier: text('multiplier').notNull(),
  initialMargin: text('initial_margin').notNull(),
  maintenanceMargin: text('maintenance_margin').notNull(),
  initialMarginPpm: integer('initial_margin_ppm').notNull(),
  maintenanceMarginPpm: integer('maintenance_margin_ppm').notNull(),
  commissionPerContract: text('commission_per_contract').notNull(),
  commissionPpm: integer('commission_ppm').notNull(),
  spreadPpm: integer('spread_ppm').notNull(),
  /** Signed: positive, longs pay shorts. */
  financingRatePpm: integer('financing_rate_ppm').notNull(),
  financingIntervalHours: integer('financing_interval_hours').notNull(),
  status: text('status', { enum: ['trading', 'halted'] }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * One financing charge per account, instrument and period: the primary key is what makes the
 * job idempotent (the row and its ledger entry commit together, so a restart skips it).
 */
export const paperFinancing = sqliteTable(
  'paper_financing',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => tradingAccounts.id),
    symbol: text('symbol').notNull(),
    /** Start of the period charged (ms, aligned to the epoch). */
    periodStart: integer('period_start').notNull(),
    /** Signed contracts held when charged. */
    qty: text('qty').notNull(),
    indexPrice: text('index_price').notNull(),
    ratePpm: integer('rate_ppm').notNull(),
    /** Signed cash to the account (quote asset); 0 rounds to no ledger entry. */
    amount: text('amount').notNull(),
    entryId: integer('entry_id'),
    ts: integer('ts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.symbol, t.periodStart] })],
);

/** Simulated index levels (`index:NAME` price sources), stepped by a random walk. */
export const paperIndexes = sqliteTable('paper_indexes', {
  name: text('name').primaryKey(),
  /** Level as decimal text. */
  level: text('level').notNull(),
  ts: integer('ts').notNull(),
});
