import type { UserRow } from '../identity/users';
import type { OwnerStanding } from './ports';

/**
 * The part of identity automation asks about a token's owner. (The accounts port itself needs
 * no adapter: the accounts feature's service speaks it.)
 */
export interface OwnerDirectory {
  users: { get(userId: string): Pick<UserRow, 'bannedAt'> | undefined };
}

/**
 * Whether an account's owner may still trade through its webhook tokens: a token is a
 * credential of its owner, so a ban (or an owner who no longer exists) stops it like it stops
 * sessions and API keys.
 */
export function ownerStandingFrom(identity: OwnerDirectory): OwnerStanding {
  return (userId) => {
    const user = identity.users.get(userId);
    if (!user) return 'unknown';
    return user.bannedAt === null ? 'active' : 'banned';
  };
}
