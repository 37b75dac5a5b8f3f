import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import { sessions } from '../../db/schema';
import { newId, randomToken, safeEqual, sha256 } from './crypto';
import type { TokenIssuer } from './tokens';
import { toUserView, type UserDirectory, type UserRow, type UserView } from './users';

export const REFRESH_TTL_MS = 30 * 24 * 60 * 60_000;

/** Active sessions remembered by `isActive` (a few hundred bytes each). */
const KNOWN_SESSIONS_MAX = 10_000;

export interface SessionTokens {
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
  user: UserView;
}

export interface PendingSession {
  user: UserRow;
  sessionId: string;
  secret: string;
  refreshExpiresAt: number;
}

export interface ClientMeta {
  ip?: string;
  userAgent?: string;
}

const invalidRefresh = () =>
  new AppError('unauthenticated', 'The refresh token is not valid; sign in again');

/** `rt_<family>.<secret>`: the family names the session, the secret rotates on every use. */
function parseRefresh(token: string): { family: string; secret: string } | undefined {
  const m = /^rt_([A-Za-z0-9]+)\.([A-Za-z0-9_-]{20,})$/.exec(token);
  return m ? { family: `ses_${m[1]}`, secret: m[2]! } : undefined;
}

/**
 * Login sessions as refresh-token families. Only the hash of the current refresh token is
 * stored; presenting an older one of the same family means it was stolen (or replayed), so
 * the whole family is revoked and the event audited.
 */
export class SessionManager {
  private readonly activeStmt;
  /**
   * Sessions seen active, with their owner and expiry: every authenticated request asks, and
   * the lookup was ~6 % of an order request's CPU (bench:engine's REST profile). Safe because
   * this class is the only writer of `sessions` and every revocation below drops the entry
   * before it returns (a revocation rolled back only costs a lookup). Bounded: oldest first out.
   */
  private readonly known = new Map<string, { userId: string; expires: number }>();

  constructor(
    private readonly store: DatabaseHandle,
    private readonly users: UserDirectory,
    private readonly tokens: TokenIssuer,
    private readonly now: () => number,
    private readonly onEnded: (match: { userId: string; sessionId?: string }) => void,
  ) {
    this.activeStmt = store.sqlite.prepare(
      `SELECT user_id AS userId, ts_expires AS expires FROM sessions
       WHERE id = ? AND ts_revoked IS NULL AND ts_expires > ?`,
    );
  }

  isActive(sessionId: string): boolean {
    const now = this.now();
    const seen = this.known.get(sessionId);
    if (seen) {
      if (seen.expires > now) return true;
      this.known.delete(sessionId);
      return false;
    }
    const row = this.activeStmt.get(sessionId, now) as
      { userId: string; expires: number } | undefined;
    if (!row) return false;
    if (this.known.size >= KNOWN_SESSIONS_MAX) {
      this.known.delete(this.known.keys().next().value!);
    }
    this.known.set(sessionId, row);
    return true;
  }

  /** Creates a session row (synchronously, so it can join the caller's transaction). */
  open(user: UserRow, meta: ClientMeta): PendingSession {
    const id = newId('ses');
    const secret = randomToken(32);
    const t = this.now();
    this.store.db
      .insert(sessions)
      .values({
        id,
        userId: user.id,
        refreshHash: sha256(secret),
        ip: meta.ip ?? null,
        userAgent: meta.userAgent ?? null,
        tsCreated: t,
        tsLastUsed: t,
        tsExpires: t + REFRESH_TTL_MS,
      })
      .run();
    return { user, sessionId: id, secret, refreshExpiresAt: t + REFRESH_TTL_MS };
  }

  /** Signs the tokens of a session opened with `open` (after its transaction committed). */
  tokensFor(p: PendingSession): Promise<SessionTokens> {
    return this.issue(
      this.users.get(p.user.id) ?? p.user,
      p.sessionId,
      p.secret,
      p.refreshExpiresAt,
    );
  }

  /** Opens a session outside any transaction and answers its tokens. */
  start(user: UserRow, meta: ClientMeta): Promise<SessionTokens> {
    return this.tokensFor(this.open(user, meta));
  }

  private async issue(
    user: UserRow,
    sessionId: string,
    secret: string,
    refreshExpiresAt: number,
  ): Promise<SessionTokens> {
    const access = await this.tokens.access({
      sub: user.id,
      sid: sessionId,
      sv: user.sessionVersion,
    });
    return {
      accessToken: access.token,
      accessExpiresAt: access.expiresAt,
      refreshToken: `rt_${sessionId.slice(4)}.${secret}`,
      refreshExpiresAt,
      user: toUserView(user),
    };
  }

  /** Rotates a refresh token. A stale token of a live family revokes the family. */
  async refresh(token: string, meta: ClientMeta): Promise<SessionTokens> {
    const parsed = parseRefresh(token);
    if (!parsed) throw invalidRefresh();
    const t = this.now();
    const next = randomToken(32);
    const outcome = this.store.write('identity.refresh', () => {
      const row = this.store.db.select().from(sessions).where(eq(sessions.id, parsed.family)).get();
      if (!row || row.tsRevoked !== null || row.tsExpires <= t) return { kind: 'invalid' as const };
      if (!safeEqual(row.refreshHash, sha256(parsed.secret))) {
        this.revokeRow(row.id, 'refresh_token_reuse');
        this.users.audit(row.userId, 'session.refresh_reuse', row.id, {
          generation: row.generation,
          ip: meta.ip ?? null,
        });
        return { kind: 'reuse' as const, userId: row.userId, sessionId: row.id };
      }
      const user = this.users.get(row.userId);
      if (!user || user.bannedAt !== null) return { kind: 'invalid' as const };
      this.store.db
        .update(sessions)
        .set({
          refreshHash: sha256(next),
          generation: row.generation + 1,
          tsLastUsed: t,
          ip: meta.ip ?? row.ip,
        })
        .where(eq(sessions.id, row.id))
        .run();
      return { kind: 'ok' as const, user, row };
    });
    if (outcome.kind === 'reuse') {
      this.onEnded({ userId: outcome.userId, sessionId: outcome.sessionId });
      throw new AppError(
        'unauthenticated',
        'This refresh token was already used; the session has been ended for safety. Sign in again.',
      );
    }
    if (outcome.kind === 'invalid') throw invalidRefresh();
    return this.issue(outcome.user, outcome.row.id, next, outcome.row.tsExpires);
  }

  private revokeRow(id: string, reason: string): number {
    this.known.delete(id);
    return this.store.db
      .update(sessions)
      .set({ tsRevoked: this.now(), revokeReason: reason })
      .where(and(eq(sessions.id, id), isNull(sessions.tsRevoked)))
      .run().changes;
  }

  /** Ends one session of a user (logout, revoke from the list). */
  revoke(userId: string, sessionId: string, reason: string): void {
    const changed = this.store.write('identity.session.revoke', () => {
      const row = this.store.db.select().from(sessions).where(eq(sessions.id, sessionId)).get();
      if (!row || row.userId !== userId) throw new AppError('not_found', 'No such session');
      const n = this.revokeRow(sessionId, reason);
      if (n) this.users.audit(userId, 'session.revoke', sessionId, { reason });
      return n;
    });
    if (changed) this.onEnded({ userId, sessionId });
  }

  /**
   * Ends every session of a user and invalidates their access tokens (must run inside a
   * transaction; the caller closes connections after commit with `onEnded`).
   */
  revokeAllInTx(userId: string, reason: string): number {
    this.users.bumpSessionVersion(userId);
    for (const [id, seen] of this.known) if (seen.userId === userId) this.known.delete(id);
    return this.store.db
      .update(sessions)
      .set({ tsRevoked: this.now(), revokeReason: reason })
      .where(and(eq(sessions.userId, userId), isNull(sessions.tsRevoked)))
      .run().changes;
  }

  endedAll(userId: string): void {
    this.onEnded({ userId });
  }

  list(userId: string, currentSessionId: string | undefined) {
    return this.store.db
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.userId, userId),
          isNull(sessions.tsRevoked),
          gt(sessions.tsExpires, this.now()),
        ),
      )
      .orderBy(desc(sessions.tsLastUsed))
      .all()
      .map((s) => ({
        id: s.id,
        current: s.id === currentSessionId,
        userAgent: s.userAgent,
        ip: s.ip,
        tsCreated: s.tsCreated,
        tsLastUsed: s.tsLastUsed,
        tsExpires: s.tsExpires,
      }));
  }
}
