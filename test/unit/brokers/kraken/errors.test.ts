import { describe, expect, it } from 'vitest';
import { KRAKEN_ERRORS, krakenError } from '../../../../src-main/connectors/kraken/errors';

/** Each documented string (notes §1.9) → [kind on a read, kind on a mutating call]. */
const TABLE: [string, string, string][] = [
  ['EAPI:Invalid key', 'auth', 'auth'],
  ['EAPI:Invalid signature', 'auth', 'auth'],
  ['EAPI:Invalid nonce', 'auth', 'auth'],
  ['EAPI:Rate limit exceeded', 'rate_limited', 'rate_limited'],
  ['EGeneral:Temporary lockout', 'auth', 'auth'],
  ['EGeneral:Permission denied', 'permission', 'permission'],
  ['EGeneral:Invalid arguments', 'invalid', 'invalid'],
  ['EGeneral:Invalid arguments:volume', 'invalid', 'invalid'],
  ['EGeneral:Invalid arguments:Index unavailable', 'invalid', 'invalid'],
  ['EGeneral:Internal error', 'unavailable', 'unknown_outcome'],
  ['EQuery:Unknown asset pair', 'invalid', 'invalid'],
  ['EQuery:Unknown asset', 'invalid', 'invalid'],
  ['EOrder:Insufficient funds', 'rejected', 'rejected'],
  ['EOrder:Order minimum not met', 'rejected', 'rejected'],
  ['EOrder:Cost minimum not met', 'rejected', 'rejected'],
  ['EOrder:Tick size check failed', 'rejected', 'rejected'],
  ['EOrder:Invalid price', 'rejected', 'rejected'],
  ['EOrder:Rate limit exceeded', 'rate_limited', 'rate_limited'],
  ['EOrder:Domain rate limit exceeded', 'rate_limited', 'rate_limited'],
  ['EOrder:Orders limit exceeded', 'rejected', 'rejected'],
  ['EOrder:Scheduled orders limit exceeded', 'rejected', 'rejected'],
  ['EOrder:Positions limit exceeded', 'rejected', 'rejected'],
  ['EOrder:Margin allowance exceeded', 'rejected', 'rejected'],
  ['EOrder:Margin level too low', 'rejected', 'rejected'],
  ['EOrder:Margin position size exceeded', 'rejected', 'rejected'],
  ['EOrder:Insufficient margin', 'rejected', 'rejected'],
  ['EOrder:Reduce only:No position exists', 'rejected', 'rejected'],
  ['EOrder:Unknown order', 'invalid', 'invalid'],
  ['EService:Unavailable', 'unavailable', 'unknown_outcome'],
  ['EService:Busy', 'unavailable', 'unknown_outcome'],
  ['EService:Market in cancel_only mode', 'rejected', 'rejected'],
  ['EService:Market in post_only mode', 'rejected', 'rejected'],
  ['EService:Deadline elapsed', 'rejected', 'rejected'],
];

describe('Kraken error strings → BrokerError kinds', () => {
  it.each(TABLE)('%s → %s (read), %s (mutating)', (text, read, mutating) => {
    expect(krakenError([text], false, 0)?.kind).toBe(read);
    expect(krakenError([text], true, 0)?.kind).toBe(mutating);
    expect(krakenError([text], true, 0)?.brokerMessage).toBe(text);
  });

  it('covers every string the connector knows, and nothing is left untested', () => {
    const tested = new Set(TABLE.map((r) => r[0]));
    for (const [s] of KRAKEN_ERRORS) expect(tested).toContain(s);
  });

  it('reads `EService: Throttled: <ts>` as rate_limited until that time', () => {
    const e = krakenError(['EService: Throttled: 1700000030'], true, 1_700_000_000_000);
    expect(e?.kind).toBe('rate_limited');
    expect(e?.retryAfterMs).toBe(30_000);
    expect(e?.code).toBe('broker_rate_limited');
  });

  it('skips warnings and answers null when there is no error', () => {
    expect(krakenError([], false, 0)).toBeNull();
    expect(krakenError(['WGeneral:Danger'], false, 0)).toBeNull();
    expect(krakenError(['WGeneral:Danger', 'EOrder:Insufficient funds'], true, 0)?.kind).toBe(
      'rejected',
    );
  });

  it('keeps an undocumented string for the user, as a refusal', () => {
    const e = krakenError(['EFunding:Something new'], true, 0);
    expect(e?.kind).toBe('rejected');
    expect(e?.brokerMessage).toBe('EFunding:Something new');
    expect(krakenError(['EFunding:Something new'], false, 0)?.kind).toBe('invalid');
  });
});
