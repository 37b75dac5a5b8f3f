import { createHash, createHmac } from 'node:crypto';

/**
 * Kraken's private-call signature (docs.kraken.com spot-rest-auth, notes §1.3):
 * `API-Sign = base64(HMAC-SHA512(base64decode(secret), path ‖ SHA256(nonce ‖ body)))`, where
 * the SHA-256 is the raw 32 bytes (hex-encoding it is the classic mistake) and `path` starts at
 * `/0/private`. The body already holds `nonce=…`, so the nonce appears twice.
 */
export function krakenSignature(
  path: string,
  nonce: string,
  body: string,
  secretBase64: string,
): string {
  const inner = createHash('sha256')
    .update(nonce + body, 'utf8')
    .digest();
  return createHmac('sha512', Buffer.from(secretBase64, 'base64'))
    .update(Buffer.concat([Buffer.from(path, 'utf8'), inner]))
    .digest('base64');
}

/**
 * Strictly increasing nonces for one API key: microseconds from the clock, or the last nonce
 * plus one when the clock has not moved (or went back). Kraken keeps one counter per key and
 * refuses any nonce not above the last one it accepted, so two calls in the same millisecond
 * must still differ. Allocation alone is not enough for concurrent calls (they may arrive out
 * of order), which is why the REST client also sends private calls one at a time.
 */
export class NonceSource {
  private last = 0n;

  constructor(private readonly now: () => number) {}

  next(): string {
    const fromClock = BigInt(Math.floor(this.now())) * 1000n;
    this.last = fromClock > this.last ? fromClock : this.last + 1n;
    return this.last.toString();
  }
}
