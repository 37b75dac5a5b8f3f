import { BrokerError, type BrokerErrorKind } from '../broker/errors';
import { VENUE, type Envelope } from './protocol';

/**
 * How a `success:false` answer maps to Bourse's error kinds. ProjectX answers business
 * errors with HTTP 200 and an `errorCode` whose meaning depends on the endpoint.
 */

/** PlaceOrderErrorCode ([COM], "per Swagger"). */
const PLACE: Record<number, [BrokerErrorKind, string]> = {
  1: ['invalid', 'account not found'],
  2: ['rejected', 'order rejected'],
  3: ['rejected', 'insufficient funds'],
  4: ['rejected', 'account violation (a prop-firm rule stops trading)'],
  5: ['rejected', 'outside trading hours'],
  6: ['rejected', 'an order is pending'],
  // UnknownError on a place: the broker may or may not have acted.
  7: ['unknown_outcome', 'unknown error'],
  8: ['invalid', 'contract not found'],
  9: ['invalid', 'contract not active'],
  10: ['permission', 'account rejected'],
};

/** LoginErrorCode ([COM], "as per Swagger"). */
const LOGIN: Record<number, [BrokerErrorKind, string]> = {
  1: ['auth', 'user not found'],
  2: ['auth', 'password verification failed'],
  3: ['auth', 'invalid credentials'],
  4: ['auth', 'app not found'],
  5: ['auth', 'app verification failed'],
  6: ['auth', 'invalid device'],
  7: ['permission', 'agreements not signed'],
  8: ['unavailable', 'unknown error'],
  9: ['permission', 'no API subscription'],
  10: ['permission', 'API key authentication disabled'],
};

export type CallKind = 'login' | 'place' | 'mutate' | 'read';

/** The duplicate-customTag refusal (its wording is (unverified); matched loosely). */
export const isDuplicateTag = (message: string | null): boolean =>
  !!message && /tag/i.test(message) && /(unique|already|duplicate|exists)/i.test(message);

export function envelopeError(kind: CallKind, env: Envelope): BrokerError {
  const text = env.errorMessage ?? `errorCode ${env.errorCode}`;
  const brokerMessage = `${env.errorCode}: ${text}`;
  const table = kind === 'login' ? LOGIN : kind === 'place' ? PLACE : {};
  const known = table[env.errorCode];
  if (known) return new BrokerError(known[0], VENUE, known[1], brokerMessage);
  if (kind === 'login') return new BrokerError('auth', VENUE, 'login refused', brokerMessage);
  if (/not found|unknown order|does not exist/i.test(text)) {
    return new BrokerError('invalid', VENUE, 'not found', brokerMessage);
  }
  // Cancel/modify/close and read errors have no published code table: a refusal of a
  // change is `rejected` (e.g. "Cannot cancel order: already filled"), of a read `invalid`.
  return new BrokerError(
    kind === 'read' ? 'invalid' : 'rejected',
    VENUE,
    kind === 'read' ? 'the broker refused the request' : 'the broker refused the change',
    brokerMessage,
  );
}
