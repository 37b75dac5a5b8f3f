import { BrokerError, type BrokerErrorKind } from '../broker/errors';

export const VENUE = 'kraken';

/**
 * Every error string Kraken documents for Spot REST (notes §1.9), with the Bourse kind it
 * means and what the user is told. `null` kind = depends on whether the call changes state
 * (an internal error or an outage on AddOrder may have placed the order).
 */
export const KRAKEN_ERRORS: ReadonlyArray<readonly [string, BrokerErrorKind | null, string]> = [
  ['EAPI:Invalid key', 'auth', 'the API key was refused (missing, mistyped or revoked)'],
  ['EAPI:Invalid signature', 'auth', 'the signature was refused: check the API secret'],
  [
    'EAPI:Invalid nonce',
    'auth',
    'the nonce was refused: another program may be using this key, or it was once used with larger nonces (use a dedicated key, or give it a nonce window)',
  ],
  ['EAPI:Rate limit exceeded', 'rate_limited', 'the REST call counter is full'],
  [
    'EGeneral:Temporary lockout',
    'auth',
    'Kraken locked the key out for about 15 minutes after repeated refused calls',
  ],
  ['EGeneral:Permission denied', 'permission', 'the API key lacks the permission for this call'],
  ['EGeneral:Invalid arguments', 'invalid', 'Kraken refused the request parameters'],
  ['EGeneral:Internal error', null, 'Kraken reported an internal error'],
  ['EQuery:Unknown asset pair', 'invalid', 'unknown pair'],
  ['EQuery:Unknown asset', 'invalid', 'unknown asset'],
  ['EOrder:Insufficient funds', 'rejected', 'insufficient funds'],
  ['EOrder:Order minimum not met', 'rejected', 'the quantity is below the pair minimum'],
  ['EOrder:Cost minimum not met', 'rejected', 'the order value is below the pair minimum'],
  ['EOrder:Tick size check failed', 'rejected', 'the price is not a multiple of the tick size'],
  ['EOrder:Invalid price', 'rejected', 'the price was refused'],
  [
    'EOrder:Rate limit exceeded',
    'rate_limited',
    'the trading-engine counter for this pair is full',
  ],
  ['EOrder:Domain rate limit exceeded', 'rate_limited', 'the trading-engine domain limit was hit'],
  ['EOrder:Orders limit exceeded', 'rejected', 'too many open orders'],
  ['EOrder:Scheduled orders limit exceeded', 'rejected', 'too many scheduled orders'],
  ['EOrder:Positions limit exceeded', 'rejected', 'too many open positions'],
  ['EOrder:Margin allowance exceeded', 'rejected', 'margin allowance exceeded'],
  ['EOrder:Margin level too low', 'rejected', 'margin level too low'],
  ['EOrder:Margin position size exceeded', 'rejected', 'margin position size exceeded'],
  ['EOrder:Insufficient margin', 'rejected', 'insufficient margin'],
  ['EOrder:Reduce only:No position exists', 'rejected', 'reduce-only order without a position'],
  ['EOrder:Unknown order', 'invalid', 'unknown or already closed order'],
  ['EService:Unavailable', null, 'Kraken is unavailable'],
  ['EService:Busy', null, 'Kraken is busy'],
  ['EService:Market in cancel_only mode', 'rejected', 'the market only accepts cancels now'],
  ['EService:Market in post_only mode', 'rejected', 'the market only accepts post-only orders'],
  ['EService:Deadline elapsed', 'rejected', 'the order deadline passed before Kraken took it'],
];

const THROTTLED = /^EService:\s*Throttled:\s*(\d+)/;

/**
 * The BrokerError for a Kraken `error` array (warnings, `W…`, are skipped). `mutating` says
 * whether the call may have changed state: an internal error or outage on AddOrder/CancelOrder
 * is an unknown outcome, on a read it is plain unavailability.
 */
export function krakenError(
  errors: readonly string[],
  mutating: boolean,
  now: number,
): BrokerError | null {
  const first = errors.find((e) => e.startsWith('E'));
  if (first === undefined) return null;
  const throttled = THROTTLED.exec(first);
  if (throttled) {
    const retryAfter = Math.max(0, Number(throttled[1]) * 1000 - now);
    return new BrokerError(
      'rate_limited',
      VENUE,
      'too many concurrent requests',
      first,
      retryAfter,
    );
  }
  // Longest prefix wins (`EQuery:Unknown asset pair` before `EQuery:Unknown asset`); Kraken
  // appends details after another colon (`EGeneral:Invalid arguments:volume`).
  const hit = KRAKEN_ERRORS.filter(([s]) => first === s || first.startsWith(`${s}:`)).sort(
    (a, b) => b[0].length - a[0].length,
  )[0];
  if (!hit) {
    return new BrokerError(
      mutating ? 'rejected' : 'invalid',
      VENUE,
      'Kraken refused the call',
      first,
    );
  }
  const kind = hit[1] ?? (mutating ? 'unknown_outcome' : 'unavailable');
  const message =
    kind === 'unknown_outcome' ? `${hit[2]}; the request may have been acted on` : hit[2];
  return new BrokerError(kind, VENUE, message, first);
}
