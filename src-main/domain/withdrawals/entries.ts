import { SYSTEM_EXTERNAL, SYSTEM_FEES, available, held } from '../ledger/accounts';
import type { JournalEntry } from '../ledger/journal';
import { nonZero, posting, validateEntry } from '../ledger/journal';
import type { Result } from '../money';

/** The ledger side of one withdrawal: who, which asset, amount and fee in minor units. */
export interface WithdrawalFunds {
  withdrawalId: string;
  userId: string;
  asset: string;
  amount: bigint;
  fee: bigint;
}

/** Request: amount + fee move from the user's available to held. */
export function holdEntry(w: WithdrawalFunds): Result<JournalEntry> {
  const total = w.amount + w.fee;
  return validateEntry({
    kind: 'withdrawal',
    refType: 'withdrawal',
    refId: w.withdrawalId,
    reason: 'hold',
    postings: [
      posting(available(w.userId, w.asset), -total),
      posting(held(w.userId, w.asset), total),
    ],
  });
}

/** Rejected, cancelled or failed on chain: the hold goes back to available. */
export function releaseEntry(w: WithdrawalFunds, why: string): Result<JournalEntry> {
  const total = w.amount + w.fee;
  return validateEntry({
    kind: 'withdrawal',
    refType: 'withdrawal',
    refId: w.withdrawalId,
    reason: `release: ${why}`,
    postings: [
      posting(held(w.userId, w.asset), -total),
      posting(available(w.userId, w.asset), total),
    ],
  });
}

/**
 * Confirmed on chain: the amount leaves to the outside world (`system:external`) and the fee
 * goes to the fee account, where trading fees are posted too.
 */
export function settleEntry(w: WithdrawalFunds): Result<JournalEntry> {
  return validateEntry({
    kind: 'withdrawal',
    refType: 'withdrawal',
    refId: w.withdrawalId,
    reason: 'settle',
    postings: nonZero([
      posting(held(w.userId, w.asset), -(w.amount + w.fee)),
      posting(available(SYSTEM_EXTERNAL, w.asset), w.amount),
      posting(available(SYSTEM_FEES, w.asset), w.fee),
    ]),
  });
}
