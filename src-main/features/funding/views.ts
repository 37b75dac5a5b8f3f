import { getAddress } from 'viem';
import type { OperationOutput } from '../../../src-shared/contract';
import { confirmationsAt } from '../../domain/funding';
import { formatDecimalTrimmed } from '../../domain/money';
import type { AssetFundingRow, DepositRow } from './repo';

export type DepositView = OperationOutput<'funding.deposits'>['items'][number];

/** How a deposit is shown: decimals of the ledger and of the chain, confirmations `k / N`. */
export function depositView(
  d: DepositRow,
  scale: number,
  setting: AssetFundingRow | undefined,
  cursor: number | undefined,
): DepositView {
  const decimals = setting?.tokenDecimals ?? 18;
  const needed = setting?.confirmations ?? 0;
  const seen = cursor === undefined ? 0 : confirmationsAt(BigInt(cursor), BigInt(d.blockNumber));
  return {
    id: d.id,
    asset: d.asset,
    chainId: d.chainId,
    txHash: d.txHash,
    logIndex: d.logIndex,
    address: getAddress(d.address),
    amount: formatDecimalTrimmed(d.amount, scale),
    chainAmount: formatDecimalTrimmed(d.chainAmount, decimals),
    remainder: formatDecimalTrimmed(d.remainder, decimals),
    blockNumber: d.blockNumber,
    // A block that left the chain has no confirmations.
    confirmations: d.status === 'pending' || d.status === 'credited' ? seen : 0,
    confirmationsNeeded: needed,
    status: d.status,
    note: d.note,
    frozen: formatDecimalTrimmed(d.frozen, scale),
    tsSeen: d.tsSeen,
    tsUpdated: d.tsUpdated,
  };
}
