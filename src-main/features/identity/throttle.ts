import { AppError } from '../../../src-shared/contract';

interface Counter {
  /** Attempts that failed inside the current window. */
  failures: number;
  /** Attempts reserved and not yet settled (their check is still running). */
  pending: number;
  windowStart: number;
  windowMs: number;
  lockedUntil: number;
  /** Locks so far: each further lock doubles. */
  locks: number;
}

export interface ThrottlePolicy {
  /** Attempts (failed or still running) allowed inside `windowMs` before a lock. */
  limit: number;
  windowMs: number;
  /** First lock; each further lock doubles, up to `maxLockMs`. */
  lockMs: number;
  maxLockMs: number;
}

/** Keys of one attempt: the account's first, then the client address's. */
export type ThrottleKeys = Array<[string, ThrottlePolicy]>;

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
 * When the gate is full of attempts still being checked, the client is told to come back
 * shortly: by then they have failed (and the lock says how long) or one has succeeded.
 */
export const BUSY_RETRY_MS = 1_000;

/**
 * One reserved attempt. Exactly one of `fail`, `succeed` or `release` settles it; later calls
 * do nothing, so a `finally { release() }` is always safe.
 */
export interface ThrottleAttempt {
  /** The secret was wrong: the attempt stays counted and may start a lock. */
  fail(): void;
  /** The secret was right: frees the slot and clears the account's failures and lock. */
  succeed(): void;
  /** No answer about the secret was given (an unrelated error): frees the slot. */
  release(): void;
}

/**
 * Attempt counters kept in memory (a restart forgets them; argon2's cost still bounds
 * guessing). Keys are e.g. `login:acct:<email>` and `login:ip:<address>`; accounts that do
 * not exist are counted the same way so the answers do not tell them apart.
 *
 * An attempt is counted when it is reserved, synchronously and before the expensive check
 * (argon2, TOTP) runs: attempts still running count against the limit as if they had failed,
 * so a burst of parallel guesses cannot all pass the gate before the first failure is known.
 */
export class Throttle {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly now: () => number) {}

  /**
   * Counts an attempt under every key, or throws `too_many_attempts` (counting nothing)
   * while any key is locked or has as many attempts running and failed as its limit.
   */
  reserve(keys: ThrottleKeys): ThrottleAttempt {
    const t = this.now();
    const counters = keys.map(([key, policy]) => this.counter(key, policy, t));
    let until = 0;
    counters.forEach((c, i) => {
      if (c.lockedUntil > t) until = Math.max(until, c.lockedUntil);
      else if (c.failures + c.pending >= keys[i]![1].limit)
        until = Math.max(until, t + BUSY_RETRY_MS);
    });
    if (until > 0) throw tooManyAttempts(until);
    for (const c of counters) c.pending++;
    if (this.counters.size > 100_000) this.prune(t);
    return this.attempt(keys, counters);
  }

  private attempt(keys: ThrottleKeys, counters: Counter[]): ThrottleAttempt {
    let settled = false;
    const settle = (then: () => void) => {
      if (settled) return;
      settled = true;
      for (const c of counters) c.pending--;
      then();
    };
    return {
      fail: () => settle(() => counters.forEach((c, i) => this.failed(c, keys[i]![1]))),
      succeed: () => settle(() => counters[0] && clearFailures(counters[0])),
      release: () => settle(() => undefined),
    };
  }

  private counter(key: string, policy: ThrottlePolicy, t: number): Counter {
    let c = this.counters.get(key);
    if (!c) {
      c = {
        failures: 0,
        pending: 0,
        windowStart: t,
        windowMs: policy.windowMs,
        lockedUntil: 0,
        locks: 0,
      };
      this.counters.set(key, c);
    } else if (t - c.windowStart > policy.windowMs) {
      c.failures = 0;
      c.windowStart = t;
    }
    return c;
  }

  private failed(c: Counter, policy: ThrottlePolicy): void {
    const t = this.now();
    if (t - c.windowStart > policy.windowMs) {
      c.failures = 0;
      c.windowStart = t;
    }
    c.failures++;
    if (c.failures < policy.limit) return;
    const lock = Math.min(policy.maxLockMs, policy.lockMs * 2 ** c.locks);
    c.lockedUntil = Math.max(c.lockedUntil, t + lock);
    c.locks++;
    c.failures = 0;
    c.windowStart = t;
  }

  private prune(t: number): void {
    for (const [key, c] of this.counters) {
      if (c.pending === 0 && c.lockedUntil < t && t - c.windowStart > c.windowMs)
        this.counters.delete(key);
    }
  }
}

function clearFailures(c: Counter): void {
  c.failures = 0;
  c.lockedUntil = 0;
  c.locks = 0;
}

function tooManyAttempts(until: number): AppError {
  const retryAt = new Date(until).toISOString();
  return new AppError(
    'too_many_attempts',
    `Too many failed attempts. Try again at ${retryAt}.`,
    { retryAt },
    429,
  );
}

/**
 * Runs `check` as one throttled attempt: reserved before it starts; a false answer is counted
 * as a failure and throws `wrong()`; a throw frees the slot (an error tells the caller nothing
 * about the secret); a true answer frees it too, and with `clear` resets the account's count.
 */
export async function throttledCheck(
  throttle: Throttle,
  keys: ThrottleKeys,
  check: () => Promise<boolean>,
  wrong: () => AppError,
  clear = false,
): Promise<void> {
  const attempt = throttle.reserve(keys);
  let ok: boolean;
  try {
    ok = await check();
  } catch (err) {
    attempt.release();
    throw err;
  }
  if (!ok) {
    attempt.fail();
    throw wrong();
  }
  if (clear) attempt.succeed();
  else attempt.release();
}
