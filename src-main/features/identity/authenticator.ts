import {
  AppError,
  permissionsOfKey,
  permissionsOfRole,
  roleNeedsTwoFactor,
} from '../../../src-shared/contract';
import type { Authenticator, HttpCredentials, KeySignedMessage } from '../../operations/auth';
import { ANONYMOUS, type Principal } from '../../operations/principal';
import { ipAllowed, type ApiKeyStore } from './api-keys';
import { ed25519KeyObject } from './crypto';
import type { ReplayFloor } from './replay-floor';
import type { SessionManager } from './sessions';
import { ReplayCache, SIGNING_HEADERS, readSignedRequest, verifyEd25519 } from './signing';
import type { TokenIssuer } from './tokens';
import type { UserDirectory, UserRow } from './users';

const header = (h: HttpCredentials['headers'], name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** A verified token's `exp` (seconds) in ms; jose has checked it is a number. */
const expiryMs = (claims: { exp?: unknown }): number | undefined =>
  typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;

const ended = () => new AppError('unauthenticated', 'This session has ended; sign in again');

/**
 * Bearer access tokens (JWT) and Ed25519-signed requests → principals. Every request
 * re-checks the account (cached), its session version and the session itself, so logout,
 * bans and revocations apply to the very next request.
 */
export class IdentityAuthenticator implements Authenticator {
  private readonly replay = new ReplayCache();

  constructor(
    private readonly tokens: TokenIssuer,
    private readonly users: UserDirectory,
    private readonly sessions: SessionManager,
    private readonly keys: ApiKeyStore,
    private readonly now: () => number,
    /** Refuses signed requests the previous run may have accepted (absent: memory only). */
    private readonly floor?: ReplayFloor,
  ) {}

  async fromHttp(c: HttpCredentials): Promise<Principal> {
    const auth = header(c.headers, 'authorization');
    const signed =
      header(c.headers, SIGNING_HEADERS.key) !== undefined ||
      header(c.headers, SIGNING_HEADERS.signature) !== undefined;
    if (auth && signed) {
      throw new AppError(
        'unauthenticated',
        'Use either a bearer token or a signed request, not both',
      );
    }
    if (signed) return this.fromSignature(c);
    if (!auth) return ANONYMOUS;
    const m = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(auth);
    if (!m) throw new AppError('unauthenticated', 'Authorization must be "Bearer <access token>"');
    return this.fromAccessToken(m[1]!);
  }

  /** IPC calls and WebSocket logons: an access token, or a listen token on WebSocket. */
  async fromToken(token: string | undefined): Promise<Principal> {
    if (!token) return ANONYMOUS;
    if (!token.startsWith('ey')) throw new AppError('unauthenticated', 'The token is malformed');
    try {
      return await this.fromAccessToken(token);
    } catch (err) {
      const payload = await this.tokens.verify(token, 'listen+jwt').catch(() => undefined);
      if (!payload) throw err;
      return this.fromListenClaims(payload as Record<string, unknown>);
    }
  }

  stillValid(principal: Principal): boolean {
    if (principal.kind === 'user') {
      const user = this.users.get(principal.userId);
      return (
        user !== undefined &&
        user.bannedAt === null &&
        user.sessionVersion === principal.sessionVersion &&
        (principal.sessionId === undefined || this.sessions.isActive(principal.sessionId))
      );
    }
    if (principal.kind === 'apiKey')
      return this.keys.problem(this.keys.get(principal.keyId)) === undefined;
    return true;
  }

  userPrincipal(user: UserRow, sessionId: string | undefined, tsExpires?: number): Principal {
    // Built whole, then `tsExpires` added: a literal that begins with a conditional spread
    // (`{ ...(x ? { x } : {}), … }`) allocated ~2 KB more per call in V8, on every
    // authenticated request (bench:engine's REST cost table, docs/benchmarks.md).
    const principal: Extract<Principal, { kind: 'user' }> = {
      kind: 'user',
      userId: user.id,
      role: user.role,
      permissions: permissionsOfRole(user.role),
      sessionId,
      sessionVersion: user.sessionVersion,
      twoFactorPending: roleNeedsTwoFactor(user.role) && !user.totpEnabled,
    };
    if (tsExpires !== undefined) principal.tsExpires = tsExpires;
    return principal;
  }

  private async fromAccessToken(token: string): Promise<Principal> {
    const claims = await this.tokens.verify(token, 'at+jwt');
    const user = this.users.get(String(claims.sub));
    if (!user || user.bannedAt !== null) throw ended();
    if (claims.sv !== user.sessionVersion) throw ended();
    const sid = typeof claims.sid === 'string' ? claims.sid : undefined;
    if (!sid || !this.sessions.isActive(sid)) throw ended();
    return this.userPrincipal(user, sid, expiryMs(claims));
  }

  private fromListenClaims(claims: Record<string, unknown>): Principal {
    const user = this.users.get(String(claims.sub));
    if (!user || user.bannedAt !== null || claims.sv !== user.sessionVersion) throw ended();
    if (typeof claims.kid === 'string') {
      const key = this.keys.get(claims.kid);
      const problem = this.keys.problem(key);
      if (problem || !key) throw problem ?? ended();
      const scopes = JSON.parse(key.scopes) as string[];
      return this.keyPrincipal(key.id, user, scopes, expiryMs(claims));
    }
    const sid = typeof claims.sid === 'string' ? claims.sid : undefined;
    if (sid && !this.sessions.isActive(sid)) throw ended();
    return this.userPrincipal(user, sid, expiryMs(claims));
  }

  private keyPrincipal(
    keyId: string,
    user: UserRow,
    scopes: string[],
    tsExpires?: number,
  ): Principal {
    const principal: Extract<Principal, { kind: 'apiKey' }> = {
      kind: 'apiKey',
      userId: user.id,
      keyId,
      role: user.role,
      permissions: permissionsOfKey(scopes, user.role),
    };
    if (tsExpires !== undefined) principal.tsExpires = tsExpires;
    return principal;
  }

  private fromSignature(c: HttpCredentials): Principal {
    return this.fromKeySignature({ ...readSignedRequest(c, this.now()), ip: c.ip });
  }

  /**
   * A message signed with an API key's Ed25519 private key, its clock already checked by the
   * door that read it (Bourse's headers, or Binance-style parameters): the key must be live,
   * the signature valid, the address allowed, and the signature not seen before.
   */
  fromKeySignature(parts: KeySignedMessage): Principal {
    const now = this.now();
    const key = this.keys.get(parts.keyId);
    const problem = this.keys.problem(key);
    if (problem || !key) throw problem ?? ended();
    if (!verifyEd25519(ed25519KeyObject(key.publicKey), parts.canonical, parts.signature)) {
      throw new AppError(
        'invalid_signature',
        'The signature does not match the request',
        undefined,
        401,
      );
    }
    if (!ipAllowed(JSON.parse(key.ipAllowlist) as string[], parts.ip)) {
      throw new AppError(
        'ip_not_allowed',
        `This key may not be used from ${parts.ip}`,
        undefined,
        403,
      );
    }
    this.floor?.check(key.id, parts.timestamp);
    const replayId = `${key.id}:${parts.signature.toString('base64')}`;
    const expiresAt = parts.timestamp + parts.recvWindow + 1_000;
    if (!this.replay.remember(replayId, expiresAt, now, parts.use)) {
      throw new AppError(
        'replayed_request',
        'This signed request was already received',
        undefined,
        401,
      );
    }
    this.floor?.accepted(key.id, parts.timestamp);
    this.keys.touch(key);
    return this.keyPrincipal(
      key.id,
      this.users.require(key.userId),
      JSON.parse(key.scopes) as string[],
    );
  }
}
