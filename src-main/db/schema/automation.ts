import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * TradingView automation: every webhook request (accepted, rejected or duplicate), the
 * dedupe claims that make a repeated alert execute once, risk settings per account (or per
 * user: `account_id = '*'`), emergency-stop state, imported calendar events, closed-trade
 * results for the cooldown and daily-loss rules, and trade counts per user and day.
 * Decimal amounts are TEXT (exact); JSON columns hold the parsed intent and decisions.
 */

/** One row per webhook request or test alert. */
export const automationWebhookLog = sqliteTable(
  'automation_webhook_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id'),
    accountId: text('account_id'),
    /** `tv` (/hooks/tv), `unify` (bearer route), `test` (automation.testAlert) or `bot` (a bot's order). */
    route: text('route').notNull(),
    status: text('status', { enum: ['accepted', 'rejected', 'duplicate', 'failed'] }).notNull(),
    httpStatus: integer('http_status').notNull(),
    format: text('format'),
    alertId: text('alert_id'),
    symbol: text('symbol'),
    remoteIp: text('remote_ip'),
    contentType: text('content_type'),
    /** The body as received with secrets masked (first 16 KB). */
    rawBody: text('raw_body').notNull(),
    intent: text('intent'),
    decisions: text('decisions').notNull().default('[]'),
    orders: text('orders').notNull().default('[]'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** The log row of the first delivery, for duplicates. */
    duplicateOf: integer('duplicate_of'),
    ordersPlaced: integer('orders_placed').notNull().default(0),
    tradesExecuted: integer('trades_executed').notNull().default(0),
    /** Receipt to answer, microseconds. */
    latencyUs: integer('latency_us').notNull(),
    tsReceived: integer('ts_received').notNull(),
    correlationId: text('correlation_id'),
  },
  (t) => [
    index('automation_log_user_idx').on(t.userId, t.id),
    index('automation_log_account_idx').on(t.accountId, t.tsReceived),
    // The retention job deletes by age.
    index('automation_log_ts_idx').on(t.tsReceived),
  ],
);

/**
 * Dedupe claims. A request claims `key` (account + alert id, or account + body hash) in one
 * statement before anything executes; a second claim of a live key is a duplicate.
 */
export const automationDedupe = sqliteTable(
  'automation_dedupe',
  {
    key: text('key').primaryKey(),
    logId: integer('log_id'),
    tsClaimed: integer('ts_claimed').notNull(),
    tsExpires: integer('ts_expires').notNull(),
  },
  (t) => [index('automation_dedupe_expires_idx').on(t.tsExpires)],
);

/** Risk settings JSON per user and account (`*` = every account of the user). */
export const automationRiskSettings = sqliteTable(
  'automation_risk_settings',
  {
    userId: text('user_id').notNull(),
    accountId: text('account_id').notNull(),
    settings: text('settings').notNull(),
    tsUpdated: integer('ts_updated').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.accountId] })],
);

/** Receiver options per user: TradingView address allowlist, trusted proxy, dedupe window. */
export const automationReceiver = sqliteTable('automation_receiver', {
  userId: text('user_id').primaryKey(),
  tvAllowlist: integer('tv_allowlist', { mode: 'boolean' }).notNull().default(false),
  trustedProxy: text('trusted_proxy'),
  dedupeWindowSec: integer('dedupe_window_sec').notNull().default(60),
  tsUpdated: integer('ts_updated').notNull(),
});

/** Emergency stop per user and account (`*` = every account). Active until re-armed. */
export const automationEmergency = sqliteTable(
  'automation_emergency',
  {
    userId: text('user_id').notNull(),
    accountId: text('account_id').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull(),
    reason: text('reason'),
    /** JSON: what the stop cancelled and closed. */
    summary: text('summary').notNull().default('{}'),
    tsStopped: integer('ts_stopped').notNull(),
    tsRearmed: integer('ts_rearmed'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.accountId] })],
);

/** Imported economic-calendar events for news lockouts. */
export const automationCalendarEvents = sqliteTable(
  'automation_calendar_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    ts: integer('ts').notNull(),
    title: text('title').notNull(),
    currency: text('currency'),
    source: text('source').notNull(),
  },
  (t) => [index('automation_calendar_user_ts_idx').on(t.userId, t.ts)],
);

/** Realised P&L of positions closed by automation, for the cooldown and daily-loss rules. */
export const automationResults = sqliteTable(
  'automation_results',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    accountId: text('account_id').notNull(),
    symbol: text('symbol').notNull(),
    pnl: text('pnl').notNull(),
    ts: integer('ts').notNull(),
  },
  (t) => [index('automation_results_account_idx').on(t.accountId, t.ts)],
);

/** Trades and orders executed through webhooks, per user and UTC day (plans read this). */
export const automationTradeCounts = sqliteTable(
  'automation_trade_counts',
  {
    userId: text('user_id').notNull(),
    day: text('day').notNull(),
    trades: integer('trades').notNull().default(0),
    orders: integer('orders').notNull().default(0),
    alerts: integer('alerts').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);

/**
 * Deliveries refused because they carried no known webhook token, counted per client address
 * and UTC hour instead of logged: nobody owns them, and storing their bodies let anyone who
 * could reach the port fill the disk. Nothing the caller sent is kept but a short hash of
 * the token it tried (to tell one guessed token from many).
 */
export const automationWebhookRefusals = sqliteTable(
  'automation_webhook_refusals',
  {
    /** Start of the UTC hour, ms. */
    hour: integer('hour').notNull(),
    /** Client address (`req.ip`), an IPv6 address reduced to its /64. */
    address: text('address').notNull(),
    count: integer('count').notNull(),
    /** Body bytes received in total (the bodies themselves are dropped). */
    bytes: integer('bytes').notNull(),
    lastCode: text('last_code').notNull(),
    /** First 8 hex digits of SHA-256 of the last token tried, or null without one. */
    tokenHint: text('token_hint'),
    tsFirst: integer('ts_first').notNull(),
    tsLast: integer('ts_last').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.hour, t.address] }),
    index('automation_refusals_last_idx').on(t.tsLast),
  ],
);
