/**
 * Exponential backoff with full jitter (a uniformly random wait up to the exponential cap), so
 * many accounts hitting one broker's limit do not retry in lockstep. A broker's own
 * Retry-After (or Kraken's `Throttled: <ts>`) wins when it is longer.
 */
export function backoffDelay(
  attempt: number,
  opts: { baseMs?: number; maxMs?: number; random?: () => number; atLeastMs?: number } = {},
): number {
  const base = opts.baseMs ?? 250;
  const max = opts.maxMs ?? 30_000;
  const cap = Math.min(max, base * 2 ** Math.max(0, attempt));
  const jittered = Math.floor((opts.random ?? Math.random)() * cap);
  return Math.max(jittered, opts.atLeastMs ?? 0);
}

/** Milliseconds from an HTTP Retry-After header (seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  if (Number.isFinite(s) && s >= 0) return Math.ceil(s * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
