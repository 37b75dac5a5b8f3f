/**
 * Checks of what an administrator sets for an asset's funding (asset_funding) and for a chain.
 * Pure: the caller supplies the asset's ledger scale.
 */
import { getAddress, isAddress } from 'viem';
import type { Result } from '../money';
import { err, ok } from '../money';

/** An asset's funding settings, amounts in ledger minor units. */
export interface AssetFundingSettings {
  chainId: number;
  /** Null: the chain's native coin. */
  tokenContract: string | null;
  tokenDecimals: number;
  confirmations: number;
  depositsEnabled: boolean;
  withdrawalsEnabled: boolean;
  withdrawalFee: bigint;
  withdrawalMin: bigint;
  autoApproveLimit: bigint;
  dualApprovalLimit: bigint | null;
}

/** The most confirmations accepted: beyond the listener's reorg window nothing could undo it. */
export const MAX_CONFIRMATIONS = 120;

/**
 * A token contract as typed: 0x + 40 hex. Mixed case must be a valid EIP-55 checksum (a typo
 * in a checksummed address is caught); all-lower or all-upper is accepted. Answers lower-case.
 */
export function parseContractAddress(text: string): Result<string> {
  const t = text.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(t)) {
    return err('invalid_token_contract', `not a contract address (0x and 40 hex digits): ${t}`);
  }
  const body = t.slice(2);
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && !isAddress(t, { strict: true })) {
    return err('invalid_token_contract', `bad EIP-55 checksum; did you mean ${getAddress(t)}?`);
  }
  return ok(t.toLowerCase());
}

/** Every problem of an asset's settings, first one reported (code names the field). */
export function checkAssetFunding(
  s: AssetFundingSettings,
  scale: number,
): Result<AssetFundingSettings> {
  if (!Number.isInteger(s.chainId) || s.chainId <= 0) {
    return err('invalid_chain', 'chainId must be a positive integer');
  }
  let tokenContract: string | null = null;
  if (s.tokenContract !== null) {
    const parsed = parseContractAddress(s.tokenContract);
    if (!parsed.ok) return parsed;
    tokenContract = parsed.value;
  }
  if (!Number.isInteger(s.tokenDecimals) || s.tokenDecimals < 0 || s.tokenDecimals > 36) {
    return err('invalid_decimals', 'tokenDecimals must be an integer from 0 to 36');
  }
  if (tokenContract === null && s.tokenDecimals !== 18) {
    return err('invalid_decimals', 'the native coin has 18 decimals');
  }
  if (s.tokenDecimals < scale) {
    return err(
      'invalid_decimals',
      `the chain unit (${s.tokenDecimals} decimals) is coarser than the ledger's (${scale}): lower the asset's scale`,
    );
  }
  if (
    !Number.isInteger(s.confirmations) ||
    s.confirmations < 1 ||
    s.confirmations > MAX_CONFIRMATIONS
  ) {
    return err('invalid_confirmations', `confirmations must be from 1 to ${MAX_CONFIRMATIONS}`);
  }
  const limits: Array<[string, bigint | null]> = [
    ['withdrawalFee', s.withdrawalFee],
    ['withdrawalMin', s.withdrawalMin],
    ['autoApproveLimit', s.autoApproveLimit],
    ['dualApprovalLimit', s.dualApprovalLimit],
  ];
  for (const [field, value] of limits) {
    if (value !== null && value < 0n)
      return err('invalid_limit', `${field} must be ≥ 0`, { field });
  }
  if (s.dualApprovalLimit !== null && s.dualApprovalLimit < s.autoApproveLimit) {
    return err(
      'invalid_limit',
      'dualApprovalLimit must be ≥ autoApproveLimit (two admins above one admin above none)',
      { field: 'dualApprovalLimit' },
    );
  }
  return ok({ ...s, tokenContract });
}
