import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/database';
import { notifications } from '../../db/schema';
import type { EventHub } from '../../events/hub';

export type NotificationLevel = 'info' | 'warning' | 'error';

export interface NewNotification {
  /** Recipient; omit for a notification to administrators. */
  userId?: string;
  level: NotificationLevel;
  kind: string;
  title: string;
  body: string;
}

/** The notifications outbox: stored, pushed on the `notifications` stream, shown in the app. */
export class NotificationService {
  constructor(
    private readonly store: DatabaseHandle,
    private readonly hub: EventHub,
    private readonly now: () => number,
  ) {}

  /** Prepared once (on first use): fills arrive by the hundred per second from a busy broker. */
  private prepared: ReturnType<NotificationService['prepareInsert']> | undefined;

  private prepareInsert() {
    return this.store.db
      .insert(notifications)
      .values({
        userId: sql.placeholder('userId'),
        level: sql.placeholder('level'),
        kind: sql.placeholder('kind'),
        title: sql.placeholder('title'),
        body: sql.placeholder('body'),
        tsCreated: sql.placeholder('tsCreated'),
      })
      .returning()
      .prepare();
  }

  notify(n: NewNotification): number {
    this.prepared ??= this.prepareInsert();
    const row = this.prepared.get({
      userId: n.userId ?? null,
      level: n.level,
      kind: n.kind,
      title: n.title,
      body: n.body,
      tsCreated: this.now(),
    })!;
    const audience = n.userId
      ? ({ kind: 'user', userId: n.userId } as const)
      : ({ kind: 'admins' } as const);
    this.hub.publish('notifications', { ...row }, audience);
    return row.id;
  }

  /** A user's notifications, plus the administrators' ones when `includeAdmin`. */
  list(userId: string | undefined, includeAdmin: boolean, unreadOnly: boolean, limit: number) {
    const mine = userId ? eq(notifications.userId, userId) : undefined;
    const admin = includeAdmin ? isNull(notifications.userId) : undefined;
    const who = mine && admin ? or(mine, admin) : (mine ?? admin);
    if (!who) return [];
    const where = unreadOnly ? and(who, isNull(notifications.tsRead)) : who;
    return this.store.db
      .select()
      .from(notifications)
      .where(where)
      .orderBy(desc(notifications.id))
      .limit(limit)
      .all()
      .map(({ userId: _u, ...rest }) => rest);
  }

  markRead(userId: string | undefined, includeAdmin: boolean, ids: number[]): number {
    const mine = userId ? eq(notifications.userId, userId) : undefined;
    const admin = includeAdmin ? isNull(notifications.userId) : undefined;
    const who = mine && admin ? or(mine, admin) : (mine ?? admin);
    if (!who) return 0;
    const result = this.store.db
      .update(notifications)
      .set({ tsRead: this.now() })
      .where(and(who, inArray(notifications.id, ids), isNull(notifications.tsRead)))
      .run();
    return result.changes;
  }

  /**
   * Retention: read notifications older than `before` go, and each recipient keeps at most
   * `perRecipient` (oldest first), so alerts refused in a flood cannot grow the table forever.
   * Unread ones stay until the ceiling reaches them. Run inside a write transaction.
   */
  prune(before: number, perRecipient: number): number {
    let removed = this.store.db
      .delete(notifications)
      .where(and(isNotNull(notifications.tsRead), lt(notifications.tsCreated, before)))
      .run().changes;
    const over = this.store.sqlite
      .prepare(`SELECT user_id AS userId FROM notifications GROUP BY user_id HAVING count(*) > ?`)
      .all(perRecipient) as Array<{ userId: string | null }>;
    const trim = this.store.sqlite.prepare(
      `DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE user_id IS ?
         ORDER BY id DESC LIMIT -1 OFFSET ?)`,
    );
    for (const { userId } of over) removed += trim.run(userId, perRecipient).changes;
    return removed;
  }
}
