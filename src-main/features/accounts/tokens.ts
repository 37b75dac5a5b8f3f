import crypto from 'node:crypto';

/** Where a MetaTrader account keeps the SHA-256 of its EA's bridge token (in broker settings). */
export const BRIDGE_HASH = 'bridgeTokenHash';

/** Webhook and bridge tokens are kept as their SHA-256 only. */
export const sha256 = (t: string) => crypto.createHash('sha256').update(t).digest('hex');

/** A new webhook token (shown once). */
export const newToken = () => `tv_${crypto.randomBytes(24).toString('base64url')}`;
