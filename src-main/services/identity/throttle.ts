import { AppError } from '../../../src-shared/contract';

interface Counter {
  failures: number;
  lockedUntil: number;
  windowStart: number;
}

export interface ThrottlePolicy {
  /** Failures allowed inside `windowMs` before a lock. */
  limit: number;
  windowMs: number;
  /** First lock; each further lock doubles, up to `maxLockMs`. */
  lockMs: number;
  maxLockMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  limit: 5,
  windowMs: 15 * 60_000,
  lockMs: 60_000,
  maxLockMs: 60 * 60_000,
};
export const ADDRESS_POLICY: ThrottlePolicy = {
  limit: 30,
  windowMs: 15 * 60_000,
  lockMs: 5 * 60_000,
  maxLockMs: 60 * 60_000,
};

/**
 * Failed-attempt counters kept in memory (a restart forgets them; argon2's cost still
 * bounds guessing). Keys are e.g. `login:acct:<email>` and `login:ip:<address>`; accounts
 * that do not exist are counted the same way so the answers do not tell them apart.
 */
export class Throttle {
  private readonly counters = new Map<string, Counter & { locks: number }>();

  constructor(private readonly now: () => number) {}

  /** Throws too_many_attempts while any of the keys is locked. */
  check(keys: Array<[string, ThrottlePolicy]>): void {
    const t = this.now();
    let until = 0;
    for (const [key] of keys) {
      const c = this.counters.get(key);
      if (c && c.lockedUntil > t) until = Math.max(until, c.lockedUntil);
    }
    if (until > 0) {
      const retryAt = new Date(until).toISOString();
      throw new AppError(
        'too_many_attempts',
        `Too many failed attempts. Try again at ${retryAt}.`,
        { retryAt },
        429,
      );
    }
  }

  fail(keys: Array<[string, ThrottlePolicy]>): void {
    const t = this.now();
    for (const [key, policy] of keys) {
      let c = this.counters.get(key);
      if (!c || t - c.windowStart > policy.windowMs) {
        c = { failures: 0, lockedUntil: 0, windowStart: t, locks: c?.locks ?? 0 };
        this.counters.set(key, c);
      }
      c.failures++;
      if (c.failures >= policy.limit) {
        const lock = Math.min(policy.maxLockMs, policy.lockMs * 2 ** c.locks);
        c.lockedUntil = t + lock;
        c.locks++;
        c.failures = 0;
        c.windowStart = t;
      }
    }
    if (this.counters.size > 100_000) this.prune(t);
  }

  /** A success clears the account's counter (not the address's). */
  clear(key: string): void {
    this.counters.delete(key);
  }

  private prune(t: number): void {
    for (const [key, c] of this.counters) {
      if (c.lockedUntil < t && t - c.windowStart > ADDRESS_POLICY.windowMs)
        this.counters.delete(key);
    }
  }
}
