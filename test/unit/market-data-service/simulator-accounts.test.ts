import { describe, expect, it } from 'vitest';
import {
  isSimulatorOwner,
  isSystemOwner,
  isValidUserId,
  mayGoNegative,
  mayTrade,
  simulatorFundingEntry,
} from '../../../src-main/domain/ledger';

describe('simulator accounts in the ledger', () => {
  it('are system owners that may trade but never go negative', () => {
    const mm = 'system:sim:mm:BTC/USDT';
    expect(isSimulatorOwner(mm)).toBe(true);
    expect(isSystemOwner(mm)).toBe(true);
    expect(isValidUserId(mm)).toBe(false);
    expect(mayTrade(mm)).toBe(true);
    expect(mayTrade('alice')).toBe(true);
    expect(mayTrade('system:fees')).toBe(false);
    expect(isSimulatorOwner('system:sim:')).toBe(false);
    expect(isSimulatorOwner('system:sim:a|b')).toBe(false);
    expect(mayGoNegative({ owner: mm, asset: 'BTC', purpose: 'available' })).toBe(false);
  });

  it('are funded from system:external only through the simulator entry', () => {
    const ok = simulatorFundingEntry({
      refId: 'r',
      owner: 'system:sim:taker:ETH/USDT',
      asset: 'USDT',
      amount: 5n,
      direction: 'credit',
      reason: 'working balance',
    });
    expect(ok.ok && ok.value.postings.map((p) => [p.account.owner, p.amount])).toEqual([
      ['system:sim:taker:ETH/USDT', 5n],
      ['system:external', -5n],
    ]);
    const user = simulatorFundingEntry({
      refId: 'r',
      owner: 'alice',
      asset: 'USDT',
      amount: 5n,
      direction: 'credit',
      reason: 'x',
    });
    expect(user).toMatchObject({ ok: false, error: { code: 'invalid_user' } });
  });
});
