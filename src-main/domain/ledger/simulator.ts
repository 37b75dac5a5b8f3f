import type { Result } from '../money';
import { err } from '../money';
import { SYSTEM_EXTERNAL, available, isSimulatorOwner } from './accounts';
import type { JournalEntry } from './journal';
import { posting, validateEntry } from './journal';

/** Moving money between a simulator trading account and the outside world. */
export interface SimulatorFundingRequest {
  refId: string;
  /** A `system:sim:*` owner. */
  owner: string;
  asset: string;
  /** Positive minor units. */
  amount: bigint;
  direction: 'credit' | 'debit';
  reason: string;
}

/**
 * The simulator's inventory comes from `system:external` like any deposit, so the ledger
 * still sums to zero per asset and reconciliation covers the simulator's accounts.
 */
export function simulatorFundingEntry(request: SimulatorFundingRequest): Result<JournalEntry> {
  if (!isSimulatorOwner(request.owner))
    return err('invalid_user', `not a simulator account: ${request.owner}`);
  if (request.amount <= 0n) return err('invalid_amount', 'funding amount must be positive');
  const signed = request.direction === 'credit' ? request.amount : -request.amount;
  return validateEntry({
    kind: 'funding',
    refType: 'funding',
    refId: request.refId,
    reason: request.reason,
    postings: [
      posting(available(request.owner, request.asset), signed),
      posting(available(SYSTEM_EXTERNAL, request.asset), -signed),
    ],
  });
}
