import { AppError } from '../../../src-shared/contract';

/**
 * How a broker call failed, which decides what Bourse may do next:
 * - `auth`: credentials refused (do not retry; tell the user);
 * - `permission`: the key may not do this;
 * - `rejected`: the broker refused the order (a business answer; never retried);
 * - `invalid`: our request was malformed or the instrument/order is unknown;
 * - `rate_limited`: slow down (`retryAfterMs` when the broker said);
 * - `unavailable`: the request did not reach the broker or it answered 5xx before acting;
 * - `unknown_outcome`: the request may have reached the broker (timeout, dropped connection
 *   after sending): resolve by client order id before anything is retried.
 */
export type BrokerErrorKind =
  | 'auth'
  | 'permission'
  | 'rejected'
  | 'invalid'
  | 'rate_limited'
  | 'unavailable'
  | 'unknown_outcome';

const CODES: Record<BrokerErrorKind, string> = {
  auth: 'broker_auth_failed',
  permission: 'broker_permission_denied',
  rejected: 'broker_rejected',
  invalid: 'broker_invalid_request',
  rate_limited: 'broker_rate_limited',
  unavailable: 'broker_unavailable',
  unknown_outcome: 'broker_outcome_unknown',
};

export class BrokerError extends AppError {
  constructor(
    readonly kind: BrokerErrorKind,
    readonly venue: string,
    message: string,
    /** The broker's own error text or code, for the log and the user. */
    readonly brokerMessage?: string,
    readonly retryAfterMs?: number,
    /** The request field at fault, when Bourse refused it before sending (a form shows it there). */
    field?: string,
  ) {
    super(CODES[kind], `${venue}: ${message}`, {
      venue,
      kind,
      ...(brokerMessage !== undefined ? { brokerMessage } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(field !== undefined ? { field } : {}),
    });
  }
}

export const isBrokerError = (e: unknown, kind?: BrokerErrorKind): e is BrokerError =>
  e instanceof BrokerError && (kind === undefined || e.kind === kind);

/** Kinds that a caller may retry after a pause (the broker did not act on the request). */
export const RETRYABLE: ReadonlySet<BrokerErrorKind> = new Set(['rate_limited', 'unavailable']);
