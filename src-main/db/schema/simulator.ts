import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The market simulator of each market: its whole state (configuration, PRNG state,
 * reference price) as JSON so a run resumes exactly, whether it runs, and the replay path
 * of an imported candle file when the reference replays one.
 */
export const simulatorMarkets = sqliteTable('simulator_markets', {
  symbol: text('symbol').primaryKey(),
  seed: integer('seed').notNull(),
  running: integer('running', { mode: 'boolean' }).notNull(),
  /** `SimulatorState` as JSON. */
  state: text('state').notNull(),
  /** Tick prices to replay (JSON array), with the imported file's name. */
  replayPath: text('replay_path'),
  replayName: text('replay_name'),
  tsUpdated: integer('ts_updated').notNull(),
});
