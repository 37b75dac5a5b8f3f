import {
  AppError,
  accountChangePassword,
  adminOutboxList,
  adminUsersBan,
  adminUsersEndSessions,
  adminUsersList,
  adminUsersSetRole,
  adminUsersUnban,
  apiKeysCreate,
  apiKeysList,
  apiKeysListenToken,
  apiKeysRevoke,
  apiKeysUpdate,
  authLogin,
  authLogout,
  authRefresh,
  authRegister,
  authStatus,
  authVerifyTwoFactor,
  passwordResetComplete,
  passwordResetRequest,
  roleNeedsTwoFactor,
  sessionsList,
  sessionsRevoke,
  setupCreateOwner,
  twoFactorBegin,
  twoFactorConfirm,
  twoFactorDisable,
  twoFactorRecoveryCodes,
} from '../../../src-shared/contract';
import { defineFeature, type FeatureContext } from '../feature';
import type { OperationContext } from '../../operations/context';
import type { Principal } from '../../operations/principal';
import { bind } from '../../operations/registry';
import { toApiKeyView } from './api-keys';
import { smtpSender } from '../../connectors/mail/mailer';
import { IdentityService } from './service';
import { toUserView } from './users';

type UserPrincipal = Principal & { kind: 'user' };

/** The signed-in user behind a call (API keys are refused: accounts are managed in person). */
function caller(op: OperationContext): UserPrincipal {
  if (op.principal.kind !== 'user') {
    throw new AppError('forbidden', 'Only a signed-in user can do this (not an API key)');
  }
  return op.principal;
}

/**
 * A reset link is the account it resets: only holders of `admin.credentials` (owners and
 * administrators) see it, and only once their 2FA is on; support sees the message masked.
 */
function mayReadResetLinks(op: OperationContext): boolean {
  const p = op.principal;
  return p.kind === 'user' && p.permissions.has('admin.credentials') && !p.twoFactorPending;
}

const meta = (op: OperationContext) => ({
  ip: op.ip ?? (op.door === 'ipc' ? 'desktop' : undefined),
});

/** Accounts, sessions, 2FA, API keys and the authenticator every door uses. */
export const identityFeature = defineFeature({
  name: 'identity',
  setup(ctx) {
    const mail = ctx.config.smtpUrl
      ? smtpSender(ctx.config.smtpUrl, ctx.config.smtpFrom)
      : undefined;
    if (mail) ctx.log.info({ smtp: mail.describe }, 'password reset links are sent by e-mail');
    const id = new IdentityService({
      store: ctx.store,
      secrets: ctx.secrets,
      notifications: ctx.notifications,
      audit: ctx.audit,
      now: ctx.config.now,
      ...(mail ? { mail } : {}),
      closeConnections: (match, reason) => ctx.connections().closeWhere(match, reason),
    });
    ctx.setAuthenticator(id.authenticator);
    id.prepareSetup();
    ctx.registry.registerAll(identityOperations(ctx, id));
    return {
      provides: { identity: id },
      start() {
        id.replayFloor.start((err) => ctx.log.error({ err }, 'saving signing marks failed'));
      },
      stop() {
        id.replayFloor.stop();
      },
    };
  },
});

/** The catalogue's account, session, 2FA, API key and user-administration operations. */
function identityOperations(ctx: FeatureContext, id: IdentityService) {
  const me = (op: OperationContext) => id.users.require(caller(op).userId);

  return [
    bind(authStatus, (_i, op) => {
      const uid =
        op.principal.kind === 'user' || op.principal.kind === 'apiKey'
          ? op.principal.userId
          : undefined;
      const user = uid ? id.users.get(uid) : undefined;
      return { setupRequired: !id.users.hasOwner(), user: user ? toUserView(user) : null };
    }),
    bind(setupCreateOwner, async (input, op) => {
      if (id.users.hasOwner()) throw new AppError('conflict', 'The owner account already exists');
      if (op.door !== 'ipc' && !id.checkSetupToken(input.setupToken)) {
        throw new AppError('forbidden', 'Open the setup link printed when Bourse started');
      }
      const user = await id.accounts.createUser(input.email, input.password, 'owner', 'self');
      id.finishSetup();
      return id.sessions.start(user, meta(op));
    }),
    bind(authRegister, async (input) => {
      if (!id.users.hasOwner()) {
        throw new AppError('setup_required', 'Create the owner account first', undefined, 409);
      }
      return {
        user: toUserView(
          await id.accounts.createUser(input.email, input.password, 'trader', 'self'),
        ),
      };
    }),
    bind(authLogin, (input, op) => id.accounts.login(input.email, input.password, meta(op))),
    bind(authVerifyTwoFactor, (input, op) =>
      id.accounts.verifyTwoFactor(input.challenge, input.code, meta(op)),
    ),
    bind(authRefresh, (input, op) => id.sessions.refresh(input.refreshToken, meta(op))),
    bind(authLogout, (_i, op) => {
      const p = caller(op);
      if (p.sessionId) id.sessions.revoke(p.userId, p.sessionId, 'logout');
      return { ok: true as const };
    }),
    bind(sessionsList, (_i, op) => {
      const p = caller(op);
      return { items: id.sessions.list(p.userId, p.sessionId) };
    }),
    bind(sessionsRevoke, (input, op) => {
      id.sessions.revoke(caller(op).userId, input.id, 'revoked_by_user');
      return { ok: true as const };
    }),
    bind(accountChangePassword, (input, op) =>
      id.accounts.changePassword(me(op), input.currentPassword, input.newPassword, meta(op)),
    ),
    bind(passwordResetRequest, async (input, op) => {
      await id.accounts.requestReset(input.email, op.ip);
      return {
        ok: true as const,
        delivery: id.outbox.mailing ? ('email' as const) : ('administrator' as const),
      };
    }),
    bind(passwordResetComplete, async (input) => {
      await id.accounts.completeReset(input.token, input.newPassword);
      return { ok: true as const };
    }),
    bind(twoFactorBegin, async (input, op) => {
      const user = me(op);
      await id.accounts.confirmPassword(user, input.password, op.ip);
      return id.twoFactor.begin(user);
    }),
    bind(twoFactorConfirm, async (input, op) => {
      const user = me(op);
      const step = await id.accounts.guard('2fa', user.id, op.ip, () =>
        id.twoFactor.checkPending(user, input.code),
      );
      const recoveryCodes = id.twoFactor.newCodes();
      const session = await id.accounts.restartSessions(
        user.id,
        'two_factor_enabled',
        meta(op),
        () => {
          id.twoFactor.enableInTx(user, step, recoveryCodes);
          id.users.audit(user.id, 'twoFactor.enable', user.id);
        },
      );
      return { recoveryCodes, session };
    }),
    bind(twoFactorDisable, async (input, op) => {
      const user = me(op);
      if (!user.totpEnabled) throw new AppError('conflict', 'Two-factor authentication is off');
      if (roleNeedsTwoFactor(user.role)) {
        throw new AppError(
          'two_factor_mandatory',
          `The ${user.role} role requires two-factor authentication`,
        );
      }
      await id.accounts.confirmPassword(user, input.password, op.ip);
      await id.accounts.confirmCode(user, input.code, op.ip);
      return id.accounts.restartSessions(user.id, 'two_factor_disabled', meta(op), () => {
        id.twoFactor.disableInTx(user.id);
        id.users.audit(user.id, 'twoFactor.disable', user.id);
      });
    }),
    bind(twoFactorRecoveryCodes, async (input, op) => {
      const user = me(op);
      if (!user.totpEnabled) throw new AppError('conflict', 'Two-factor authentication is off');
      await id.accounts.confirmPassword(user, input.password, op.ip);
      await id.accounts.confirmCode(user, input.code, op.ip);
      const codes = id.twoFactor.newCodes();
      id.accounts.tx('identity.twoFactor.recoveryCodes', () => {
        id.twoFactor.replaceCodes(user.id, codes);
        id.users.audit(user.id, 'twoFactor.recoveryCodes', user.id);
      });
      return { recoveryCodes: codes };
    }),
    bind(apiKeysCreate, (input, op) => toApiKeyView(id.apiKeys.create(caller(op).userId, input))),
    bind(apiKeysList, (_i, op) => ({
      items: id.apiKeys.list(caller(op).userId).map(toApiKeyView),
    })),
    bind(apiKeysUpdate, (input, op) => toApiKeyView(id.apiKeys.update(caller(op).userId, input))),
    bind(apiKeysRevoke, (input, op) => {
      const uid = caller(op).userId;
      id.apiKeys.revoke(uid, input.id);
      ctx
        .connections()
        .closeWhere((p) => p.kind === 'apiKey' && p.keyId === input.id, 'API key revoked');
      return { ok: true as const };
    }),
    bind(apiKeysListenToken, (_i, op) => {
      const p = op.principal;
      if (p.kind === 'apiKey') {
        const user = id.users.require(p.userId);
        return id.tokens.listen({ sub: p.userId, kid: p.keyId, sv: user.sessionVersion });
      }
      const u = caller(op);
      const user = id.users.require(u.userId);
      return id.tokens.listen({ sub: u.userId, sid: u.sessionId, sv: user.sessionVersion });
    }),
    bind(adminUsersList, (input) => {
      const { items, ...rest } = id.users.page(input);
      return { items: items.map(toUserView), ...rest };
    }),
    bind(adminUsersBan, (input, op) => id.setBanned(caller(op), input.userId, true)),
    bind(adminUsersUnban, (input, op) => id.setBanned(caller(op), input.userId, false)),
    bind(adminUsersSetRole, (input, op) => id.setRole(caller(op), input.userId, input.role)),
    bind(adminUsersEndSessions, (input, op) => ({
      ended: id.endSessions(caller(op), input.userId),
    })),
    bind(adminOutboxList, (_i, op) => ({ items: id.outbox.list(mayReadResetLinks(op)) })),
  ];
}
