import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../src-main/domain/money';
import type { JournalEntry } from '../../../src-main/domain/ledger';
import {
  SYSTEM_CORRECTIONS,
  SYSTEM_EXTERNAL,
  SYSTEM_FEES,
  accountId,
  applyEntry,
  available,
  checkLedgerInvariants,
  correctionEntry,
  fundingEntry,
  held,
  heldMatchesReservations,
  isValidUserId,
  parseAccountId,
  validateEntry,
} from '../../../src-main/domain/ledger';

const credit = (userId: string, amount: bigint) =>
  unwrap(
    fundingEntry({
      refId: 'f1',
      userId,
      asset: 'USD',
      amount,
      direction: 'credit',
      reason: 'deposit',
    }),
  );

describe('accounts', () => {
  it('round-trips ids and reserves the system: space', () => {
    const key = held('alice', 'BTC');
    expect(accountId(key)).toBe('alice|BTC|held');
    expect(parseAccountId(accountId(key))).toEqual(key);
    expect(parseAccountId(accountId(available(SYSTEM_FEES, 'USDT')))).toEqual(
      available(SYSTEM_FEES, 'USDT'),
    );
    expect(isValidUserId('alice')).toBe(true);
    expect(isValidUserId('system:fees')).toBe(false);
    expect(isValidUserId('system:anything')).toBe(false);
    expect(isValidUserId('a|b')).toBe(false);
    expect(isValidUserId('')).toBe(false);
  });
});

describe('funding and corrections', () => {
  it('credits and debits against system:external, which may go negative', () => {
    let balances = unwrap(applyEntry(new Map(), credit('alice', 1000n)));
    expect(balances.get('alice|USD|available')).toBe(1000n);
    expect(balances.get(`${SYSTEM_EXTERNAL}|USD|available`)).toBe(-1000n);
    const debit = unwrap(
      fundingEntry({
        refId: 'f2',
        userId: 'alice',
        asset: 'USD',
        amount: 400n,
        direction: 'debit',
        reason: 'withdrawal',
      }),
    );
    balances = unwrap(applyEntry(balances, debit));
    expect(balances.get('alice|USD|available')).toBe(600n);
    const tooMuch = fundingEntry({
      refId: 'f3',
      userId: 'alice',
      asset: 'USD',
      amount: 601n,
      direction: 'debit',
      reason: 'x',
    });
    expect(applyEntry(balances, unwrap(tooMuch))).toMatchObject({
      ok: false,
      error: { code: 'insufficient_funds' },
    });
    expect(checkLedgerInvariants(balances)).toEqual([]);
  });

  it('refuses bad funding requests', () => {
    const base = {
      refId: 'f',
      userId: 'alice',
      asset: 'USD',
      amount: 1n,
      direction: 'credit' as const,
      reason: 'r',
    };
    expect(fundingEntry({ ...base, amount: 0n })).toMatchObject({
      ok: false,
      error: { code: 'invalid_amount' },
    });
    expect(fundingEntry({ ...base, reason: ' ' })).toMatchObject({
      ok: false,
      error: { code: 'reason_required' },
    });
    expect(fundingEntry({ ...base, userId: SYSTEM_FEES })).toMatchObject({
      ok: false,
      error: { code: 'invalid_user' },
    });
  });

  it('corrections post against system:corrections in either direction', () => {
    let balances = unwrap(applyEntry(new Map(), credit('bob', 50n)));
    const up = unwrap(
      correctionEntry({
        refId: 'c1',
        userId: 'bob',
        asset: 'USD',
        amount: 7n,
        reason: 'missed rebate',
      }),
    );
    const down = unwrap(
      correctionEntry({
        refId: 'c2',
        userId: 'bob',
        asset: 'USD',
        amount: -20n,
        reason: 'double credit',
      }),
    );
    balances = unwrap(applyEntry(unwrap(applyEntry(balances, up)), down));
    expect(balances.get('bob|USD|available')).toBe(37n);
    expect(balances.get(`${SYSTEM_CORRECTIONS}|USD|available`)).toBe(13n);
    expect(
      correctionEntry({ refId: 'c', userId: 'bob', asset: 'USD', amount: 0n, reason: 'r' }),
    ).toMatchObject({ ok: false });
  });
});

describe('entry validation', () => {
  const entry = (postings: JournalEntry['postings']): JournalEntry => ({
    kind: 'correction',
    refType: 'correction',
    refId: 'x',
    postings,
  });

  it('refuses empty, zero, mismatched and unbalanced entries', () => {
    expect(validateEntry(entry([]))).toMatchObject({ ok: false, error: { code: 'empty_entry' } });
    const a = available('a', 'USD');
    expect(validateEntry(entry([{ account: a, asset: 'USD', amount: 0n }]))).toMatchObject({
      ok: false,
      error: { code: 'invalid_posting' },
    });
    expect(
      validateEntry(
        entry([
          { account: a, asset: 'EUR', amount: 1n },
          { account: a, asset: 'USD', amount: -1n },
        ]),
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_posting' },
    });
    expect(
      validateEntry(
        entry([
          { account: a, asset: 'USD', amount: 2n },
          { account: available('b', 'USD'), asset: 'USD', amount: -1n },
        ]),
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'unbalanced_entry', details: { asset: 'USD', sum: '1' } },
    });
    // Assets interleaved: each is summed over all its postings, wherever they are.
    const b = available('b', 'BTC');
    const mixed = (btcBack: bigint) =>
      entry([
        { account: available('b', 'USD'), asset: 'USD', amount: 5n },
        { account: available('a', 'BTC'), asset: 'BTC', amount: 2n },
        { account: a, asset: 'USD', amount: -5n },
        { account: b, asset: 'BTC', amount: -btcBack },
      ]);
    expect(validateEntry(mixed(2n)).ok).toBe(true);
    expect(validateEntry(mixed(1n))).toMatchObject({
      ok: false,
      error: { code: 'unbalanced_entry', details: { asset: 'BTC', sum: '1' } },
    });
    expect(applyEntry(new Map(), entry([]))).toMatchObject({
      ok: false,
      error: { code: 'empty_entry' },
    });
  });

  it('the fee account may not go negative', () => {
    const refund = entry([
      { account: available(SYSTEM_FEES, 'USD'), asset: 'USD', amount: -1n },
      { account: available('a', 'USD'), asset: 'USD', amount: 1n },
    ]);
    expect(applyEntry(new Map(), refund)).toMatchObject({
      ok: false,
      error: { code: 'insufficient_funds', details: { owner: SYSTEM_FEES } },
    });
  });
});

describe('invariant checks report what is wrong', () => {
  it('finds unbalanced assets, negative users, journal mismatches and held drift', () => {
    const journal = [credit('alice', 100n)];
    const good = unwrap(applyEntry(new Map(), journal[0]!));
    expect(checkLedgerInvariants(good, journal)).toEqual([]);
    const tampered = new Map(good).set('alice|USD|available', 101n).set('bob|USD|available', -1n);
    const codes = checkLedgerInvariants(tampered, journal)
      .map((v) => v.code)
      .sort();
    expect(codes).toEqual(['balance_mismatch', 'balance_mismatch', 'negative_balance']);
    const skewed = new Map(good).set('alice|USD|available', 99n);
    expect(checkLedgerInvariants(skewed).map((v) => v.code)).toEqual(['asset_not_balanced']);
    const withHeld = new Map(good).set('alice|USD|held', 5n);
    expect(heldMatchesReservations(withHeld, [])).toEqual([
      { owner: 'alice', asset: 'USD', held: '5', reserved: '0' },
    ]);
    const reservation = {
      orderId: 'o',
      owner: 'bob',
      symbol: 'EUR/USD',
      side: 'buy' as const,
      asset: 'USD',
      remaining: 3n,
      feeAccrual: 0n,
      feesPaid: 0n,
      maxFeePpm: 0,
    };
    expect(heldMatchesReservations(good, [reservation])).toEqual([
      { owner: 'bob', asset: 'USD', held: '0', reserved: '3' },
    ]);
  });
});
