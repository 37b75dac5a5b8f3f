import { AppError, PERMISSIONS, type Permission } from '../../src-shared/contract';

/** Who is calling. Transports authenticate; operations only see this. */
export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: string;
      role: string;
      permissions: ReadonlySet<Permission>;
      sessionId?: string;
      /** The account's session version the credentials were issued under. */
      sessionVersion?: number;
      /** The role needs 2FA for its `admin.*` permissions and it is not enabled yet. */
      twoFactorPending?: boolean;
      /** When the token this principal came from expires (ms); live connections end then. */
      tsExpires?: number;
    }
  | {
      kind: 'apiKey';
      userId: string;
      keyId: string;
      role: string;
      permissions: ReadonlySet<Permission>;
      /** When the listen token this principal came from expires (ms), if it came from one. */
      tsExpires?: number;
    }
  | { kind: 'system'; permissions: ReadonlySet<Permission> };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** The backend acting on its own behalf (jobs, the market simulator). */
export const SYSTEM: Principal = { kind: 'system', permissions: new Set(PERMISSIONS) };

/** The user id behind a principal, or undefined for anonymous and system callers. */
export function userIdOf(principal: Principal): string | undefined {
  return principal.kind === 'user' || principal.kind === 'apiKey' ? principal.userId : undefined;
}

/**
 * The user an operation acts for, or `forbidden` for a caller that is no user (the system, an
 * anonymous door): `what` names what only users have ("orders and balances").
 */
export function callerUserId(principal: Principal, what: string): string {
  const id = userIdOf(principal);
  if (!id) throw new AppError('forbidden', `Only a user (or an API key) has ${what}`);
  return id;
}

/**
 * A saved user strategy (`user:<id>`) is custom code, run in the sandbox: whoever runs it (a
 * backtest, a bot) needs `backtest.custom`, which viewers lack; built-ins need no more than the
 * operation's own permission. `doing` names what was refused ("Running your own strategy code").
 */
export function mayRunStrategy(principal: Principal, strategyId: string, doing: string): void {
  if (!strategyId.startsWith('user:')) return;
  if (principal.kind !== 'anonymous' && principal.permissions.has('backtest.custom')) return;
  throw new AppError(
    'forbidden',
    `${doing} needs the backtest.custom permission; this role runs the built-in strategies only`,
  );
}

/** When the token behind a principal expires (ms), or undefined when it does not. */
export function expiryOf(principal: Principal): number | undefined {
  return principal.kind === 'user' || principal.kind === 'apiKey' ? principal.tsExpires : undefined;
}
