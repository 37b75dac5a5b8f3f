import type { Result } from '../money';
import { err, ok } from '../money';

/**
 * A withdrawal's lifecycle. `pending_approval` waits for admins; `approved` waits for the
 * broadcast job; `signed` has its raw transaction and hash on disk but may not have reached
 * the chain; `sent` was handed to the node; `mined` is in a block with fewer confirmations
 * than the asset asks; `confirmed` is settled in the ledger. `rejected`, `cancelled` and
 * `failed` (the transaction reverted on chain) released the hold.
 */
export const WITHDRAWAL_STATUSES = [
  'pending_approval',
  'approved',
  'signed',
  'sent',
  'mined',
  'confirmed',
  'rejected',
  'cancelled',
  'failed',
] as const;

export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];

/**
 * The one transition table. `sent`/`mined` may go back to `sent` (a reorg dropped the block,
 * or the node lost the transaction: the same bytes are sent again); nothing leaves a final state.
 */
const TRANSITIONS: Record<WithdrawalStatus, readonly WithdrawalStatus[]> = {
  pending_approval: ['approved', 'rejected', 'cancelled'],
  approved: ['signed', 'cancelled', 'rejected'],
  signed: ['sent', 'mined'],
  sent: ['sent', 'mined', 'confirmed', 'failed'],
  mined: ['sent', 'mined', 'confirmed', 'failed'],
  confirmed: [],
  rejected: [],
  cancelled: [],
  failed: [],
};

/** Whether `from → to` is allowed. */
export function mayMove(from: WithdrawalStatus, to: WithdrawalStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** `from → to`, or `invalid_state` naming both. */
export function transition(from: WithdrawalStatus, to: WithdrawalStatus): Result<WithdrawalStatus> {
  if (mayMove(from, to)) return ok(to);
  return err('invalid_state', `A withdrawal that is ${from} cannot become ${to}`, { from, to });
}

/** States whose hold is still on the user's held balance (everything not settled or released). */
export function holdsFunds(status: WithdrawalStatus): boolean {
  return !['confirmed', 'rejected', 'cancelled', 'failed'].includes(status);
}

/** Whether the user may still cancel: only before anything was signed. */
export function mayCancel(status: WithdrawalStatus): boolean {
  return mayMove(status, 'cancelled');
}

/** An asset's approval limits in ledger minor units. */
export interface ApprovalLimits {
  /** At or below: approved without an admin (0: every withdrawal needs one). */
  autoApproveLimit: bigint;
  /** Above: two different admins; null: one admin always suffices. */
  dualApprovalLimit: bigint | null;
}

/**
 * How many admins must approve `amount` (the amount sent, fee excluded): 0 at or below the
 * auto limit, 2 above the dual limit, else 1.
 */
export function approvalsRequired(amount: bigint, limits: ApprovalLimits): 0 | 1 | 2 {
  if (limits.dualApprovalLimit !== null && amount > limits.dualApprovalLimit) return 2;
  if (amount <= limits.autoApproveLimit) return 0;
  return 1;
}

/** What an approval decision looks at. */
export interface ApprovalState {
  status: WithdrawalStatus;
  requesterId: string;
  approvalsRequired: number;
  /** Admins who approved so far. */
  approvedBy: readonly string[];
}

/**
 * An admin's approval: refused for the requester (even an admin), a second approval by the
 * same admin, or a withdrawal not waiting for approval. Answers whether it is now approved.
 */
export function approve(state: ApprovalState, adminId: string): Result<{ complete: boolean }> {
  if (state.status !== 'pending_approval') {
    return err('invalid_state', `This withdrawal is ${state.status}, not waiting for approval`);
  }
  if (adminId === state.requesterId) {
    return err('forbidden', 'Nobody approves their own withdrawal');
  }
  if (state.approvedBy.includes(adminId)) {
    return err('conflict', 'You already approved this withdrawal; another admin must approve');
  }
  return ok({ complete: state.approvedBy.length + 1 >= state.approvalsRequired });
}

/** Checks a request against the asset's settings; amounts in ledger minor units. */
export interface RequestCheck {
  withdrawalsEnabled: boolean;
  amount: bigint;
  min: bigint;
  fee: bigint;
  available: bigint;
  /** When the address becomes usable, and now. */
  tsUsable: number;
  now: number;
}

/** The first reason a request is refused, or ok. */
export function checkRequest(c: RequestCheck): Result<true> {
  if (!c.withdrawalsEnabled) {
    return err('withdrawals_disabled', 'Withdrawals of this asset are switched off');
  }
  if (c.amount <= 0n) return err('invalid_amount', 'The amount must be positive');
  if (c.amount < c.min) {
    return err('below_minimum', 'The amount is below the minimum withdrawal', {
      min: c.min.toString(),
    });
  }
  if (c.amount + c.fee > c.available) {
    return err('insufficient_funds', 'Amount plus fee is more than the available balance', {
      needed: (c.amount + c.fee).toString(),
      available: c.available.toString(),
    });
  }
  if (c.now < c.tsUsable) {
    return err('address_cooling_off', 'This address is still in its cool-off period', {
      tsUsable: c.tsUsable,
    });
  }
  return ok(true);
}
