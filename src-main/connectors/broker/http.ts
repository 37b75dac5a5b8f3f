import { BrokerError } from './errors';
import { retryAfterMs } from './backoff';

export interface BrokerResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One HTTP call to a broker with a deadline. Tells apart what matters for retries: a
 * connection that never opened (`unavailable`: the broker did nothing) from a timeout or a
 * connection dropped after the request was sent (`unknown_outcome`: it may have acted), and
 * maps 429 to `rate_limited` with the broker's Retry-After.
 */
export async function brokerFetch(
  venue: string,
  url: string,
  init: RequestInit & { timeoutMs?: number; now?: () => number },
  fetchImpl: typeof fetch = fetch,
): Promise<BrokerResponse> {
  const { timeoutMs = 10_000, now = Date.now, ...rest } = init;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await fetchImpl(url, { ...rest, signal: ctrl.signal });
    const text = await res.text();
    if (res.status === 429) {
      throw new BrokerError(
        'rate_limited',
        venue,
        'the broker asked Bourse to slow down (HTTP 429)',
        text.slice(0, 200),
        retryAfterMs(res.headers.get('retry-after'), now()),
      );
    }
    return { status: res.status, headers: res.headers, text };
  } catch (e) {
    if (e instanceof BrokerError) throw e;
    if (ctrl.signal.aborted) {
      throw new BrokerError(
        'unknown_outcome',
        venue,
        `no answer within ${timeoutMs} ms; the request may have reached the broker`,
      );
    }
    const code = (e as { cause?: { code?: string } }).cause?.code;
    // ECONNREFUSED/ENOTFOUND/EHOSTUNREACH: the request never left. A reset after sending may
    // have reached the broker, so it is an unknown outcome.
    const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH';
    throw new BrokerError(
      neverSent ? 'unavailable' : 'unknown_outcome',
      venue,
      neverSent
        ? `cannot reach the broker (${code})`
        : `the connection failed (${code ?? 'network error'})`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A 5xx answer. For reads the broker simply is unavailable; for a call that changes state
 * (place, amend, cancel) a gateway may have forwarded it before failing, so the outcome is
 * unknown and must be resolved by client order id before a retry.
 */
export function serverError(
  venue: string,
  status: number,
  text: string,
  mutating: boolean,
): BrokerError {
  return new BrokerError(
    mutating ? 'unknown_outcome' : 'unavailable',
    venue,
    `the broker answered HTTP ${status}`,
    text.slice(0, 200),
  );
}
