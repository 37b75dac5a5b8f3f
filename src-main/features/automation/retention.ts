import type Database from 'better-sqlite3';

const DAY_MS = 86_400_000;

/**
 * Accepted deliveries this recent are never removed by the size ceiling: the risk rules
 * count today's orders and trades from them (`AutomationStore.sessionTotals`), and a session
 * starts at most a day back in any time zone.
 */
export const RISK_WINDOW_MS = 2 * DAY_MS;

/** How much of the webhook log and its refusal counters to keep. */
export interface RetentionPolicy {
  /** Rows older than this many days go. */
  days: number;
  /** Webhook log rows kept at most per user, and in total; the oldest go first. */
  maxRowsPerUser: number;
  maxRows: number;
  /** Refusal counter rows kept at most (one per address and hour). */
  maxRefusalRows: number;
}

export interface RetentionResult {
  logByAge: number;
  logUnowned: number;
  logOverCeiling: number;
  refusals: number;
}

/**
 * Prunes the append-only automation tables that outside callers make grow. Each delete is
 * by index (`ts_received`, `user_id, id`, `ts_last`), so the job stays cheap however large
 * the tables were when it first ran.
 */
export class WebhookRetention {
  private readonly s;

  constructor(sqlite: Database.Database) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      byAge: p('DELETE FROM automation_webhook_log WHERE ts_received < ?'),
      // Rows nobody owns were refused deliveries to unknown tokens (written before they were
      // only counted): no user can see them, so they are junk.
      unowned: p('DELETE FROM automation_webhook_log WHERE user_id IS NULL'),
      heavyUsers: p(
        `SELECT user_id AS userId FROM automation_webhook_log WHERE user_id IS NOT NULL
         GROUP BY user_id HAVING count(*) > ?`,
      ),
      recentAccepted: p(
        `SELECT count(*) AS n FROM automation_webhook_log WHERE (@userId IS NULL OR user_id = @userId)
           AND status = 'accepted' AND ts_received >= @keepSince`,
      ),
      overUser: p(
        `DELETE FROM automation_webhook_log WHERE id IN (
           SELECT id FROM automation_webhook_log WHERE user_id = @userId
             AND NOT (status = 'accepted' AND ts_received >= @keepSince)
           ORDER BY id DESC LIMIT -1 OFFSET @keep)`,
      ),
      overTotal: p(
        `DELETE FROM automation_webhook_log WHERE id IN (
           SELECT id FROM automation_webhook_log
           WHERE NOT (status = 'accepted' AND ts_received >= @keepSince)
           ORDER BY id DESC LIMIT -1 OFFSET @keep)`,
      ),
      refusalsByAge: p('DELETE FROM automation_webhook_refusals WHERE ts_last < ?'),
      refusalsOver: p(
        `DELETE FROM automation_webhook_refusals WHERE rowid IN (
           SELECT rowid FROM automation_webhook_refusals ORDER BY ts_last DESC LIMIT -1 OFFSET ?)`,
      ),
    };
  }

  /** One pass; the caller runs it inside a write transaction. */
  prune(now: number, policy: RetentionPolicy): RetentionResult {
    const keepSince = now - RISK_WINDOW_MS;
    const logByAge = this.s.byAge.run(now - policy.days * DAY_MS).changes;
    const logUnowned = this.s.unowned.run().changes;
    let logOverCeiling = 0;
    const heavy = this.s.heavyUsers.all(policy.maxRowsPerUser) as Array<{ userId: string }>;
    for (const { userId } of heavy) {
      const keep = this.room(userId, keepSince, policy.maxRowsPerUser);
      logOverCeiling += this.s.overUser.run({ userId, keepSince, keep }).changes;
    }
    const keep = this.room(null, keepSince, policy.maxRows);
    logOverCeiling += this.s.overTotal.run({ keepSince, keep }).changes;
    const refusals =
      this.s.refusalsByAge.run(now - policy.days * DAY_MS).changes +
      this.s.refusalsOver.run(policy.maxRefusalRows).changes;
    return { logByAge, logUnowned, logOverCeiling, refusals };
  }

  /** Rows the ceiling leaves for everything but the protected recent accepted ones. */
  private room(userId: string | null, keepSince: number, ceiling: number): number {
    const { n } = this.s.recentAccepted.get({ userId, keepSince }) as { n: number };
    return Math.max(0, ceiling - n);
  }
}
