import { createHash, randomBytes } from 'node:crypto';

/** The prefix marks a bridge token in logs and pastes (`mtb_`), never the secret part. */
const PREFIX = 'mtb_';

/** SHA-256 (hex) of a bridge token: what the accounts service stores and looks up. */
export function hashBridgeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A new bridge token for one account's EA: 32 random bytes (base64url), shown to the user once
 * to paste into the EA's `BridgeToken` input. Bourse keeps only the hash.
 */
export function newBridgeToken(): { token: string; hash: string } {
  const token = PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashBridgeToken(token) };
}
