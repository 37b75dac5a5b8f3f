import type { OutputOf } from '../../../src-shared/contract';
import type {
  withdrawalAddressesAdd,
  withdrawalsApprove,
  withdrawalsRequest,
} from '../../../src-shared/contract';
import { formatDecimal } from '../../domain/money';
import type { AddressRow, WithdrawalRow } from './repo';

export type WithdrawalViewOut = OutputOf<typeof withdrawalsRequest>;
export type AdminWithdrawalViewOut = OutputOf<typeof withdrawalsApprove>;
export type AddressViewOut = OutputOf<typeof withdrawalAddressesAdd>;

export function addressView(a: AddressRow): AddressViewOut {
  return {
    id: a.id,
    chainId: a.chainId,
    address: a.address,
    label: a.label,
    tsCreated: a.tsCreated,
    tsUsable: a.tsUsable,
  };
}

/** A withdrawal as its owner sees it; `scale` of the asset, confirmations the asset asks. */
export function withdrawalView(
  w: WithdrawalRow,
  scale: number,
  approvals: number,
  confirmationsRequired: number,
): WithdrawalViewOut {
  return {
    id: w.id,
    clientRequestId: w.clientRequestId,
    asset: w.asset,
    amount: formatDecimal(BigInt(w.amount), scale),
    fee: formatDecimal(BigInt(w.fee), scale),
    chainId: w.chainId,
    addressId: w.addressId,
    toAddress: w.toAddress,
    status: w.status,
    approvalsRequired: w.approvalsRequired,
    approvals,
    txHash: w.txHash,
    confirmations: w.confirmations,
    confirmationsRequired,
    reason: w.reason,
    tsCreated: w.tsCreated,
    tsUpdated: w.tsUpdated,
  };
}
