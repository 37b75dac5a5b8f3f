import crypto from 'node:crypto';
import { AppError } from '../../../src-shared/contract';

/** Hex SHA-256: how tokens and recovery codes are stored (they carry ≥128 random bits). */
export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

/** URL-safe random string with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** AES-256-GCM with a 32-byte key: `v1.<iv>.<tag>.<ciphertext>`, bound to `context`. */
export function encrypt(key: Buffer, plaintext: string, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ['v1', iv, tag, ct]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function decrypt(key: Buffer, sealed: string, context: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('Unknown ciphertext format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Accepts a raw 32-byte key in base64 or an SPKI PEM; answers the raw key in base64. */
export function parseEd25519PublicKey(input: string): string {
  const text = input.trim();
  let raw: Buffer;
  try {
    if (text.startsWith('-----BEGIN')) {
      const key = crypto.createPublicKey({ key: text, format: 'pem' });
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
      raw = (key.export({ format: 'der', type: 'spki' }) as Buffer).subarray(12);
    } else {
      raw = Buffer.from(text, 'base64');
    }
  } catch {
    raw = Buffer.alloc(0);
  }
  if (raw.length !== 32) {
    throw new AppError(
      'invalid_public_key',
      'The public key must be an Ed25519 key: 32 raw bytes in base64, or an SPKI PEM',
    );
  }
  return raw.toString('base64');
}

export function ed25519KeyObject(rawBase64: string): crypto.KeyObject {
  const der = Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(rawBase64, 'base64')]);
  return crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
}
