import { PERMISSIONS, type Permission } from './permissions';

/** Account roles, from most to least powerful. */
export const ROLES = ['owner', 'admin', 'trader', 'viewer', 'support', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

const READ: Permission[] = [
  'authenticated',
  'account.manage',
  'market.read',
  'orders.read',
  'wallet.read',
];

/**
 * What each role may do. The UI shows this table; the backend derives every principal's
 * permissions from it. Roles holding a privileged permission (`isPrivileged`) must enable
 * 2FA before using it.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  trader: [
    ...READ,
    'orders.trade',
    'wallet.withdraw',
    'backtest.run',
    'backtest.custom',
    'automation.manage',
    'apikeys.manage',
  ],
  viewer: [...READ, 'backtest.run', 'apikeys.manage'],
  support: [...READ, 'admin.users', 'audit.read'],
  auditor: [...READ, 'audit.read'],
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Everything, including making administrators. There is always at least one owner.',
  admin: 'Runs the exchange: users, markets, ledger corrections, system. Needs 2FA.',
  trader:
    'Trades, deposits and withdraws, runs backtests (also of their own strategy code) and automation, manages API keys.',
  viewer:
    'Sees markets, orders and balances; runs backtests of the built-in strategies; read-only API keys.',
  support:
    'Helps users: sees accounts and the audit trail, ends sessions and bans traders and viewers (reset links stay masked). Needs 2FA.',
  auditor: 'Reads everything and the audit trail; changes nothing. Needs 2FA.',
};

/** API key scopes and the permissions each grants (further limited by the owner's role). */
export const API_KEY_SCOPES = ['read', 'trade', 'withdraw'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const SCOPE_PERMISSIONS: Record<ApiKeyScope, readonly Permission[]> = {
  read: ['authenticated', 'market.read', 'orders.read', 'wallet.read'],
  trade: ['orders.trade'],
  withdraw: ['wallet.withdraw'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * Permissions over other people: every `admin.*` action, and reading the audit trail (who did
 * what, from which address, to whom). Using one needs 2FA; API keys never carry one.
 */
export function isPrivileged(permission: string): boolean {
  return permission.startsWith('admin.') || permission === 'audit.read';
}

/**
 * Each role's set, built once: every authenticated request asks (a Set of ~40 strings per
 * request showed in the REST profile). Read-only by type; nothing may change a shared set.
 */
const ROLE_SETS = new Map<string, ReadonlySet<Permission>>();
const NO_PERMISSIONS: ReadonlySet<Permission> = new Set();

export function permissionsOfRole(role: string): ReadonlySet<Permission> {
  if (!isRole(role)) return NO_PERMISSIONS;
  let set = ROLE_SETS.get(role);
  if (!set) ROLE_SETS.set(role, (set = new Set(ROLE_PERMISSIONS[role])));
  return set;
}

/** Whether a role must have 2FA on (it holds a privileged permission); per role once. */
const TWO_FACTOR_ROLES = new Map<string, boolean>();

export function roleNeedsTwoFactor(role: string): boolean {
  let needs = TWO_FACTOR_ROLES.get(role);
  if (needs === undefined) {
    needs = isRole(role) && ROLE_PERMISSIONS[role].some(isPrivileged);
    if (isRole(role)) TWO_FACTOR_ROLES.set(role, needs);
  }
  return needs;
}

/** A key's effective permissions: its scopes' permissions that the owner's role also has. */
export function permissionsOfKey(scopes: readonly string[], role: string): ReadonlySet<Permission> {
  const fromRole = permissionsOfRole(role);
  const out = new Set<Permission>();
  for (const scope of scopes) {
    for (const p of SCOPE_PERMISSIONS[scope as ApiKeyScope] ?? []) if (fromRole.has(p)) out.add(p);
  }
  return out;
}

/**
 * Standing over other people. Acting on a user (ban, unban, role change, ending sessions) needs
 * a rank strictly above theirs, and a role can only be granted by someone ranked above it, so
 * no one can raise anyone, themselves included, to their own level or beyond. Owners are the
 * exception: they act on anyone and grant anything (the last-owner rule still holds).
 */
export const ROLE_RANK: Record<Role, number> = {
  owner: 4,
  admin: 3,
  support: 2,
  auditor: 2,
  trader: 1,
  viewer: 1,
};

/** Rank of a role name; an unknown role ranks below every real one. */
export function rankOf(role: string): number {
  return isRole(role) ? ROLE_RANK[role] : 0;
}

/** Whether someone holding `actorRole` may act on a user holding `targetRole`. */
export function mayActOn(actorRole: string, targetRole: string): boolean {
  return actorRole === 'owner' || rankOf(actorRole) > rankOf(targetRole);
}

/** Whether someone holding `actorRole` may give a user the role `granted`. */
export function mayGrant(actorRole: string, granted: string): boolean {
  return actorRole === 'owner' || rankOf(actorRole) > rankOf(granted);
}
