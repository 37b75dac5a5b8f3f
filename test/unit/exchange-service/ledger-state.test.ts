import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract';
import {
  SYSTEM_EXTERNAL,
  SYSTEM_FEES,
  accountId,
  applyEntry,
  type AccountKey,
  type JournalEntry,
  type Posting,
} from '../../../src-main/domain/ledger';
import { LedgerState } from '../../../src-main/features/exchange/ledger-state';

// The exchange keeps its balances in LedgerState, which applies entries in place for speed.
// The domain's applyEntry is the reference: on any stream of entries both must accept and
// refuse the same entries with the same code, and end with the same balances.

const OWNERS = ['alice', 'bob', SYSTEM_FEES, SYSTEM_EXTERNAL];
const ASSETS = ['BTC', 'USDT'];
const account = fc
  .record({
    owner: fc.constantFrom(...OWNERS),
    asset: fc.constantFrom(...ASSETS),
    purpose: fc.constantFrom('available' as const, 'held' as const),
  })
  .map((k): AccountKey => k);

/** A transfer between two accounts of one asset (the same account twice is allowed). */
const transfer = fc
  .tuple(account, account, fc.bigInt({ min: 1n, max: 1_000n }))
  .map(([from, to, amount]): Posting[] => [
    { account: from, asset: from.asset, amount: -amount },
    { account: { ...to, asset: from.asset }, asset: from.asset, amount },
  ]);

const entry = fc
  .record({
    transfers: fc.array(transfer, { minLength: 1, maxLength: 4 }),
    // Sometimes off balance by one unit, or a leg zeroed, so refusals are compared too.
    damage: fc.constantFrom('none', 'none', 'none', 'none', 'unbalanced', 'zero'),
  })
  .map(({ transfers, damage }): JournalEntry => {
    const postings = transfers.flat();
    const first = postings[0] as Posting;
    if (damage === 'unbalanced') postings[0] = { ...first, amount: first.amount + 1n };
    if (damage === 'zero') postings[0] = { ...first, amount: 0n };
    return { kind: 'correction', refType: 'correction', refId: 'x', postings };
  });

const funding = (owner: string, asset: string, amount: bigint): JournalEntry => ({
  kind: 'funding',
  refType: 'funding',
  refId: 'f',
  postings: [
    { account: { owner, asset, purpose: 'available' }, asset, amount },
    { account: { owner: SYSTEM_EXTERNAL, asset, purpose: 'available' }, asset, amount: -amount },
  ],
});

describe('LedgerState against the domain ledger', () => {
  it('accepts and refuses the same entries with the same codes, and ends with the same balances', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 40 }), (entries) => {
        const state = new LedgerState(() => 0);
        let reference = new Map<string, bigint>();
        const start = ['alice', 'bob'].flatMap((o) => ASSETS.map((a) => funding(o, a, 2_000n)));
        for (const e of [...start, ...entries]) {
          const expected = applyEntry(reference, e);
          let code: string | null = null;
          try {
            state.apply(e);
          } catch (error) {
            expect(error).toBeInstanceOf(AppError);
            code = (error as AppError).code;
          }
          expect(code).toBe(expected.ok ? null : expected.error.code);
          if (expected.ok) reference = expected.value;
        }
        const nonZero = (m: ReadonlyMap<string, bigint>) =>
          new Map([...m].filter(([, v]) => v !== 0n));
        expect(nonZero(state.balances)).toEqual(nonZero(reference));
        for (const id of state.dirty) expect(state.keys.has(id)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('nets an account that appears twice in one entry before checking it', () => {
    const state = new LedgerState(() => 0);
    state.apply(funding('alice', 'USDT', 10n));
    const alice = { owner: 'alice', asset: 'USDT', purpose: 'available' } as const;
    const bob = { owner: 'bob', asset: 'USDT', purpose: 'available' } as const;
    // -15 then +10 on alice: net -5 is covered by 10, although the first leg alone is not.
    state.apply({
      kind: 'correction',
      refType: 'correction',
      refId: 'net',
      postings: [
        { account: alice, asset: 'USDT', amount: -15n },
        { account: alice, asset: 'USDT', amount: 10n },
        { account: bob, asset: 'USDT', amount: 5n },
      ],
    });
    expect(state.balances.get(accountId(alice))).toBe(5n);
    expect(() =>
      state.apply({
        kind: 'correction',
        refType: 'correction',
        refId: 'over',
        postings: [
          { account: alice, asset: 'USDT', amount: -4n },
          { account: alice, asset: 'USDT', amount: -2n },
          { account: bob, asset: 'USDT', amount: 6n },
        ],
      }),
    ).toThrow(expect.objectContaining({ code: 'insufficient_funds' }));
    expect(state.balances.get(accountId(alice))).toBe(5n); // a refused entry changes nothing
  });

  it('names an account by one string object, whatever key object asks', () => {
    const state = new LedgerState(() => 2);
    const id = state.idOf({ owner: 'alice', asset: 'USDT', purpose: 'held' });
    expect(id).toBe(accountId({ owner: 'alice', asset: 'USDT', purpose: 'held' }));
    // The same object, so Map lookups reuse its hash: built from fresh strings to prove it.
    const fresh = {
      owner: ['al', 'ice'].join(''),
      asset: 'US' + 'DT'.slice(0),
      purpose: 'held' as const,
    };
    expect(Object.is(state.idOf(fresh), id)).toBe(true);
    expect(state.idOf({ owner: 'alice', asset: 'USDT', purpose: 'available' })).not.toBe(id);
    state.load({ owner: 'alice', asset: 'USDT', purpose: 'held' }, 7n);
    expect(state.get(fresh)).toBe(7n);
    state.clear();
    expect(state.get(fresh)).toBe(0n);
    // Asking for an account never seen answers 0 without remembering an id for it: balance
    // queries name accounts from their input, which must not grow the map.
    const owners = () => (state as unknown as { ids: Map<string, unknown> }).ids.size;
    expect(state.get({ owner: 'mallory', asset: 'XYZ', purpose: 'available' })).toBe(0n);
    expect(owners()).toBe(0);
  });
});
