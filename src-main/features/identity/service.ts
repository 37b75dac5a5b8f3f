import crypto from 'node:crypto';
import { AppError, mayActOn, mayGrant, type Role } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import type { Principal } from '../../operations/principal';
import type { SecretStore } from '../../secrets/secret-store';
import type { AuditLog } from '../audit/audit-log';
import type { NotificationService } from '../notifications/service';
import { Accounts } from './accounts';
import { ApiKeyStore } from './api-keys';
import { IdentityAuthenticator } from './authenticator';
import { ReplayFloor } from './replay-floor';
import { safeEqual, sha256 } from './crypto';
import type { MailSender } from '../../connectors/mail/mailer';
import { Outbox } from './outbox';
import { SessionManager } from './sessions';
import { Throttle } from './throttle';
import { TokenIssuer } from './tokens';
import { TwoFactor } from './two-factor';
import { UserDirectory, toUserView, type UserRow } from './users';

/** Who acts on another user: their id and role (from the signed-in principal). */
export interface Actor {
  userId: string;
  role: string;
}

/** Refuses acting on a user ranked at or above the actor (owners excepted), see `mayActOn`. */
function requireRankOver(actor: Actor, target: UserRow): void {
  if (!mayActOn(actor.role, target.role)) {
    throw new AppError(
      'role_hierarchy',
      `A ${actor.role} cannot act on a user whose role is ${target.role}`,
      { role: target.role },
    );
  }
}

export interface IdentityOptions {
  store: DatabaseHandle;
  secrets: SecretStore;
  notifications: NotificationService;
  audit: AuditLog;
  now: () => number;
  /** Closes live connections (WebSocket) whose principal matches. */
  closeConnections: (match: (p: Principal) => boolean, reason: string) => void;
  /** Sends password reset links by e-mail; without it an administrator hands them over. */
  mail?: MailSender;
}

/** Everything identity: the parts, wired once. The identity feature provides it as `identity`. */
export class IdentityService {
  readonly users: UserDirectory;
  readonly tokens: TokenIssuer;
  readonly sessions: SessionManager;
  readonly twoFactor: TwoFactor;
  readonly apiKeys: ApiKeyStore;
  readonly throttle: Throttle;
  readonly outbox: Outbox;
  readonly accounts: Accounts;
  readonly authenticator: IdentityAuthenticator;
  /** Signed requests from before the last start are refused; marks flushed in batches. */
  readonly replayFloor: ReplayFloor;
  private setupTokenHash?: string;
  private setupTokenPlain?: string;

  constructor(private readonly o: IdentityOptions) {
    this.users = new UserDirectory(o.store, o.audit);
    this.tokens = new TokenIssuer(o.now);
    this.sessions = new SessionManager(o.store, this.users, this.tokens, o.now, (m) =>
      o.closeConnections(
        (p) =>
          (p.kind === 'user' || p.kind === 'apiKey') &&
          p.userId === m.userId &&
          (m.sessionId === undefined || (p.kind === 'user' && p.sessionId === m.sessionId)),
        'session ended',
      ),
    );
    this.twoFactor = new TwoFactor(o.store, this.users, o.secrets, o.now);
    this.apiKeys = new ApiKeyStore(o.store, this.users, o.now);
    this.throttle = new Throttle(o.now);
    this.outbox = new Outbox(o.now, o.mail);
    this.accounts = new Accounts({
      store: o.store,
      now: o.now,
      users: this.users,
      sessions: this.sessions,
      tokens: this.tokens,
      twoFactor: this.twoFactor,
      throttle: this.throttle,
      outbox: this.outbox,
      notifications: o.notifications,
    });
    this.replayFloor = new ReplayFloor(o.store, o.now);
    this.authenticator = new IdentityAuthenticator(
      this.tokens,
      this.users,
      this.sessions,
      this.apiKeys,
      o.now,
      this.replayFloor,
    );
  }

  /** At start: while no owner exists, a one-time setup token (only its hash is kept). */
  prepareSetup(): void {
    if (this.users.hasOwner()) return;
    const token = crypto.randomBytes(24).toString('base64url');
    this.setupTokenHash = sha256(token);
    this.setupTokenPlain = token;
  }

  /** The setup token in clear, once (headless prints it as a link), then forgotten. */
  takeSetupToken(): string | undefined {
    const token = this.setupTokenPlain;
    this.setupTokenPlain = undefined;
    return this.users.hasOwner() ? undefined : token;
  }

  /** Headless: `Set up the owner account: <url>/#/setup?token=…`, or nothing. */
  setupLink(baseUrl: string): string | undefined {
    const token = this.takeSetupToken();
    return token ? `${baseUrl}/#/setup?token=${token}` : undefined;
  }

  checkSetupToken(token: string | undefined): boolean {
    return (
      token !== undefined &&
      this.setupTokenHash !== undefined &&
      safeEqual(this.setupTokenHash, sha256(token))
    );
  }

  finishSetup(): void {
    this.setupTokenHash = undefined;
    this.setupTokenPlain = undefined;
  }

  /**
   * Bans or unbans; a ban ends sessions, and API keys and webhook tokens stop at the next
   * request. Only someone ranked above the target may do either (`mayActOn`).
   */
  setBanned(actor: Actor, userId: string, banned: boolean) {
    const target = this.users.require(userId);
    if (target.id === actor.userId) {
      throw new AppError('bad_request', `You cannot ${banned ? 'ban' : 'unban'} yourself`);
    }
    requireRankOver(actor, target);
    if (banned && target.role === 'owner') {
      throw new AppError('forbidden', 'An owner cannot be banned; change the role first');
    }
    const row = this.accounts.tx('identity.users.ban', () => {
      const updated = this.users.update(userId, { bannedAt: banned ? this.o.now() : null });
      if (banned) this.sessions.revokeAllInTx(userId, 'banned');
      this.users.audit(actor.userId, banned ? 'user.ban' : 'user.unban', userId);
      return updated;
    });
    if (banned) this.sessions.endedAll(userId);
    return toUserView(this.users.require(row.id));
  }

  /**
   * Only owners and administrators change roles, on users ranked below them (owners: anyone),
   * to roles ranked below them (owners: any). The last owner stays an owner.
   */
  setRole(actor: Actor, userId: string, role: Role) {
    const target = this.users.require(userId);
    if (actor.role !== 'owner' && actor.role !== 'admin') {
      throw new AppError('forbidden', 'Only owners and administrators change roles');
    }
    requireRankOver(actor, target);
    if (!mayGrant(actor.role, role)) {
      throw new AppError(
        'role_hierarchy',
        `Only an owner can make someone ${role === 'owner' ? 'an owner' : `an ${role}`}`,
        { role },
      );
    }
    this.accounts.tx('identity.users.setRole', () => {
      if (target.role === 'owner' && role !== 'owner' && this.users.countRole('owner') <= 1) {
        throw new AppError(
          'last_owner',
          'This is the last owner; make someone else owner first',
          undefined,
          409,
        );
      }
      this.users.update(userId, { role });
      this.sessions.revokeAllInTx(userId, 'role_change');
      this.users.audit(actor.userId, 'user.setRole', userId, { from: target.role, to: role });
    });
    this.sessions.endedAll(userId);
    return toUserView(this.users.require(userId));
  }

  /** Ends every session of a user ranked below the actor (or of the actor themselves). */
  endSessions(actor: Actor, userId: string): number {
    const target = this.users.require(userId);
    if (target.id !== actor.userId) requireRankOver(actor, target);
    const n = this.accounts.tx('identity.users.endSessions', () => {
      const ended = this.sessions.revokeAllInTx(userId, 'ended_by_admin');
      this.users.audit(actor.userId, 'user.endSessions', userId, { ended });
      return ended;
    });
    this.sessions.endedAll(userId);
    return n;
  }
}
