import type { Result } from '../money';
import { err } from '../money';
import { isSimulatorOwner } from './accounts';
import { externalFunding } from './funding';
import type { JournalEntry } from './journal';

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
  return externalFunding(request.owner, request);
}
