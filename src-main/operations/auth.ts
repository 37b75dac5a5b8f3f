import { AppError } from '../../src-shared/contract';
import { ANONYMOUS, type Principal } from './principal';

/** What a door knows about a caller before authentication. */
export interface HttpCredentials {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body bytes as received (signatures cover them). */
  rawBody: string;
  ip: string;
}

/**
 * Turns credentials into a principal. Identity plugs its implementation in; the default one
 * knows no accounts, so anything but anonymous access is refused.
 */
export interface Authenticator {
  fromHttp(credentials: HttpCredentials): Promise<Principal>;
  /** A bearer access token (IPC and WebSocket logon carry one). */
  fromToken(token: string | undefined, ip?: string): Promise<Principal>;
  /** Is this principal still valid (not logged out, banned, revoked)? Doors re-check live connections. */
  stillValid?(principal: Principal): boolean;
  /** A message signed with an API key (a door with its own signing format reads it first). */
  fromKeySignature?(message: KeySignedMessage): Principal;
}

/** What an API-key signature covers, read by the door from its own request format. */
export interface KeySignedMessage {
  keyId: string;
  /** Exactly the bytes the client signed. */
  canonical: string;
  signature: Buffer;
  /** The client's clock (ms) and how long the request stays valid: also bounds replays. */
  timestamp: number;
  recvWindow: number;
  ip: string;
  /**
   * The request's endpoint, for a door whose signature does not cover method and path
   * (Binance's): identical read-only requests to different endpoints are then not replays.
   */
  use?: { endpoint: string; readOnly: boolean };
}

export const noAccountsAuthenticator: Authenticator = {
  async fromHttp(c) {
    const auth = c.headers.authorization;
    if (auth || c.headers['x-bourse-key']) {
      throw new AppError('unauthenticated', 'No accounts exist yet: credentials cannot be checked');
    }
    return ANONYMOUS;
  },
  async fromToken(token) {
    if (token) throw new AppError('unauthenticated', 'No accounts exist yet');
    return ANONYMOUS;
  },
};
