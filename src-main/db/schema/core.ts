import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Key/value facts about this installation (instance id, first-run state). */
export const appMeta = sqliteTable('app_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** One row per job execution (scheduled, triggered or queued), kept as run history. */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job: text('job').notNull(),
    status: text('status', {
      enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'],
    }).notNull(),
    attempt: integer('attempt').notNull().default(1),
    /** JSON payload for queued jobs (e.g. a backtest's parameters). */
    payload: text('payload'),
    /** JSON result of a finished run. */
    result: text('result'),
    progress: integer('progress_ppm'),
    error: text('error'),
    correlationId: text('correlation_id').notNull(),
    ownerUserId: text('owner_user_id'),
    tsQueued: integer('ts_queued').notNull(),
    tsStarted: integer('ts_started'),
    tsFinished: integer('ts_finished'),
  },
  (t) => [index('job_runs_job_idx').on(t.job, t.id), index('job_runs_status_idx').on(t.status)],
);

/** In-app notifications; `userId` null means for administrators. */
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id'),
    level: text('level', { enum: ['info', 'warning', 'error'] }).notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    tsCreated: integer('ts_created').notNull(),
    tsRead: integer('ts_read'),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.id)],
);

/** Append-only audit trail of security- and money-relevant actions. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ts: integer('ts').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    details: text('details')
      .notNull()
      .default(sql`'{}'`),
    correlationId: text('correlation_id'),
  },
  // One index per filter of the audit screen, each ending in `id` so a filtered page is read
  // newest-first from the index instead of sorted; `ts` finds where a date starts.
  (t) => [
    index('audit_events_action_idx').on(t.action, t.id),
    index('audit_events_actor_idx').on(t.actor, t.id),
    index('audit_events_target_idx')
      .on(t.target, t.id)
      .where(sql`${t.target} IS NOT NULL`),
    index('audit_events_ts_idx').on(t.ts),
  ],
);
