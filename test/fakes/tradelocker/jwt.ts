import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Real HS256 JWTs for the fake TradeLocker: the connector decodes `exp` like the SDK does,
 * and the fake refuses anything it did not sign, anything expired and any reused refresh
 * token (each refresh token is single-use).
 */
export interface Claims {
  sub: string;
  typ: 'access' | 'refresh';
  /** Seconds since the epoch, as JWT wants. */
  iat: number;
  exp: number;
  jti: string;
}

const b64 = (v: object | Buffer) =>
  (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

export class JwtIssuer {
  private readonly secret = randomUUID();

  sign(sub: string, typ: Claims['typ'], nowMs: number, ttlMs: number): string {
    const claims: Claims = {
      sub,
      typ,
      iat: Math.floor(nowMs / 1000),
      exp: Math.floor((nowMs + ttlMs) / 1000),
      jti: randomUUID(),
    };
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    return `${head}.${b64(createHmac('sha256', this.secret).update(head).digest())}`;
  }

  /** The claims of a token this issuer signed and that is unexpired at `nowMs`, else null. */
  verify(token: string, typ: Claims['typ'], nowMs: number): Claims | null {
    const [h, p, s] = token.split('.');
    if (!h || !p || !s) return null;
    const want = createHmac('sha256', this.secret).update(`${h}.${p}`).digest();
    const got = Buffer.from(s, 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Claims;
    if (claims.typ !== typ || claims.exp * 1000 <= nowMs) return null;
    return claims;
  }
}
