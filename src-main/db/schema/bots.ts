import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Bots: a strategy run live on one market of one trading account. The bot row holds its
 * definition, its lifecycle state and what it knows of its own position (a bot never assumes
 * the account is its alone: it tracks the fills of the orders it sent). Money and quantities
 * are decimal strings.
 */
export const bots = sqliteTable(
  'bots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    /** A built-in strategy id (`ma-crossover`) or a saved user strategy (`user:12`). */
    strategyId: text('strategy_id').notNull(),
    strategyName: text('strategy_name').notNull(),
    /** Resolved parameter values (JSON object). */
    params: text('params').notNull(),
    accountId: text('account_id').notNull(),
    symbol: text('symbol').notNull(),
    /** `1m`, `5m`, `15m`, `1h`, `4h`, `1d`. */
    interval: text('interval').notNull(),
    /** The sizing base of the shadow backtest, in the market's quote currency. */
    capital: text('capital').notNull(),
    warmupBars: integer('warmup_bars').notNull(),
    /** How long one replay of a user strategy may run in the sandbox (ms); null for built-ins. */
    timeLimitMs: integer('time_limit_ms'),
    /** `created`, `running`, `paused`, `stopped` or `error`. */
    status: text('status', {
      enum: ['created', 'running', 'paused', 'stopped', 'error'],
    }).notNull(),
    /** Why it is in `error` (or why it last stopped). */
    reason: text('reason'),
    /** The bot's own live position on the market (signed decimal). */
    position: text('position').notNull().default('0'),
    /** Average entry price of that position; null when flat. */
    avgPrice: text('avg_price'),
    /** Realised P&L of the bot's own fills (quote currency, decimal). */
    realisedPnl: text('realised_pnl').notNull().default('0'),
    /** Close time (exclusive bar end, ms) of the last bar the runner processed. */
    lastBarTime: integer('last_bar_time'),
    /** Close price of that bar (marks the bot's position). */
    lastClose: text('last_close'),
    /** What the strategy asked for on the last bar (human text), null when nothing. */
    lastSignal: text('last_signal'),
    /** The shadow backtest over the live period (JSON: position, equity, pnl, trades). */
    shadow: text('shadow'),
    /** First start: where the live period (and the shadow P&L) begins. */
    tsStarted: integer('ts_started'),
    /** When the current run began (uptime); null unless running. */
    tsRunningSince: integer('ts_running_since'),
    tsCreated: integer('ts_created').notNull(),
    tsUpdated: integer('ts_updated').notNull(),
  },
  (t) => [index('bots_user_idx').on(t.userId, t.id), index('bots_status_idx').on(t.status)],
);

/**
 * One processed bar of a bot: the signal, the target, the order sent and its outcome. A row
 * is written `pending` before its order leaves and completed after, in two transactions: a
 * crash between them leaves a pending row that the runner resolves on start by re-sending the
 * same alert id (the automation dedupe answers the first outcome).
 */
export const botExecutions = sqliteTable(
  'bot_executions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    botId: integer('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    /** Close time (exclusive end, ms) of the bar. */
    barTime: integer('bar_time').notNull(),
    signal: text('signal'),
    /** Shadow position after the bar (units, as the backtest holds it). */
    shadowPosition: text('shadow_position').notNull(),
    /** Target live position (shadow rounded down to the lot step). */
    target: text('target').notNull(),
    /** The bot's live position before the order. */
    liveBefore: text('live_before').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }),
    qty: text('qty'),
    /**
     * Set when the account held less of the market than the bot believed it did (a position
     * closed by hand or by a stop): what happened, and the belief shrunk to what is there.
     */
    adjustment: text('adjustment'),
    alertId: text('alert_id'),
    /** The alert body sent (kept so a pending row is re-sent byte for byte). */
    body: text('body'),
    /** `none` (nothing to send), `pending`, `accepted`, `rejected`, `failed`, `unknown`. */
    outcome: text('outcome').notNull(),
    errorCode: text('error_code'),
    error: text('error'),
    filledQty: text('filled_qty'),
    avgPrice: text('avg_price'),
    /** The automation log row of the order. */
    logId: integer('log_id'),
    tsCreated: integer('ts_created').notNull(),
    tsDone: integer('ts_done'),
  },
  (t) => [
    uniqueIndex('bot_executions_bar_idx').on(t.botId, t.barTime),
    index('bot_executions_outcome_idx').on(t.outcome),
  ],
);
