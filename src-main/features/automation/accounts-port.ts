import { AppError } from '../../../src-shared/contract';
import type { IdentityService } from '../identity/service';
import type { AccountsPort, OwnerStanding } from './ports';

/**
 * Adapts the accounts service (registered as `accounts`) to what automation needs. A service
 * that already speaks the port (`byToken`, `get`, `listForUser`, `venue`, `markets`) is used
 * as is; `ExchangeVenue` (exchange-venue.ts) is the local-exchange venue in that shape.
 */
export function accountsPortFrom(services: Map<string, unknown>): AccountsPort {
  const accounts = services.get('accounts');
  if (!accounts) throw new AppError('unavailable', 'Trading accounts are not available');
  if (typeof (accounts as AccountsPort).byToken === 'function') return accounts as AccountsPort;
  throw new AppError(
    'unavailable',
    'Trading accounts are not connected to automation yet (no accounts adapter)',
  );
}

/**
 * Whether an account's owner may still trade through its webhook tokens: a token is a
 * credential of its owner, so a ban (or an owner who no longer exists) stops it like it stops
 * sessions and API keys. Without the identity feature nobody is active.
 */
export function ownerStandingFrom(services: Map<string, unknown>): OwnerStanding {
  return (userId) => {
    const identity = services.get('identity') as IdentityService | undefined;
    const user = identity?.users.get(userId);
    if (!user) return 'unknown';
    return user.bannedAt === null ? 'active' : 'banned';
  };
}
