import type { Result } from '../money';
import { err } from '../money';
import {
  SYSTEM_CORRECTIONS,
  SYSTEM_EXTERNAL,
  SYSTEM_FROZEN,
  available,
  isValidUserId,
} from './accounts';
import type { JournalEntry } from './journal';
import { posting, validateEntry } from './journal';

/** An administrator moving money between a user and the outside world. */
export interface FundingRequest {
  /** Id of the funding request (the entry's refId). */
  refId: string;
  userId: string;
  asset: string;
  /** Positive minor units. */
  amount: bigint;
  /** `credit` gives the user money, `debit` takes it back. */
  direction: 'credit' | 'debit';
  /** Why; required, it is the audit trail. */
  reason: string;
}

/** A manual correction of a user's available balance, signed (positive credits the user). */
export interface CorrectionRequest {
  refId: string;
  userId: string;
  asset: string;
  /** Non-zero signed minor units. */
  amount: bigint;
  reason: string;
}

function checkCommon(userId: string, reason: string): Result<never> | null {
  if (!isValidUserId(userId)) return err('invalid_user', `not a user account: ${userId}`);
  if (reason.trim() === '') return err('reason_required', 'a reason is required');
  return null;
}

/**
 * Admin funding: user available ↔ `system:external`. A debit larger than the user's
 * available balance is refused later by `applyEntry` (`insufficient_funds`).
 */
export function fundingEntry(request: FundingRequest): Result<JournalEntry> {
  const problem = checkCommon(request.userId, request.reason);
  if (problem) return problem;
  return externalFunding(request.userId, request);
}

/**
 * A funding entry between `owner`'s available balance and `system:external`; the caller has
 * checked that `owner` may be funded (a user, or a simulator account).
 */
export function externalFunding(
  owner: string,
  request: Omit<FundingRequest, 'userId'>,
): Result<JournalEntry> {
  if (request.amount <= 0n) return err('invalid_amount', 'funding amount must be positive');
  const signed = request.direction === 'credit' ? request.amount : -request.amount;
  return validateEntry({
    kind: 'funding',
    refType: 'funding',
    refId: request.refId,
    reason: request.reason,
    postings: [
      posting(available(owner, request.asset), signed),
      posting(available(SYSTEM_EXTERNAL, request.asset), -signed),
    ],
  });
}

/** Correction: user available ↔ `system:corrections`, so all corrections stay visible in one account. */
export function correctionEntry(request: CorrectionRequest): Result<JournalEntry> {
  const problem = checkCommon(request.userId, request.reason);
  if (problem) return problem;
  if (request.amount === 0n) return err('invalid_amount', 'correction amount must be non-zero');
  return validateEntry({
    kind: 'correction',
    refType: 'correction',
    refId: request.refId,
    reason: request.reason,
    postings: [
      posting(available(request.userId, request.asset), request.amount),
      posting(available(SYSTEM_CORRECTIONS, request.asset), -request.amount),
    ],
  });
}

/** A confirmed chain deposit: `system:external` → the user's available balance. */
export interface DepositCredit {
  /** The `deposits` row id (the entry's refId). */
  depositId: number;
  userId: string;
  asset: string;
  /** Positive minor units. */
  amount: bigint;
  /** Chain and transfer, for the entry's reason (`tx:logIndex`). */
  transfer: string;
}

/** The credit of a confirmed deposit; refType `deposit`, refId the deposit id. */
export function depositEntry(d: DepositCredit): Result<JournalEntry> {
  if (!isValidUserId(d.userId)) return err('invalid_user', `not a user account: ${d.userId}`);
  if (d.amount <= 0n) return err('invalid_amount', 'deposit amount must be positive');
  return validateEntry({
    kind: 'deposit',
    refType: 'deposit',
    refId: String(d.depositId),
    reason: `deposit ${d.transfer}`,
    postings: [
      posting(available(d.userId, d.asset), d.amount),
      posting(available(SYSTEM_EXTERNAL, d.asset), -d.amount),
    ],
  });
}

/**
 * Freezes what is left of a reversed deposit: the user's available → `system:frozen`, at most
 * `min(amount, available)` (the caller passes that; the rest was already spent).
 */
export function depositFreezeEntry(
  d: Omit<DepositCredit, 'amount'> & { frozen: bigint },
): Result<JournalEntry> {
  if (d.frozen <= 0n) return err('invalid_amount', 'frozen amount must be positive');
  return validateEntry({
    kind: 'deposit_freeze',
    refType: 'deposit',
    refId: String(d.depositId),
    reason: `deposit ${d.transfer} left the chain after credit`,
    postings: [
      posting(available(d.userId, d.asset), -d.frozen),
      posting(available(SYSTEM_FROZEN, d.asset), d.frozen),
    ],
  });
}

/**
 * An administrator's decision on a reversed deposit's frozen amount: `release` gives it back
 * to the user (the transfer is on chain after all), `write_off` returns it to the outside
 * world (it never arrived).
 */
export function depositResolveEntry(d: {
  depositId: number;
  userId: string;
  asset: string;
  frozen: bigint;
  action: 'release' | 'write_off';
  reason: string;
}): Result<JournalEntry> {
  if (d.frozen <= 0n) return err('invalid_amount', 'nothing is frozen');
  if (d.reason.trim() === '') return err('reason_required', 'a reason is required');
  const to =
    d.action === 'release' ? available(d.userId, d.asset) : available(SYSTEM_EXTERNAL, d.asset);
  return validateEntry({
    kind: 'deposit_resolve',
    refType: 'deposit',
    refId: String(d.depositId),
    reason: `${d.action === 'release' ? 'released' : 'written off'}: ${d.reason}`,
    postings: [posting(available(SYSTEM_FROZEN, d.asset), -d.frozen), posting(to, d.frozen)],
  });
}
