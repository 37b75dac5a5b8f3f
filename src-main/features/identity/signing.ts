import crypto from 'node:crypto';
import { AppError } from '../../../src-shared/contract';

/** Headers of a signed request. */
export const SIGNING_HEADERS = {
  key: 'x-bourse-key',
  timestamp: 'x-bourse-timestamp',
  signature: 'x-bourse-signature',
  recvWindow: 'x-bourse-recv-window',
} as const;

export const DEFAULT_RECV_WINDOW_MS = 5_000;
export const MAX_RECV_WINDOW_MS = 60_000;
/** Clocks drift; a timestamp up to this far in the future is tolerated. */
export const MAX_FUTURE_MS = 1_000;

type Query = Record<string, string | string[] | undefined>;

/** `k=v` pairs sorted by key then value, RFC 3986 encoded, joined with `&`. */
export function canonicalQuery(query: Query): string {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) pairs.push([k, one]);
  }
  const enc = (s: string) =>
    encodeURIComponent(s).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  return pairs
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
}

/**
 * What a client signs, one field a line:
 * `BOURSE-ED25519-V1`, key id, timestamp (ms), recv window (or empty), METHOD, path (with
 * /api/v1, without query), canonical query, hex SHA-256 of the raw body.
 */
export function canonicalString(p: {
  keyId: string;
  timestamp: string;
  recvWindow: string;
  method: string;
  path: string;
  query: Query;
  rawBody: string;
}): string {
  return [
    'BOURSE-ED25519-V1',
    p.keyId,
    p.timestamp,
    p.recvWindow,
    p.method.toUpperCase(),
    p.path,
    canonicalQuery(p.query),
    crypto.createHash('sha256').update(p.rawBody).digest('hex'),
  ].join('\n');
}

/**
 * The request a signature came with, when the signature does not cover it (Binance's covers
 * the parameters, not the method or path): its endpoint, and whether it only reads.
 */
export interface SignatureUse {
  endpoint: string;
  readOnly: boolean;
}

/**
 * Signatures seen recently: the same signed request is accepted once. A signature that does
 * not cover the endpoint (`use` given) may also serve other read-only endpoints, once each:
 * a Binance client sending the same parameters to two of them in one millisecond signs the
 * same bytes twice. It never serves a change: not once it has been seen anywhere, and nothing
 * after it was used for one — so a captured read cannot be replayed as a cancel.
 */
export class ReplayCache {
  /** `uses` null: spent (used for a change, or by a request whose signature covers it all). */
  private readonly seen = new Map<string, { expiresAt: number; uses: Set<string> | null }>();

  /** False if `id` was already seen (for this use) and has not expired. */
  remember(id: string, expiresAt: number, now: number, use?: SignatureUse): boolean {
    if (this.seen.size > 50_000) {
      for (const [k, v] of this.seen) if (v.expiresAt <= now) this.seen.delete(k);
    }
    const prev = this.seen.get(id);
    if (prev !== undefined && prev.expiresAt > now) {
      if (!use?.readOnly || prev.uses === null || prev.uses.has(use.endpoint)) return false;
      prev.uses.add(use.endpoint);
      return true;
    }
    this.seen.set(id, { expiresAt, uses: use?.readOnly ? new Set([use.endpoint]) : null });
    return true;
  }
}

const header = (h: Record<string, string | string[] | undefined>, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

export interface SignedParts {
  keyId: string;
  timestamp: number;
  recvWindow: number;
  signature: Buffer;
  canonical: string;
}

const reject = (code: string, message: string, status = 401) =>
  new AppError(code, message, undefined, status);

/** Reads and checks the signing headers and the clock; the key check comes after. */
export function readSignedRequest(
  c: {
    method: string;
    path: string;
    query: Query;
    headers: Record<string, string | string[] | undefined>;
    rawBody: string;
  },
  now: number,
): SignedParts {
  const keyId = header(c.headers, SIGNING_HEADERS.key) ?? '';
  const ts = header(c.headers, SIGNING_HEADERS.timestamp) ?? '';
  const sig = header(c.headers, SIGNING_HEADERS.signature) ?? '';
  const rw = header(c.headers, SIGNING_HEADERS.recvWindow) ?? '';
  if (!keyId || !/^[0-9]{10,16}$/.test(ts) || !sig) {
    throw reject(
      'invalid_signature',
      'Signed requests need X-Bourse-Key, X-Bourse-Timestamp (ms) and X-Bourse-Signature',
    );
  }
  const recvWindow = rw === '' ? DEFAULT_RECV_WINDOW_MS : Number(rw);
  if (!Number.isInteger(recvWindow) || recvWindow < 1 || recvWindow > MAX_RECV_WINDOW_MS) {
    throw reject('invalid_signature', `X-Bourse-Recv-Window must be 1..${MAX_RECV_WINDOW_MS} ms`);
  }
  const timestamp = Number(ts);
  if (timestamp - now > MAX_FUTURE_MS) {
    throw reject('timestamp_in_future', 'The request timestamp is in the future: check your clock');
  }
  if (now - timestamp > recvWindow) {
    throw reject('timestamp_expired', `The request is older than its ${recvWindow} ms window`);
  }
  const canonical = canonicalString({ ...c, keyId, timestamp: ts, recvWindow: rw });
  return { keyId, timestamp, recvWindow, signature: Buffer.from(sig, 'base64'), canonical };
}

export function verifyEd25519(
  key: crypto.KeyObject,
  message: string | Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== 64) return false;
  try {
    return crypto.verify(
      null,
      typeof message === 'string' ? Buffer.from(message) : message,
      key,
      signature,
    );
  } catch {
    return false;
  }
}

/** Signs like a client would (tests and examples). */
export function signCanonical(privateKey: crypto.KeyObject, canonical: string): string {
  return crypto.sign(null, Buffer.from(canonical), privateKey).toString('base64');
}
