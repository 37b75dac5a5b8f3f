import type { Address } from 'viem';
import type { Backend } from '../../../src-main/backend';
import { accountKeys } from '../../fakes/chain/xpub';
import { LOCAL_CHAIN_ID, type LocalChain } from '../../fakes/chain/local-chain';
import { admin } from '../../helpers/exchange';

/**
 * The deposit key of these tests: BIP-39's all-`abandon` test mnemonic, whose addresses hold
 * nothing on the local chain (the dev mnemonic's are funded at genesis).
 */
export const DEPOSIT_MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
export const DEPOSIT_XPUB = accountKeys(DEPOSIT_MNEMONIC).xpub;

/** What a funding test sets up: the local chain as chain 31337, ETH native, a token as USDT. */
export async function setUpFunding(
  backend: Backend,
  chain: LocalChain,
  opts: { confirmations?: number; token?: Address } = {},
) {
  const boss = admin();
  const start = Number(await chain.publicClient.getBlockNumber()) + 1;
  await backend.invoke(
    'admin.funding.chainSet',
    {
      chainId: LOCAL_CHAIN_ID,
      name: 'Local',
      rpcUrl: chain.rpcUrl!,
      xpub: DEPOSIT_XPUB,
      // The tests poll by hand; the feature's own timer stays out of their way.
      pollMs: 600_000,
      startBlock: start,
    },
    boss,
  );
  await backend.invoke(
    'admin.funding.assetSet',
    {
      asset: 'ETH',
      chainId: LOCAL_CHAIN_ID,
      tokenContract: null,
      tokenDecimals: 18,
      confirmations: opts.confirmations ?? 3,
      depositsEnabled: true,
    },
    boss,
  );
  if (opts.token) {
    await backend.invoke(
      'admin.funding.assetSet',
      {
        asset: 'USDT',
        chainId: LOCAL_CHAIN_ID,
        tokenContract: opts.token,
        tokenDecimals: 6,
        confirmations: opts.confirmations ?? 3,
        depositsEnabled: true,
      },
      boss,
    );
  }
  return { start };
}

export interface DepositOut {
  id: number;
  asset: string;
  txHash: string;
  amount: string;
  chainAmount: string;
  remainder: string;
  confirmations: number;
  confirmationsNeeded: number;
  status: string;
  note: string | null;
  frozen: string;
}
