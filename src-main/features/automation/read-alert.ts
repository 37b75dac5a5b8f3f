import {
  AlertIntentSchema,
  AppError,
  WEBHOOK_MAX_BYTES,
  type AlertIntent,
} from '../../../src-shared/contract';
import { parseAlert } from '../../domain/automation';
import { lazyValidator } from '../../operations/validation';

/**
 * What an alert body said, read once at the door:
 * - `read`: the intent, valid against `AlertIntentSchema`, and the secret the body carried;
 * - `unreadable`: no format reads it (`alert_unreadable`, the reader's own words) or the intent
 *   it reads as fails the schema (`validation_failed`, with `details.fields` as on every door);
 *   `secret` is there only when the body was read far enough to find it;
 * - `too_large`: over `WEBHOOK_MAX_BYTES`, refused before any parsing.
 */
export type AlertReading =
  | { status: 'read'; intent: AlertIntent; secret?: string }
  | { status: 'unreadable'; error: AppError; secret?: string }
  | { status: 'too_large'; error: AppError };

const checkIntent = lazyValidator(AlertIntentSchema);

/** The refusal of a body over the cap (also the message the log keeps). */
export const alertTooLarge = () =>
  new AppError('payload_too_large', `The alert is larger than ${WEBHOOK_MAX_BYTES / 1024} KB`);

/**
 * Reads an alert body in any supported format (unify.v1 or TradersPost JSON, a PineConnector
 * line, KEY=VALUE lines) into one schema-validated intent. The byte cap comes first: a body over
 * it is never parsed. Pure apart from the validator: the pipeline decides what a refusal costs.
 */
export function readAlert(rawBody: string): AlertReading {
  if (Buffer.byteLength(rawBody, 'utf8') > WEBHOOK_MAX_BYTES) {
    return { status: 'too_large', error: alertTooLarge() };
  }
  const parsed = parseAlert(rawBody);
  if (!parsed.ok) {
    const { code, message, details } = parsed.error;
    return { status: 'unreadable', error: new AppError(code, message, details) };
  }
  const { intent, secret } = parsed.value;
  const withSecret = secret === undefined ? {} : { secret };
  try {
    checkIntent(intent);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: 'unreadable', error, ...withSecret };
  }
  return { status: 'read', intent, ...withSecret };
}
