import { Type } from '@sinclair/typebox';
import { Empty, Obj, Ok, TimestampMs } from './common';
import { defineOperation } from './define';
import { API_KEY_SCOPES, ROLES } from './roles';

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
/** Long passphrases are welcome; the cap only bounds hashing work. */
const Password = Type.String({ minLength: 1, maxLength: 1024 });
const NewPassword = Type.String({ minLength: 10, maxLength: 1024 });
const Code = Type.String({ minLength: 6, maxLength: 32, description: 'TOTP or recovery code' });
const RoleName = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Scope = Type.Union(API_KEY_SCOPES.map((s) => Type.Literal(s)));
const IdParam = Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_-]+$' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

export const UserView = Obj({
  id: Type.String(),
  email: Type.String(),
  role: RoleName,
  twoFactorEnabled: Type.Boolean(),
  /** True when the role needs 2FA for its admin permissions and it is not enabled yet. */
  twoFactorRequired: Type.Boolean(),
  banned: Type.Boolean(),
  tsCreated: TimestampMs,
});

export const SessionTokens = Obj({
  accessToken: Type.String(),
  accessExpiresAt: TimestampMs,
  refreshToken: Type.String(),
  refreshExpiresAt: TimestampMs,
  user: UserView,
});

export const authStatus = defineOperation({
  name: 'auth.status',
  summary: 'Is first-run setup needed, and who is calling?',
  access: 'public',
  http: { method: 'GET', path: '/auth/status' },
  input: Empty,
  output: Obj({ setupRequired: Type.Boolean(), user: Nullable(UserView) }),
});

export const setupCreateOwner = defineOperation({
  name: 'setup.createOwner',
  summary: 'Create the owner account on first run (desktop app, or with the printed setup link)',
  access: 'public',
  mutates: true,
  http: { method: 'POST', path: '/setup/owner' },
  input: Obj({
    email: Email,
    password: NewPassword,
    setupToken: Type.Optional(Type.String({ maxLength: 200 })),
  }),
  output: SessionTokens,
});

export const authRegister = defineOperation({
  name: 'auth.register',
  summary: 'Create an account (role trader) with email and password',
  access: 'public',
  mutates: true,
  http: { method: 'POST', path: '/auth/register' },
  input: Obj({ email: Email, password: NewPassword }),
  output: Obj({ user: UserView }),
});

export const authLogin = defineOperation({
  name: 'auth.login',
  summary: 'Log in with email and password',
  description:
    'Answers tokens, or a 2FA challenge to complete with auth.verifyTwoFactor. Unknown accounts and wrong passwords get the same answer. Repeated failures answer too_many_attempts with details.retryAt.',
  access: 'public',
  mutates: true,
  http: { method: 'POST', path: '/auth/login' },
  input: Obj({ email: Email, password: Password }),
  output: Type.Union([
    Obj({ status: Type.Literal('ok'), session: SessionTokens }),
    Obj({
      status: Type.Literal('two_factor_required'),
      challenge: Type.String(),
      challengeExpiresAt: TimestampMs,
    }),
  ]),
});

export const authVerifyTwoFactor = defineOperation({
  name: 'auth.verifyTwoFactor',
  summary: 'Complete a login with a TOTP code or a recovery code',
  access: 'public',
  mutates: true,
  http: { method: 'POST', path: '/auth/2fa' },
  input: Obj({ challenge: Type.String({ maxLength: 2000 }), code: Code }),
  output: SessionTokens,
});

export const authRefresh = defineOperation({
  name: 'auth.refresh',
  summary: 'Exchange a refresh token for new tokens (the old refresh token stops working)',
  access: 'public',
  mutates: true,
  http: { method: 'POST', path: '/auth/refresh' },
  input: Obj({ refreshToken: Type.String({ maxLength: 4000 }) }),
  output: SessionTokens,
});

export const authLogout = defineOperation({
  name: 'auth.logout',
  summary: 'End the current session',
  access: 'account.manage',
  mutates: true,
  http: { method: 'POST', path: '/auth/logout' },
  input: Empty,
  output: Ok,
});

export const SessionView = Obj({
  id: Type.String(),
  current: Type.Boolean(),
  userAgent: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  tsCreated: TimestampMs,
  tsLastUsed: TimestampMs,
  tsExpires: TimestampMs,
});

export const sessionsList = defineOperation({
  name: 'sessions.list',
  summary: "The caller's active sessions",
  access: 'account.manage',
  http: { method: 'GET', path: '/sessions' },
  input: Empty,
  output: Obj({ items: Type.Array(SessionView) }),
});

export const sessionsRevoke = defineOperation({
  name: 'sessions.revoke',
  summary: 'End one of the caller’s sessions',
  access: 'account.manage',
  mutates: true,
  http: { method: 'POST', path: '/sessions/:id/revoke' },
  input: Obj({ id: IdParam }),
  output: Ok,
});

export const accountChangePassword = defineOperation({
  name: 'account.changePassword',
  summary: 'Change the password; every other session ends',
  access: 'account.manage',
  mutates: true,
  sessionOnly: true,
  http: { method: 'POST', path: '/account/password' },
  input: Obj({ currentPassword: Password, newPassword: NewPassword }),
  output: SessionTokens,
});

export const passwordResetRequest = defineOperation({
  name: 'passwordReset.request',
  summary: 'Ask for a password reset link (e-mailed, or handed over by an administrator)',
  description:
    'Answers the same whether or not the account exists. `delivery` says how links travel on this Bourse: `email` when SMTP is configured, otherwise `administrator` (Admin › Outbox).',
  access: 'public',
  mutates: true,
  http: { method: 'POST', path: '/password-reset' },
  input: Obj({ email: Email }),
  output: Obj({
    ok: Type.Literal(true),
    delivery: Type.Union([Type.Literal('email'), Type.Literal('administrator')]),
  }),
});

export const passwordResetComplete = defineOperation({
  name: 'passwordReset.complete',
  summary: 'Set a new password with a reset token (single use, expires after 30 minutes)',
  access: 'public',
  mutates: true,
  http: { method: 'POST', path: '/password-reset/complete' },
  input: Obj({ token: Type.String({ maxLength: 300 }), newPassword: NewPassword }),
  output: Ok,
});

export const twoFactorBegin = defineOperation({
  name: 'twoFactor.begin',
  summary: 'Start TOTP enrolment: a secret, its otpauth URI and a QR code',
  access: 'account.manage',
  mutates: true,
  sessionOnly: true,
  http: { method: 'POST', path: '/2fa/begin' },
  input: Obj({ password: Password }),
  output: Obj({ secret: Type.String(), uri: Type.String(), qrSvg: Type.String() }),
});

export const twoFactorConfirm = defineOperation({
  name: 'twoFactor.confirm',
  summary: 'Confirm enrolment with a code; answers ten recovery codes (shown once)',
  access: 'account.manage',
  mutates: true,
  sessionOnly: true,
  http: { method: 'POST', path: '/2fa/confirm' },
  input: Obj({ code: Type.String({ pattern: '^[0-9]{6}$' }) }),
  output: Obj({ recoveryCodes: Type.Array(Type.String()), session: SessionTokens }),
});

export const twoFactorDisable = defineOperation({
  name: 'twoFactor.disable',
  summary: 'Turn 2FA off (not allowed for roles that require it)',
  access: 'account.manage',
  mutates: true,
  sessionOnly: true,
  http: { method: 'POST', path: '/2fa/disable' },
  input: Obj({ password: Password, code: Code }),
  output: SessionTokens,
});

export const twoFactorRecoveryCodes = defineOperation({
  name: 'twoFactor.recoveryCodes',
  summary: 'Replace the recovery codes with ten new ones',
  access: 'account.manage',
  mutates: true,
  sessionOnly: true,
  http: { method: 'POST', path: '/2fa/recovery-codes' },
  input: Obj({ password: Password, code: Code }),
  output: Obj({ recoveryCodes: Type.Array(Type.String()) }),
});

export const ApiKeyView = Obj({
  id: Type.String(),
  label: Type.String(),
  publicKey: Type.String({ description: 'Raw Ed25519 public key, base64' }),
  scopes: Type.Array(Scope),
  ipAllowlist: Type.Array(Type.String()),
  tsCreated: TimestampMs,
  tsExpires: Nullable(TimestampMs),
  tsLastUsed: Nullable(TimestampMs),
  tsRevoked: Nullable(TimestampMs),
});

const IpList = Type.Array(Type.String({ minLength: 2, maxLength: 64 }), { maxItems: 50 });

export const apiKeysCreate = defineOperation({
  name: 'apiKeys.create',
  summary: 'Register an Ed25519 public key as an API key (read-only unless scopes say more)',
  access: 'apikeys.manage',
  mutates: true,
  sessionOnly: true,
  http: { method: 'POST', path: '/api-keys' },
  input: Obj({
    label: Type.String({ minLength: 1, maxLength: 100 }),
    publicKey: Type.String({
      minLength: 40,
      maxLength: 400,
      description: 'Raw 32-byte key in base64, or an SPKI PEM',
    }),
    scopes: Type.Optional(Type.Array(Scope, { minItems: 1, maxItems: 3, uniqueItems: true })),
    ipAllowlist: Type.Optional(IpList),
    expiresAt: Type.Optional(TimestampMs),
  }),
  output: ApiKeyView,
});

export const apiKeysList = defineOperation({
  name: 'apiKeys.list',
  summary: "The caller's API keys with their last use",
  access: 'apikeys.manage',
  http: { method: 'GET', path: '/api-keys' },
  input: Empty,
  output: Obj({ items: Type.Array(ApiKeyView) }),
});

export const apiKeysUpdate = defineOperation({
  name: 'apiKeys.update',
  summary: 'Change a key’s label, scopes or IP allowlist',
  access: 'apikeys.manage',
  mutates: true,
  sessionOnly: true,
  http: { method: 'PATCH', path: '/api-keys/:id' },
  input: Obj({
    id: IdParam,
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    scopes: Type.Optional(Type.Array(Scope, { minItems: 1, maxItems: 3, uniqueItems: true })),
    ipAllowlist: Type.Optional(IpList),
  }),
  output: ApiKeyView,
});

export const apiKeysRevoke = defineOperation({
  name: 'apiKeys.revoke',
  summary: 'Revoke a key: its requests and WebSocket connections stop at once',
  access: 'apikeys.manage',
  mutates: true,
  http: { method: 'POST', path: '/api-keys/:id/revoke' },
  input: Obj({ id: IdParam }),
  output: Ok,
});

export const apiKeysListenToken = defineOperation({
  name: 'apiKeys.listenToken',
  summary: 'A short-lived token to authenticate a WebSocket for private streams',
  access: 'authenticated',
  mutates: true,
  http: { method: 'POST', path: '/api-keys/listen-token' },
  input: Empty,
  output: Obj({ token: Type.String(), expiresAt: TimestampMs }),
});

export const adminUsersList = defineOperation({
  name: 'admin.users.list',
  summary: 'Accounts in the order they joined, a page at a time',
  description:
    'Filters combine: `search` matches part of the email (case-insensitive), `email` the whole address, `role` and `status` match exactly. `total` counts every account the filters match; `cursor` is the `nextCursor` of the previous page.',
  access: 'admin.users',
  http: { method: 'GET', path: '/admin/users' },
  input: Obj({
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    /** Exactly this address (any case): the account it belongs to, if any. */
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    role: Type.Optional(RoleName),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('banned')])),
    cursor: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  }),
  output: Obj({
    items: Type.Array(UserView),
    total: Type.Integer({ minimum: 0 }),
    nextCursor: Type.Optional(Type.String()),
  }),
});

const UserTarget = Obj({ userId: IdParam });

export const adminUsersBan = defineOperation({
  name: 'admin.users.ban',
  summary: 'Ban a user: sessions, API keys and connections stop at once',
  access: 'admin.users',
  mutates: true,
  http: { method: 'POST', path: '/admin/users/:userId/ban' },
  input: UserTarget,
  output: UserView,
});

export const adminUsersUnban = defineOperation({
  name: 'admin.users.unban',
  summary: 'Lift a ban',
  access: 'admin.users',
  mutates: true,
  http: { method: 'POST', path: '/admin/users/:userId/unban' },
  input: UserTarget,
  output: UserView,
});

export const adminUsersSetRole = defineOperation({
  name: 'admin.users.setRole',
  summary: 'Change a user’s role (only owners make admins or owners; the last owner stays)',
  access: 'admin.users',
  mutates: true,
  http: { method: 'POST', path: '/admin/users/:userId/role' },
  input: Obj({ userId: IdParam, role: RoleName }),
  output: UserView,
});

export const adminUsersEndSessions = defineOperation({
  name: 'admin.users.endSessions',
  summary: 'End every session of a user',
  access: 'admin.users',
  mutates: true,
  http: { method: 'POST', path: '/admin/users/:userId/end-sessions' },
  input: UserTarget,
  output: Obj({ ended: Type.Integer() }),
});

export const adminOutboxList = defineOperation({
  name: 'admin.outbox.list',
  summary: 'Password reset links: waiting for an administrator, or their e-mail delivery',
  description:
    'Reset links are held in memory only, until they expire, and never written to the database or the logs. Links appear in full only to holders of `admin.credentials` (owners, administrators; 2FA on); others (support) see them masked (`masked: true`). Without SMTP (`BOURSE_SMTP_URL`) an administrator hands them over (`delivery: manual`). With SMTP each is sent at once and retried twice; once `sent`, its body no longer holds the link; `failed` keeps it for an administrator.',
  access: 'admin.users',
  http: { method: 'GET', path: '/admin/outbox' },
  input: Empty,
  output: Obj({
    items: Type.Array(
      Obj({
        id: Type.String(),
        to: Type.String(),
        subject: Type.String(),
        body: Type.String(),
        tsCreated: TimestampMs,
        tsExpires: TimestampMs,
        delivery: Type.Union([
          Type.Literal('manual'),
          Type.Literal('sending'),
          Type.Literal('sent'),
          Type.Literal('failed'),
        ]),
        attempts: Type.Integer({ minimum: 0 }),
        error: Type.Union([Type.String(), Type.Null()]),
        tsSent: Type.Union([TimestampMs, Type.Null()]),
        /** The link in `body` is hidden: reading reset links needs admin.credentials. */
        masked: Type.Boolean(),
      }),
    ),
  }),
});

export const identityOperations = [
  authStatus,
  setupCreateOwner,
  authRegister,
  authLogin,
  authVerifyTwoFactor,
  authRefresh,
  authLogout,
  sessionsList,
  sessionsRevoke,
  accountChangePassword,
  passwordResetRequest,
  passwordResetComplete,
  twoFactorBegin,
  twoFactorConfirm,
  twoFactorDisable,
  twoFactorRecoveryCodes,
  apiKeysCreate,
  apiKeysList,
  apiKeysUpdate,
  apiKeysRevoke,
  apiKeysListenToken,
  adminUsersList,
  adminUsersBan,
  adminUsersUnban,
  adminUsersSetRole,
  adminUsersEndSessions,
  adminOutboxList,
] as const;
