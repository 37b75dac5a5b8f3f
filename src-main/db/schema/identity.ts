import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Accounts. `sessionVersion` is copied into every access token; bumping it (logout
 * everywhere, password or 2FA change, ban) rejects older tokens at once. The TOTP secret is
 * stored only encrypted (AES-256-GCM with a data key kept in the secret store).
 */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role').notNull(),
    sessionVersion: integer('session_version').notNull().default(1),
    bannedAt: integer('banned_at'),
    totpEnabled: integer('totp_enabled', { mode: 'boolean' }).notNull().default(false),
    /** `v1.<iv>.<tag>.<ciphertext>` (base64url) of the confirmed TOTP secret. */
    totpSecretEnc: text('totp_secret_enc'),
    /** Secret of an enrolment begun but not yet confirmed, encrypted the same way. */
    totpPendingEnc: text('totp_pending_enc'),
    /** Last accepted TOTP time step: a code is never accepted twice. */
    totpLastStep: integer('totp_last_step'),
    tsCreated: integer('ts_created').notNull(),
    tsPasswordChanged: integer('ts_password_changed').notNull(),
  },
  (t) => [uniqueIndex('users_email_idx').on(t.email)],
);

/** A login session = one refresh-token family; only the current token's hash is kept. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    refreshHash: text('refresh_hash').notNull(),
    generation: integer('generation').notNull().default(1),
    userAgent: text('user_agent'),
    ip: text('ip'),
    tsCreated: integer('ts_created').notNull(),
    tsLastUsed: integer('ts_last_used').notNull(),
    tsExpires: integer('ts_expires').notNull(),
    tsRevoked: integer('ts_revoked'),
    revokeReason: text('revoke_reason'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Hashed single-use recovery codes for 2FA. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    tsUsed: integer('ts_used'),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Single-use, expiring password reset tokens, stored hashed. */
export const passwordResets = sqliteTable(
  'password_resets',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    tsCreated: integer('ts_created').notNull(),
    tsExpires: integer('ts_expires').notNull(),
    tsUsed: integer('ts_used'),
  },
  (t) => [index('password_resets_user_idx').on(t.userId)],
);

/** Ed25519 API keys: only the public key is stored; the private key never reaches us. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    label: text('label').notNull(),
    /** Raw 32-byte Ed25519 public key, base64. */
    publicKey: text('public_key').notNull(),
    /** JSON array of scopes: read, trade, withdraw. */
    scopes: text('scopes').notNull(),
    /** JSON array of IP addresses or CIDR ranges; empty means any address. */
    ipAllowlist: text('ip_allowlist').notNull().default('[]'),
    tsCreated: integer('ts_created').notNull(),
    tsExpires: integer('ts_expires'),
    tsLastUsed: integer('ts_last_used'),
    tsRevoked: integer('ts_revoked'),
    /**
     * Newest signed-request timestamp accepted with this key (written in batches): after a
     * restart only newer requests pass, so none seen before can be replayed (replay-floor.ts).
     */
    tsLastSigned: integer('ts_last_signed'),
  },
  (t) => [index('api_keys_user_idx').on(t.userId)],
);
