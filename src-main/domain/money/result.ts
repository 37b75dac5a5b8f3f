/**
 * The pure domain reports refusals as values, not exceptions: a service decides whether a
 * refusal becomes an `AppError` (same `code`/`message`/`details` shape as the contract's
 * `ErrorBody`), and property tests can assert on codes without try/catch.
 */
export interface DomainError {
  /** Stable machine name, e.g. `too_many_decimals`, `insufficient_funds`. */
  code: string;
  /** Human explanation; safe to show (contains no secrets). */
  message: string;
  /** Structured facts (field, account, amounts as decimal strings of minor units). */
  details?: Record<string, unknown>;
}

/** Success with a value or a refusal with a `DomainError`. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

/** Wraps a success. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps a refusal. */
export function err<T = never>(
  code: string,
  message: string,
  details?: Record<string, unknown>,
): Result<T> {
  return {
    ok: false,
    error: details === undefined ? { code, message } : { code, message, details },
  };
}

/** Returns the value or throws: for tests and for data known valid at build time. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new Error(`${result.error.code}: ${result.error.message}`);
}
