import crypto from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../../../src-shared/contract';

export const ISSUER = 'bourse';
export const AUDIENCE = 'bourse-api';
export const ACCESS_TTL_MS = 15 * 60_000;
export const LISTEN_TTL_MS = 5 * 60_000;
export const CHALLENGE_TTL_MS = 5 * 60_000;

/** Token types: the `typ` header keeps one kind from being used as another. */
export type TokenType = 'at+jwt' | 'listen+jwt' | 'mfa+jwt';

export interface AccessClaims {
  sub: string;
  /** Session (refresh family) id. */
  sid: string;
  /** The user's session version when issued. */
  sv: number;
}

export interface ListenClaims {
  sub: string;
  /** API key id, or absent for a user session's listen token. */
  kid?: string;
  sid?: string;
  sv: number;
}

const unauthenticated = (why: string) => new AppError('unauthenticated', why);

/**
 * EdDSA JWTs with a key made at start (tokens last minutes; refresh tokens survive restarts
 * in the database). The algorithm, issuer, audience, type and key id are all pinned.
 */
export class TokenIssuer {
  readonly kid = crypto.randomBytes(8).toString('hex');
  private readonly keys = crypto.generateKeyPairSync('ed25519');

  constructor(private readonly now: () => number) {}

  /** Signs any payload (tests use it to craft hostile tokens with the real key). */
  sign(
    payload: JWTPayload,
    typ: TokenType,
    ttlMs: number,
    overrides: { aud?: string; iss?: string; iat?: number; nbf?: number; kid?: string } = {},
  ): Promise<string> {
    const iat = overrides.iat ?? Math.floor(this.now() / 1000);
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', typ, kid: overrides.kid ?? this.kid })
      .setIssuer(overrides.iss ?? ISSUER)
      .setAudience(overrides.aud ?? AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + Math.floor(ttlMs / 1000))
      .setJti(crypto.randomBytes(9).toString('base64url'));
    if (overrides.nbf !== undefined) jwt.setNotBefore(overrides.nbf);
    return jwt.sign(this.keys.privateKey);
  }

  /** The public key as raw bytes (tests try algorithm confusion with it). */
  publicKeyRaw(): Buffer {
    return (this.keys.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(12);
  }

  /**
   * Tokens whose signature and claims were already checked, until they expire. Every API
   * call carries its access token, and an Ed25519 verification through WebCrypto costs far
   * more than the rest of authentication; the session checks (version, revocation, ban)
   * still run on every request, so a cached token never outlives its session.
   */
  private readonly verified = new Map<string, { typ: TokenType; payload: JWTPayload }>();
  private static readonly VERIFIED_MAX = 10_000;

  async verify(token: string, typ: TokenType): Promise<JWTPayload> {
    // Keyed by the token alone (a key built from type and token copied ~400 bytes per request);
    // a token is signed for one type, so one asked for as another is checked in full and fails.
    const known = this.verified.get(token);
    if (known && known.typ === typ) {
      if ((known.payload.exp ?? 0) * 1000 > this.now()) return known.payload;
      this.verified.delete(token);
      throw unauthenticated('The token has expired');
    }
    const payload = await this.verifySignature(token, typ);
    if (this.verified.size >= TokenIssuer.VERIFIED_MAX) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { typ, payload });
    return payload;
  }

  private async verifySignature(token: string, typ: TokenType): Promise<JWTPayload> {
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw unauthenticated('The token is malformed');
    }
    if (header.alg !== 'EdDSA') throw unauthenticated('Token algorithm not accepted');
    if (header.kid !== this.kid) throw unauthenticated('Token signed by an unknown key');
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, {
        algorithms: ['EdDSA'],
        issuer: ISSUER,
        audience: AUDIENCE,
        typ,
        currentDate: new Date(this.now()),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return payload;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw unauthenticated('The token has expired');
      throw unauthenticated('The token is not valid');
    }
  }

  async access(c: AccessClaims): Promise<{ token: string; expiresAt: number }> {
    const token = await this.sign({ sub: c.sub, sid: c.sid, sv: c.sv }, 'at+jwt', ACCESS_TTL_MS);
    return { token, expiresAt: this.expiryOf() };
  }

  private expiryOf(ttl = ACCESS_TTL_MS): number {
    return (Math.floor(this.now() / 1000) + Math.floor(ttl / 1000)) * 1000;
  }

  async listen(c: ListenClaims): Promise<{ token: string; expiresAt: number }> {
    const token = await this.sign({ ...c }, 'listen+jwt', LISTEN_TTL_MS);
    return { token, expiresAt: this.expiryOf(LISTEN_TTL_MS) };
  }

  async challenge(userId: string, sv: number): Promise<{ token: string; expiresAt: number }> {
    const token = await this.sign({ sub: userId, sv }, 'mfa+jwt', CHALLENGE_TTL_MS);
    return { token, expiresAt: this.expiryOf(CHALLENGE_TTL_MS) };
  }
}
