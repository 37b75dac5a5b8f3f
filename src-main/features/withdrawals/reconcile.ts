import { erc20Abi, parseEventLogs, type Hex } from 'viem';
import type { ChainClient } from '../../connectors/chain/client';
import type { FundingCheck, ReconcileCheck } from '../funding/reconcile';
import type { WithdrawalRepo, WithdrawalRow } from './repo';

/**
 * The withdrawal side of funding reconciliation (`admin.funding.reconcile`): every settled
 * withdrawal's transfer is on chain in a canonical block, sent from the hot wallet that signed
 * it, to the address and for the amount recorded. Custody against what users are owed is the
 * funding side's check; together they say the ledger and the chain agree in both directions.
 */
async function mismatch(client: ChainClient, w: WithdrawalRow): Promise<string | null> {
  if (!w.txHash) return 'settled without a transaction hash';
  const hash = w.txHash as Hex;
  const receipt = await client.getTransactionReceipt({ hash }).catch(() => null);
  if (!receipt) return 'transaction not found on chain';
  if (receipt.status !== 'success') return 'transaction reverted';
  const block = await client.getBlock({ blockNumber: receipt.blockNumber }).catch(() => null);
  if (!block || block.hash?.toLowerCase() !== receipt.blockHash.toLowerCase()) {
    return 'its block is not canonical';
  }
  const from = w.fromAddress?.toLowerCase();
  if (receipt.from.toLowerCase() !== from) return `sent by ${receipt.from}, not the hot wallet`;
  const to = w.toAddress.toLowerCase();
  const amount = BigInt(w.chainAmount);
  if (w.tokenContract === null) {
    const tx = await client.getTransaction({ hash });
    if (tx.to?.toLowerCase() !== to) return `paid ${tx.to}, not ${w.toAddress}`;
    if (tx.value !== amount) return `value ${tx.value} on chain, ${amount} recorded`;
    return null;
  }
  const paid = parseEventLogs({ abi: erc20Abi, eventName: 'Transfer', logs: receipt.logs }).find(
    (l) =>
      l.address.toLowerCase() === w.tokenContract?.toLowerCase() &&
      l.args.from.toLowerCase() === from &&
      l.args.to.toLowerCase() === to,
  );
  if (!paid) return 'no transfer of the token to the address in its receipt';
  if (paid.args.value !== amount) return `value ${paid.args.value} on chain, ${amount} recorded`;
  return null;
}

export function withdrawalsOnChain(repo: WithdrawalRepo): FundingCheck {
  return async ({ asset, chain, client }) => {
    const settled = repo
      .inStatus(['confirmed'])
      .filter((w) => w.asset === asset.asset && w.chainId === chain.chainId);
    const out: ReconcileCheck[] = [];
    for (const w of settled) {
      const problem = await mismatch(client, w);
      if (!problem) continue;
      out.push({
        check: 'withdrawals_on_chain',
        asset: asset.asset,
        ok: false,
        message: `withdrawal ${w.id} (${w.txHash ?? 'no hash'}): ${problem}`,
        figures: { withdrawalId: w.id, txHash: w.txHash ?? '', recorded: w.chainAmount },
      });
    }
    out.unshift({
      check: 'withdrawals_on_chain',
      asset: asset.asset,
      ok: out.length === 0,
      message:
        out.length === 0
          ? `${settled.length} settled withdrawal(s) found on chain as recorded`
          : `${out.length} of ${settled.length} settled withdrawal(s) do not match the chain`,
      figures: { settled: String(settled.length), mismatches: String(out.length) },
    });
    return out;
  };
}
