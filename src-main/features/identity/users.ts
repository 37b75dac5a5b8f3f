import { and, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import {
  AppError,
  isRole,
  roleNeedsTwoFactor,
  type AuditAction,
  type Role,
} from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import { users } from '../../db/schema';
import type { AuditLog } from '../audit/audit-log';

export type UserRow = typeof users.$inferSelect;

export interface UserQuery {
  search?: string;
  email?: string;
  role?: Role;
  status?: 'active' | 'banned';
  cursor?: string;
  limit?: number;
}

export interface UserView {
  id: string;
  email: string;
  role: Role;
  twoFactorEnabled: boolean;
  twoFactorRequired: boolean;
  banned: boolean;
  tsCreated: number;
}

/** Roles holding an `admin.*` permission must have 2FA on before they may use it. */

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toUserView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    role: (isRole(u.role) ? u.role : 'viewer') as Role,
    twoFactorEnabled: u.totpEnabled,
    twoFactorRequired: roleNeedsTwoFactor(u.role) && !u.totpEnabled,
    banned: u.bannedAt !== null,
    tsCreated: u.tsCreated,
  };
}

/**
 * Accounts, cached in memory: every authenticated request reads its user (role, ban,
 * session version), so the cache is what makes that cheap. Every write goes through
 * `update`, which refreshes the cached row.
 */
export class UserDirectory {
  private readonly cache = new Map<string, UserRow | null>();
  private ownerExists?: boolean;

  constructor(
    private readonly store: DatabaseHandle,
    private readonly auditLog: AuditLog,
  ) {}

  get(id: string): UserRow | undefined {
    if (!this.cache.has(id)) {
      const row = this.store.db.select().from(users).where(eq(users.id, id)).get();
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(id, row ?? null);
    }
    return this.cache.get(id) ?? undefined;
  }

  require(id: string): UserRow {
    const row = this.get(id);
    if (!row) throw new AppError('not_found', 'No such user');
    return row;
  }

  byEmail(email: string): UserRow | undefined {
    return this.store.db
      .select()
      .from(users)
      .where(eq(users.email, normalizeEmail(email)))
      .get();
  }

  /**
   * One page of accounts in the order they joined (rowid: insertion order, and the table's own
   * key, so a page is a range read), with the number the filters match in all.
   */
  page(q: UserQuery): { items: UserRow[]; total: number; nextCursor?: string } {
    const limit = q.limit ?? 100;
    const filters: SQL[] = [];
    if (q.search !== undefined) {
      // LIKE is case-insensitive for ASCII; % and _ in the search are literal characters.
      const pattern = `%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      filters.push(sql`${users.email} LIKE ${pattern} ESCAPE '\\'`);
    }
    if (q.email !== undefined) filters.push(eq(users.email, normalizeEmail(q.email)));
    if (q.role !== undefined) filters.push(eq(users.role, q.role));
    if (q.status === 'banned') filters.push(isNotNull(users.bannedAt));
    if (q.status === 'active') filters.push(isNull(users.bannedAt));
    const after = q.cursor === undefined ? [] : [sql`${users}.rowid > ${Number(q.cursor)}`];
    const rows = this.store.db
      .select({ rowid: sql<number>`${users}.rowid`, user: users })
      .from(users)
      .where(and(...filters, ...after))
      .orderBy(sql`${users}.rowid`)
      .limit(limit + 1)
      .all();
    const total =
      this.store.db
        .select({ n: sql<number>`count(*)` })
        .from(users)
        .where(and(...filters))
        .get()?.n ?? 0;
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => r.user),
      total,
      ...(rows.length > limit ? { nextCursor: String(page.at(-1)?.rowid) } : {}),
    };
  }

  hasOwner(): boolean {
    this.ownerExists ??= this.countRole('owner') > 0;
    return this.ownerExists;
  }

  countRole(role: Role): number {
    const row = this.store.db
      .select({ n: sql<number>`count(*)` })
      .from(users)
      .where(eq(users.role, role))
      .get();
    return row?.n ?? 0;
  }

  insert(row: typeof users.$inferInsert): UserRow {
    const inserted = this.store.db.insert(users).values(row).returning().get();
    this.cache.set(inserted.id, inserted);
    if (inserted.role === 'owner') this.ownerExists = true;
    return inserted;
  }

  update(id: string, values: Partial<typeof users.$inferInsert>): UserRow {
    const row = this.store.db.update(users).set(values).where(eq(users.id, id)).returning().get();
    if (!row) throw new AppError('not_found', 'No such user');
    this.cache.set(id, row);
    this.ownerExists = undefined;
    return row;
  }

  /** Bumps the session version: every access token issued before stops working. */
  bumpSessionVersion(id: string): UserRow {
    const current = this.require(id);
    return this.update(id, { sessionVersion: current.sessionVersion + 1 });
  }

  /** Forgets every cached row (after a transaction rolled back). */
  forgetAll(): void {
    this.cache.clear();
    this.ownerExists = undefined;
  }

  audit(actor: string, action: AuditAction, target: string | null, details: object = {}): void {
    this.auditLog.record({ actor, action, target, details });
  }
}
