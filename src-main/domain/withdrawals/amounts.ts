import type { Result } from '../money';
import { err, ok } from '../money';

/**
 * Ledger minor units (the asset's `scale`) to the token's on-chain units (`decimals`), exactly:
 * ETH is kept at 8 decimals and sent in wei (18), so 1 minor unit = 10^10 wei. A token with
 * fewer on-chain decimals than the ledger keeps can only send multiples of the difference.
 */
export function toChainUnits(minor: bigint, scale: number, decimals: number): Result<bigint> {
  if (decimals >= scale) return ok(minor * 10n ** BigInt(decimals - scale));
  const step = 10n ** BigInt(scale - decimals);
  if (minor % step !== 0n) {
    return err(
      'invalid_amount',
      `This token has ${decimals} decimals on chain: amount too precise`,
    );
  }
  return ok(minor / step);
}
