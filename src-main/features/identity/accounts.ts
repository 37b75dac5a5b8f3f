import { and, eq, gt, isNull } from 'drizzle-orm';
import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import { addressKey } from '../../domain/net/client-address';
import { passwordResets } from '../../db/schema';
import type { NotificationService } from '../notifications/service';
import { newId, randomToken, safeEqual, sha256 } from './crypto';
import type { Outbox } from './outbox';
import { assertAcceptablePassword, hashPassword, verifyDummy, verifyPassword } from './passwords';
import type { ClientMeta, SessionManager, SessionTokens } from './sessions';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  throttledCheck,
  type Throttle,
  type ThrottleKeys,
} from './throttle';
import type { TokenIssuer } from './tokens';
import type { TwoFactor } from './two-factor';
import { normalizeEmail, toUserView, type UserDirectory, type UserRow } from './users';

export const RESET_TTL_MS = 30 * 60_000;

export interface AccountDeps {
  store: DatabaseHandle;
  now: () => number;
  users: UserDirectory;
  sessions: SessionManager;
  tokens: TokenIssuer;
  twoFactor: TwoFactor;
  throttle: Throttle;
  outbox: Outbox;
  notifications: NotificationService;
}

export type LoginResult =
  | { status: 'ok'; session: SessionTokens }
  | { status: 'two_factor_required'; challenge: string; challengeExpiresAt: number };

const badCredentials = () =>
  new AppError('invalid_credentials', 'The email or the password is wrong', undefined, 401);

// Per address: IPv6 per /64, as every other per-address counter.
const keysFor = (kind: string, email: string, ip?: string): ThrottleKeys => [
  [`${kind}:acct:${email}`, ACCOUNT_POLICY],
  [`${kind}:ip:${ip ? addressKey(ip) : 'local'}`, ADDRESS_POLICY],
];

/** Registration, login (with 2FA), password change and reset. */
export class Accounts {
  constructor(private readonly d: AccountDeps) {}

  /** Runs `fn` in one write transaction; a rollback drops the user cache. */
  tx<T>(name: string, fn: () => T): T {
    try {
      return this.d.store.write(name, fn);
    } catch (err) {
      this.d.users.forgetAll();
      throw err;
    }
  }

  async createUser(email: string, password: string, role: string, actor: string): Promise<UserRow> {
    const normalized = normalizeEmail(email);
    assertAcceptablePassword(password, normalized);
    const passwordHash = await hashPassword(password);
    return this.tx('identity.users.create', () => {
      if (this.d.users.byEmail(normalized)) {
        throw new AppError(
          'email_taken',
          'An account with this email already exists',
          undefined,
          409,
        );
      }
      if (role === 'owner' && this.d.users.hasOwner()) {
        throw new AppError('conflict', 'The owner account already exists');
      }
      const t = this.d.now();
      const user = this.d.users.insert({
        id: newId('usr'),
        email: normalized,
        passwordHash,
        role,
        tsCreated: t,
        tsPasswordChanged: t,
      });
      this.d.users.audit(actor === 'self' ? user.id : actor, 'user.create', user.id, { role });
      return user;
    });
  }

  async login(email: string, password: string, meta: ClientMeta): Promise<LoginResult> {
    const normalized = normalizeEmail(email);
    const user = this.d.users.byEmail(normalized);
    // Counted before argon2 runs, so parallel guesses cannot all pass the gate.
    await throttledCheck(
      this.d.throttle,
      keysFor('login', normalized, meta.ip),
      () => (user ? verifyPassword(user.passwordHash, password) : verifyDummy(password)),
      badCredentials,
      true,
    );
    if (!user) throw badCredentials();
    if (user.bannedAt !== null) {
      throw new AppError(
        'account_banned',
        'This account is banned; ask an administrator',
        undefined,
        403,
      );
    }
    if (user.totpEnabled) {
      const c = await this.d.tokens.challenge(user.id, user.sessionVersion);
      return { status: 'two_factor_required', challenge: c.token, challengeExpiresAt: c.expiresAt };
    }
    this.d.users.audit(user.id, 'session.login', null, { ip: meta.ip ?? null });
    return { status: 'ok', session: await this.d.sessions.start(user, meta) };
  }

  async verifyTwoFactor(challenge: string, code: string, meta: ClientMeta): Promise<SessionTokens> {
    const claims = await this.d.tokens.verify(challenge, 'mfa+jwt');
    const user = this.d.users.get(String(claims.sub));
    if (!user || user.bannedAt !== null || claims.sv !== user.sessionVersion) {
      throw new AppError('unauthenticated', 'This sign-in attempt has ended; start again');
    }
    await throttledCheck(
      this.d.throttle,
      keysFor('2fa', user.id, meta.ip),
      () => this.d.twoFactor.verify(user, code),
      () => {
        this.d.users.audit(user.id, 'twoFactor.failure', null, { ip: meta.ip ?? null });
        return new AppError('invalid_code', 'That code is not valid', undefined, 401);
      },
      true,
    );
    this.d.users.audit(user.id, 'session.login', null, { ip: meta.ip ?? null, twoFactor: true });
    return this.d.sessions.start(this.d.users.require(user.id), meta);
  }

  /** Checks the password of a signed-in user (for sensitive changes), throttled like login. */
  async confirmPassword(user: UserRow, password: string, ip?: string): Promise<void> {
    await throttledCheck(
      this.d.throttle,
      keysFor('login', user.email, ip),
      () => verifyPassword(user.passwordHash, password),
      () => new AppError('invalid_credentials', 'The password is wrong', undefined, 403),
    );
  }

  /** Runs a check that throws on a wrong code, counting failures like logins. */
  async guard<T>(
    kind: string,
    key: string,
    ip: string | undefined,
    fn: () => Promise<T>,
  ): Promise<T> {
    const attempt = this.d.throttle.reserve(keysFor(kind, key, ip));
    try {
      const result = await fn();
      attempt.release();
      return result;
    } catch (err) {
      if (err instanceof AppError && err.code === 'invalid_code') attempt.fail();
      else attempt.release();
      throw err;
    }
  }

  /** Confirms a TOTP or recovery code of a signed-in user, throttled. */
  async confirmCode(user: UserRow, code: string, ip?: string): Promise<void> {
    await throttledCheck(
      this.d.throttle,
      keysFor('2fa', user.id, ip),
      () => this.d.twoFactor.verify(user, code),
      () => new AppError('invalid_code', 'That code is not valid', undefined, 403),
    );
  }

  /** Ends every session of a user in `fn`'s transaction, then opens a fresh one for the caller. */
  async restartSessions(
    userId: string,
    reason: string,
    meta: ClientMeta,
    fn: () => void,
  ): Promise<SessionTokens> {
    const pending = this.tx(`identity.${reason}`, () => {
      fn();
      this.d.sessions.revokeAllInTx(userId, reason);
      return this.d.sessions.open(this.d.users.require(userId), meta);
    });
    this.d.sessions.endedAll(userId);
    return this.d.sessions.tokensFor(pending);
  }

  async changePassword(
    user: UserRow,
    current: string,
    next: string,
    meta: ClientMeta,
  ): Promise<SessionTokens> {
    await this.confirmPassword(user, current, meta.ip);
    assertAcceptablePassword(next, user.email);
    const passwordHash = await hashPassword(next);
    return this.restartSessions(user.id, 'password_change', meta, () => {
      this.d.users.update(user.id, { passwordHash, tsPasswordChanged: this.d.now() });
      this.d.users.audit(user.id, 'account.password_change', user.id);
    });
  }

  /** Always answers the same; a reset link goes to the administrators' outbox. */
  async requestReset(email: string, ip?: string): Promise<void> {
    const normalized = normalizeEmail(email);
    // Every request counts (each may mail a link): reserved and failed at once.
    this.d.throttle.reserve(keysFor('reset', normalized, ip)).fail();
    const user = this.d.users.byEmail(normalized);
    if (!user || user.bannedAt !== null) return;
    const id = newId('pr');
    const secret = randomToken(32);
    const t = this.d.now();
    this.tx('identity.reset.request', () => {
      this.d.store.db
        .insert(passwordResets)
        .values({
          id,
          userId: user.id,
          tokenHash: sha256(secret),
          tsCreated: t,
          tsExpires: t + RESET_TTL_MS,
        })
        .run();
      this.d.users.audit(user.id, 'account.reset_requested', user.id, { ip: ip ?? null });
    });
    const token = `${id}.${secret}`;
    this.d.outbox.add({
      to: user.email,
      subject: 'Reset your Bourse password',
      body: `Open #/reset?token=${token} in Bourse within 30 minutes to choose a new password. If you did not ask for this, ignore it.`,
      tsExpires: t + RESET_TTL_MS,
      secret: token,
    });
    this.d.notifications.notify({
      level: 'info',
      kind: 'identity.reset_requested',
      title: 'Password reset requested',
      body: this.d.outbox.mailing
        ? `${user.email} asked to reset their password. The link was e-mailed to them; Admin › Outbox shows its delivery.`
        : `${user.email} asked to reset their password. The link is in Admin › Outbox for 30 minutes; give it to them in person.`,
    });
  }

  async completeReset(token: string, newPassword: string): Promise<void> {
    const [id, secret] = token.split('.');
    const invalid = () =>
      new AppError(
        'invalid_reset_token',
        'This reset link is not valid or has expired; ask for a new one',
      );
    if (!id || !secret) throw invalid();
    const row = this.d.store.db
      .select()
      .from(passwordResets)
      .where(
        and(
          eq(passwordResets.id, id),
          isNull(passwordResets.tsUsed),
          gt(passwordResets.tsExpires, this.d.now()),
        ),
      )
      .get();
    if (!row || !safeEqual(row.tokenHash, sha256(secret))) throw invalid();
    const user = this.d.users.require(row.userId);
    assertAcceptablePassword(newPassword, user.email);
    const passwordHash = await hashPassword(newPassword);
    this.tx('identity.reset.complete', () => {
      const used = this.d.store.db
        .update(passwordResets)
        .set({ tsUsed: this.d.now() })
        .where(and(eq(passwordResets.id, id), isNull(passwordResets.tsUsed)))
        .run().changes;
      if (!used) throw invalid();
      this.d.users.update(user.id, { passwordHash, tsPasswordChanged: this.d.now() });
      this.d.sessions.revokeAllInTx(user.id, 'password_reset');
      this.d.users.audit(user.id, 'account.password_reset', user.id);
    });
    this.d.sessions.endedAll(user.id);
    this.d.outbox.removeFor(user.email);
  }

  view(user: UserRow) {
    return toUserView(user);
  }
}
