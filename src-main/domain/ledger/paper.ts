import type { Result } from '../money';
import { err } from '../money';
import { SYSTEM_PAPER_BROKER, available, isValidUserId } from './accounts';
import type { JournalEntry } from './journal';
import { posting, validateEntry } from './journal';

/**
 * A cash effect on a paper-broker account: its owner's available balance against
 * `system:paper-broker`. Positive `amount` credits the account (a profit, a demo deposit),
 * negative debits it (a loss, commission). A debit larger than the balance is refused by
 * `applyEntry` (`insufficient_funds`), so the caller caps losses first.
 */
export function paperEntry(request: {
  kind: 'paper_funding' | 'paper_settlement' | 'paper_financing';
  refType: 'paper_account' | 'paper_fill' | 'paper_financing';
  refId: string;
  owner: string;
  asset: string;
  amount: bigint;
  reason: string;
}): Result<JournalEntry> {
  if (!isValidUserId(request.owner))
    return err('invalid_user', `not an account owner: ${request.owner}`);
  if (request.amount === 0n) return err('invalid_amount', 'a paper entry moves a non-zero amount');
  return validateEntry({
    kind: request.kind,
    refType: request.refType,
    refId: request.refId,
    reason: request.reason,
    postings: [
      posting(available(request.owner, request.asset), request.amount),
      posting(available(SYSTEM_PAPER_BROKER, request.asset), -request.amount),
    ],
  });
}
