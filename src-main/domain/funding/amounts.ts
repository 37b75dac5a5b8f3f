/**
 * Chain units ↔ ledger minor units. A chain amount (wei, token base units) has `decimals`
 * digits; the ledger keeps `scale`. When the chain is finer (ETH: 18 vs 8), what does not fill
 * a whole minor unit is not credited: it is returned as `remainder` and kept on the deposit.
 */
export interface ChainToLedger {
  /** Minor units, rounded down. */
  amount: bigint;
  /** Chain units left over (0 when the chain is not finer than the ledger). */
  remainder: bigint;
}

export function chainToLedger(chainAmount: bigint, decimals: number, scale: number): ChainToLedger {
  if (chainAmount < 0n) throw new RangeError('chain amount is negative');
  if (decimals >= scale) {
    const unit = 10n ** BigInt(decimals - scale);
    return { amount: chainAmount / unit, remainder: chainAmount % unit };
  }
  return { amount: chainAmount * 10n ** BigInt(scale - decimals), remainder: 0n };
}

/**
 * Ledger minor units in chain units. Exact: settings refuse a chain coarser than the ledger
 * (`tokenDecimals < scale`), so this never divides.
 */
export function ledgerToChain(amount: bigint, decimals: number, scale: number): bigint {
  if (decimals < scale) throw new RangeError('the chain unit is coarser than the ledger');
  return amount * 10n ** BigInt(decimals - scale);
}
