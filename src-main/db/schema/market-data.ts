import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Market data derived from trades. Candles are written in batches off the order path, so
 * after a crash the last few trades may be missing from them: `market_data_progress` says
 * which trade each market's candles include, and start-up folds in the trades after it.
 */

/** OHLCV bars in engine units (ticks, lots); `quote_volume` is Σ price×qty in tick·lots. */
export const marketCandles = sqliteTable(
  'market_candles',
  {
    symbol: text('symbol').notNull(),
    interval: text('interval').notNull(),
    openTime: integer('open_time').notNull(),
    open: integer('open').notNull(),
    high: integer('high').notNull(),
    low: integer('low').notNull(),
    close: integer('close').notNull(),
    volume: integer('volume').notNull(),
    /** Decimal text: tick·lots can pass int64 on a busy market. */
    quoteVolume: text('quote_volume').notNull(),
    trades: integer('trades').notNull(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.interval, t.openTime] })],
);

/** The last trade id of each market folded into the stored candles. */
export const marketDataProgress = sqliteTable('market_data_progress', {
  symbol: text('symbol').primaryKey(),
  lastTradeId: integer('last_trade_id').notNull(),
});
