/** Double-entry ledger rules: accounts, journal entries, holds, settlement and invariants. */
export type { AccountKey, AccountPurpose } from './accounts';
export {
  SYSTEM_CORRECTIONS,
  SYSTEM_EXTERNAL,
  SYSTEM_FEES,
  SYSTEM_FROZEN,
  SYSTEM_PAPER_BROKER,
  SYSTEM_SIMULATOR_PREFIX,
  accountId,
  available,
  held,
  isSimulatorOwner,
  isSystemOwner,
  isValidOwner,
  isValidUserId,
  mayGoNegative,
  mayTrade,
  parseAccountId,
} from './accounts';
export type { JournalEntry, JournalKind, JournalRefType, Posting } from './journal';
export { posting, sumByAsset, validateEntry } from './journal';
export type { Balances } from './balances';
export { applyEntry, balanceOf, replayEntries } from './balances';
export type { CorrectionRequest, DepositCredit, FundingRequest } from './funding';
export {
  correctionEntry,
  depositEntry,
  depositFreezeEntry,
  depositResolveEntry,
  fundingEntry,
} from './funding';
export { paperEntry } from './paper';
export type { SimulatorFundingRequest } from './simulator';
export { simulatorFundingEntry } from './simulator';
export type { HoldBasis, HoldRequest, OrderReservation, ReleaseReason } from './reservation';
export { holdAmount, nextFee, placeOrderHold, releaseReservation } from './reservation';
export type { Settlement, TradeInput, TradeParty } from './settlement';
export { settleTrade } from './settlement';
export type { HeldMismatch, LedgerViolation } from './invariants';
export { checkLedgerInvariants, heldMatchesReservations } from './invariants';
