/**
 * Every permission an operation can declare. Roles (identity) are sets of these. `public`
 * means no caller identity is needed; `authenticated` means any signed-in caller.
 */
export const PERMISSIONS = [
  'authenticated',
  'account.manage',
  'market.read',
  'orders.read',
  'orders.trade',
  'wallet.read',
  'wallet.withdraw',
  'backtest.run',
  /** Save, check and run one's own strategy code (in the sandbox); without it, built-ins only. */
  'backtest.custom',
  'automation.manage',
  'apikeys.manage',
  'admin.users',
  'admin.markets',
  'admin.ledger',
  'admin.system',
  /** Read other people's credentials in transit: password reset links in the admin outbox. */
  'admin.credentials',
  'audit.read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** What an operation declares: a permission, or `public` (explicit, never a default). */
export type Access = Permission | 'public';

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
