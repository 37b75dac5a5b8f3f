/** Withdrawal rules: lifecycle, approval policy, ledger entries and unit conversion (pure). */
export type { ApprovalLimits, ApprovalState, RequestCheck, WithdrawalStatus } from './policy';
export {
  WITHDRAWAL_STATUSES,
  approvalsRequired,
  approve,
  checkRequest,
  holdsFunds,
  mayCancel,
  mayMove,
  transition,
} from './policy';
export type { WithdrawalFunds } from './entries';
export { holdEntry, releaseEntry, settleEntry } from './entries';
export { toChainUnits } from './amounts';
