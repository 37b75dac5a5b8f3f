/**
 * One error shape for every door. HTTP turns it into application/problem+json; IPC and
 * WebSocket send it as is. `code` is the stable machine name; `message` is for people.
 */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Stable error codes with their HTTP status. Add codes here, never rename them. */
export const ERROR_STATUS = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  unknown_operation: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_attempts: 429,
  /** A client address (or the server) holds as many open WebSocket connections as allowed. */
  too_many_connections: 429,
  two_factor_required: 403,
  secrets_unavailable: 503,
  /** The encrypted secret store waits for its passphrase (`secrets.unlock`). */
  secrets_locked: 423,
  wrong_passphrase: 403,
  passphrase_too_weak: 400,
  secrets_corrupt: 503,
  internal: 500,
  unavailable: 503,
  alert_unreadable: 400,
  webhook_token_invalid: 401,
  source_not_allowed: 403,
  demo_funds_disabled: 403,
  risk_rejected: 422,
  unknown_symbol: 400,
  /** An alert in lots (PineConnector) on a market with no lot Bourse knows. */
  lot_size_unknown: 422,
  pip_size_unknown: 422,
  /** unify.v1 `intent.broker` is not the venue of the token's account. */
  broker_mismatch: 422,
  quantity_missing: 400,
  account_disabled: 409,
  invalid_risk_settings: 400,
  calendar_unreadable: 400,
  unknown_account: 404,
  unknown_venue: 400,
  positions_open: 409,
  no_position: 404,
  insufficient_margin: 422,
  no_price: 409,
  currency_mismatch: 400,
  invalid_bracket: 400,
  invalid_paper_config: 400,
  unsupported_order_type: 400,
  /** The venue has no such capability over its API (e.g. price history). */
  unsupported_by_venue: 400,
  dataset_invalid: 400,
  strategy_invalid: 400,
  source_unavailable: 503,
  session_required: 403,
  role_hierarchy: 403,
  owner_banned: 403,
  unknown_user: 404,
  /** Broker connectors (src-main/connectors/broker/errors.ts says when each is used). */
  broker_auth_failed: 401,
  broker_permission_denied: 403,
  broker_rejected: 422,
  broker_invalid_request: 400,
  broker_rate_limited: 429,
  broker_unavailable: 503,
  broker_outcome_unknown: 504,
  /** A key that can withdraw was offered for a trade-only account. */
  broker_key_too_powerful: 400,
  /** A MetaTrader command waited past its expiry without the EA taking it. */
  bridge_command_expired: 504,
  /** Withdrawals of the asset are switched off by an admin. */
  withdrawals_disabled: 403,
  /** The asset has no chain, or its chain no RPC URL or hot wallet. */
  funding_unavailable: 503,
  address_invalid: 400,
  address_checksum: 400,
  address_cooling_off: 409,
  below_minimum: 400,
  invalid_state: 409,
  invalid_key: 400,
  ip_not_allowed: 403,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS | (string & {});

/** Status for a code; feature codes default to 400 (the caller asked for something refused). */
export function statusForCode(code: string): number {
  return (ERROR_STATUS as Record<string, number>)[code] ?? 400;
}

/**
 * The error services throw. `status` may override the code's default (e.g. a feature code that
 * means "conflict"). Anything that is not an AppError is reported as `internal` without its text.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, status?: number) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.status = status ?? statusForCode(code);
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** True for values shaped like an ErrorBody (for clients that receive errors over a wire). */
export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}
