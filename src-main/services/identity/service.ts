import crypto from 'node:crypto';
import { AppError, type Role } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import type { Principal } from '../../operations/principal';
import type { SecretStore } from '../../secrets/secret-store';
import type { AuditLog } from '../audit';
import type { NotificationService } from '../notifications';
import { Accounts } from './accounts';
import { ApiKeyStore } from './api-keys';
import { IdentityAuthenticator } from './authenticator';
import { ReplayFloor } from './replay-floor';
import { safeEqual, sha256 } from './crypto';
import type { MailSender } from './mailer';
import { Outbox } from './outbox';
import { SessionManager } from './sessions';
import { Throttle } from './throttle';
import { TokenIssuer } from './tokens';
import { TwoFactor } from './two-factor';
import { UserDirectory, toUserView } from './users';

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

/** Everything identity: the parts, wired once. Registered as `services.get('identity')`. */
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

  /** Bans or unbans; a ban ends sessions, and API keys stop at the next request. */
  setBanned(actor: string, userId: string, banned: boolean) {
    const target = this.users.require(userId);
    if (banned && target.role === 'owner') {
      throw new AppError('forbidden', 'An owner cannot be banned; change the role first');
    }
    if (banned && target.id === actor) throw new AppError('bad_request', 'You cannot ban yourself');
    const row = this.accounts.tx('identity.users.ban', () => {
      const updated = this.users.update(userId, { bannedAt: banned ? this.o.now() : null });
      if (banned) this.sessions.revokeAllInTx(userId, 'banned');
      this.users.audit(actor, banned ? 'user.ban' : 'user.unban', userId);
      return updated;
    });
    if (banned) this.sessions.endedAll(userId);
    return toUserView(this.users.require(row.id));
  }

  setRole(actor: Principal & { kind: 'user' }, userId: string, role: Role) {
    const target = this.users.require(userId);
    const privileged = (r: string) => r === 'owner' || r === 'admin';
    if (actor.role !== 'owner' && actor.role !== 'admin') {
      throw new AppError('forbidden', 'Only owners and administrators change roles');
    }
    if ((privileged(role) || privileged(target.role)) && actor.role !== 'owner') {
      throw new AppError('forbidden', 'Only an owner can make or unmake administrators and owners');
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

  endSessions(actor: string, userId: string): number {
    this.users.require(userId);
    const n = this.accounts.tx('identity.users.endSessions', () => {
      const ended = this.sessions.revokeAllInTx(userId, 'ended_by_admin');
      this.users.audit(actor, 'user.endSessions', userId, { ended });
      return ended;
    });
    this.sessions.endedAll(userId);
    return n;
  }
}
