import { AppError } from '../../../src-shared/contract';
import { WEBHOOK_MAX_BYTES } from '../../../src-shared/contract/automation';
import type { DatabaseHandle } from '../../db/database';
import { maskSecrets } from '../../domain/automation';
import type { Logger } from '../../observability/logger';
import type { WebhookRefusals } from './refusals';
import { addressKey, type WebhookLimiter } from './webhook-limiter';

/** What admission needs to know of a delivery. */
export interface Delivery {
  route: string;
  rawBody: string;
  peerIp?: string;
  /** `req.ip`: the client address as the HTTP layer's trusted-proxy setting sees it. */
  clientIp?: string;
}

export interface AdmissionDeps {
  store: DatabaseHandle;
  limiter: WebhookLimiter;
  refusals: WebhookRefusals;
  log: Logger;
  now: () => number;
  /** Counts a delivery that was not logged or not served (a metric), by reason. */
  onRefused?: (reason: string) => void;
}

/**
 * What the receiver lets in and what it keeps of deliveries nobody owns: the rate limit
 * (per verified account, else per client address) is checked before anything is stored, and
 * a delivery to no known token is counted per address and hour, its body dropped. Storing
 * those let anyone who could reach the port fill the disk, and no user could ever see them.
 */
export class WebhookAdmission {
  constructor(private readonly d: AdmissionDeps) {}

  /**
   * Null when admitted. Otherwise the 429 to answer, and `log`: true for a verified
   * account's first refusal of the window (its owner should see it; the rest only count).
   */
  limit(a: Delivery, accountId: string | null): { error: AppError; log: boolean } | null {
    // Internal callers (test alerts, bots) are not webhook traffic: no delivery rate limit.
    if (a.route === 'test' || a.route === 'bot') return null;
    const v = accountId
      ? this.d.limiter.admitToken(accountId)
      : this.d.limiter.admitAddress(a.clientIp ?? a.peerIp);
    if (v.allowed) return null;
    this.d.onRefused?.(accountId ? 'rate_limited_token' : 'rate_limited_address');
    const error = new AppError(
      'rate_limited',
      `Too many webhook deliveries: try again in ${Math.ceil(v.retryAfterMs / 1000)} s`,
      { retryAfterMs: v.retryAfterMs },
      429,
    );
    return { error, log: accountId !== null && v.firstRefusal };
  }

  /** Counts a refused delivery that no account owns (`tried`: the token it carried). */
  countUnowned(a: Delivery, e: AppError, tried?: string): void {
    try {
      this.d.store.write('automation.refusal', () =>
        this.d.refusals.record({
          now: this.d.now(),
          address: addressKey(a.clientIp ?? a.peerIp),
          code: e.code,
          bytes: Buffer.byteLength(a.rawBody, 'utf8'),
          ...(tried ? { token: tried } : {}),
        }),
      );
    } catch (error) {
      this.d.log.warn({ err: error }, 'webhook refusal not counted');
    }
    this.d.onRefused?.(e.code);
  }
}

/**
 * What the log keeps of a body: whole UTF-8 characters within `WEBHOOK_MAX_BYTES` (a cut by
 * characters could keep four times that), secrets masked.
 */
export function storedBody(raw: string, secrets: readonly string[]): string {
  // Masked first, so a secret cut in half by the bound cannot leave its head behind.
  const masked = maskSecrets(raw, secrets);
  const bytes = Buffer.from(masked, 'utf8');
  if (bytes.length <= WEBHOOK_MAX_BYTES) return masked;
  let end = WEBHOOK_MAX_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // not inside a character
  return bytes.subarray(0, end).toString('utf8');
}
