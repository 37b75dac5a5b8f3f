import { describe, expect, it } from 'vitest';
import { accountId, available, held } from '../../../src-main/domain/ledger';
import { applyEntry } from '../../../src-main/domain/ledger';
import {
  approvalsRequired,
  approve,
  checkRequest,
  holdEntry,
  mayCancel,
  releaseEntry,
  settleEntry,
  toChainUnits,
  transition,
} from '../../../src-main/domain/withdrawals';

const limits = { autoApproveLimit: 100n, dualApprovalLimit: 1_000n };

describe('approval policy', () => {
  it.each([
    [1n, 0],
    [100n, 0], // at the auto limit: auto-approved
    [101n, 1],
    [1_000n, 1], // at the dual limit: one admin
    [1_001n, 2],
  ])('amount %s needs %s approvals', (amount, n) => {
    expect(approvalsRequired(amount, limits)).toBe(n);
  });

  it('needs an admin for everything when the auto limit is 0, and never two without a dual limit', () => {
    expect(approvalsRequired(1n, { autoApproveLimit: 0n, dualApprovalLimit: null })).toBe(1);
    expect(approvalsRequired(10n ** 20n, { autoApproveLimit: 0n, dualApprovalLimit: null })).toBe(
      1,
    );
  });

  const pending = {
    status: 'pending_approval' as const,
    requesterId: 'alice',
    approvalsRequired: 2,
    approvedBy: [] as string[],
  };

  it('refuses the requester, even an admin, and the same admin twice', () => {
    const own = approve(pending, 'alice');
    expect(own.ok || own.error.code).toBe('forbidden');
    const twice = approve({ ...pending, approvedBy: ['root'] }, 'root');
    expect(twice.ok || twice.error.code).toBe('conflict');
  });

  it('completes with the second different admin above the dual limit', () => {
    expect(approve(pending, 'root')).toEqual({ ok: true, value: { complete: false } });
    expect(approve({ ...pending, approvedBy: ['root'] }, 'ops')).toEqual({
      ok: true,
      value: { complete: true },
    });
    const single = approve({ ...pending, approvalsRequired: 1 }, 'root');
    expect(single).toEqual({ ok: true, value: { complete: true } });
  });

  it('approves only what waits for approval', () => {
    const r = approve({ ...pending, status: 'approved' }, 'root');
    expect(r.ok || r.error.code).toBe('invalid_state');
  });
});

describe('lifecycle', () => {
  it('lets the user cancel only before signing', () => {
    expect(mayCancel('pending_approval')).toBe(true);
    expect(mayCancel('approved')).toBe(true);
    expect(mayCancel('signed')).toBe(false);
    expect(mayCancel('sent')).toBe(false);
  });

  it('goes back from mined to sent (a reorg) but never leaves a final state', () => {
    expect(transition('mined', 'sent').ok).toBe(true);
    for (const end of ['confirmed', 'rejected', 'cancelled', 'failed'] as const) {
      expect(transition(end, 'sent').ok).toBe(false);
    }
    const skip = transition('approved', 'confirmed');
    expect(skip.ok || skip.error.code).toBe('invalid_state');
  });
});

describe('request checks', () => {
  const base = {
    withdrawalsEnabled: true,
    amount: 500n,
    min: 100n,
    fee: 10n,
    available: 510n,
    tsUsable: 1_000,
    now: 1_000,
  };
  it.each([
    [{ withdrawalsEnabled: false }, 'withdrawals_disabled'],
    [{ amount: 99n }, 'below_minimum'],
    [{ available: 509n }, 'insufficient_funds'], // amount + fee must fit
    [{ now: 999 }, 'address_cooling_off'],
  ])('%o is refused with %s', (change, code) => {
    const r = checkRequest({ ...base, ...change });
    expect(r.ok || r.error.code).toBe(code);
  });
  it('accepts exactly amount + fee available on the first usable millisecond', () => {
    expect(checkRequest(base).ok).toBe(true);
  });
});

describe('ledger entries', () => {
  const w = { withdrawalId: 'w1', userId: 'alice', asset: 'ETH', amount: 500n, fee: 10n };
  const apply = (balances: Map<string, bigint>, entry: ReturnType<typeof holdEntry>) => {
    if (!entry.ok) throw new Error(entry.error.message);
    const r = applyEntry(balances, entry.value);
    if (!r.ok) throw new Error(r.error.message);
    // applyEntry answers a new map; the tests follow one balance sheet.
    for (const [k, v] of r.value) balances.set(k, v);
  };

  it('holds amount + fee, then settles amount to external and fee to the fee account', () => {
    const b = new Map([[accountId(available('alice', 'ETH')), 600n]]);
    b.set(accountId(available('system:external', 'ETH')), -600n);
    apply(b, holdEntry(w));
    expect(b.get(accountId(available('alice', 'ETH')))).toBe(90n);
    expect(b.get(accountId(held('alice', 'ETH')))).toBe(510n);
    apply(b, settleEntry(w));
    expect(b.get(accountId(held('alice', 'ETH')))).toBe(0n);
    expect(b.get(accountId(available('system:external', 'ETH')))).toBe(-100n);
    expect(b.get(accountId(available('system:fees', 'ETH')))).toBe(10n);
  });

  it('releases the whole hold back to available', () => {
    const b = new Map([[accountId(available('alice', 'ETH')), 510n]]);
    b.set(accountId(available('system:external', 'ETH')), -510n);
    apply(b, holdEntry(w));
    apply(b, releaseEntry(w, 'rejected'));
    expect(b.get(accountId(available('alice', 'ETH')))).toBe(510n);
    expect(b.get(accountId(held('alice', 'ETH')))).toBe(0n);
  });

  it('refuses a hold larger than available (the ledger never goes negative)', () => {
    const b = new Map([[accountId(available('alice', 'ETH')), 509n]]);
    const e = holdEntry(w);
    if (!e.ok) throw new Error('entry');
    expect(applyEntry(b, e.value).ok).toBe(false);
  });
});

describe('chain units', () => {
  it('converts ledger minor units to wei and to fewer decimals exactly', () => {
    // 0.5 ETH at scale 8 = 50,000,000 minor units = 5 × 10^17 wei
    expect(toChainUnits(50_000_000n, 8, 18)).toEqual({ ok: true, value: 5n * 10n ** 17n });
    expect(toChainUnits(1_230_000n, 8, 6)).toEqual({ ok: true, value: 12_300n });
    const tooFine = toChainUnits(1_230_001n, 8, 6);
    expect(tooFine.ok || tooFine.error.code).toBe('invalid_amount');
  });
});
