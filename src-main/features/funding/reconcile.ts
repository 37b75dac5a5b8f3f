/**
 * Reconciliation of funding against the chain, as a list of checks (each answers ok, a
 * message and its figures) so that the withdrawal side can add its own. For each chain asset:
 *
 * - `deposits_on_chain`: every credited deposit's transfer is in a canonical block, to its
 *   address, with its amount (native: the transaction and its receipt; token: the log).
 * - `custody_covers_ledger`: what the chain holds for us (the balances of every deposit address
 *   plus the hot wallet's) is at least what the ledger owes users: the sum of every user's
 *   `available` and `held` balance of the asset (system accounts — fees, frozen, simulator,
 *   external — are not owed to users and are shown apart). Amounts are compared in chain units.
 */
import { erc20Abi, parseEventLogs, type Address, type Hex } from 'viem';
import { formatDecimalTrimmed } from '../../domain/money';
import { ledgerToChain } from '../../domain/funding';
import type { ChainClient } from '../../connectors/chain/client';
import type { AssetFundingRow, ChainRow, DepositRow, FundingRepo } from './repo';

export interface ReconcileCheck {
  check: string;
  asset: string | null;
  ok: boolean;
  message: string;
  figures: Record<string, string>;
}

/** What a check sees: one chain asset, its chain, its client and the ledger's figures. */
export interface CheckContext {
  asset: AssetFundingRow;
  scale: number;
  chain: ChainRow;
  client: ChainClient;
  repo: FundingRepo;
  /** Sum of user-owned (available + held) balances of the asset, minor units. */
  owedToUsers: bigint;
  /** `system:frozen`'s balance of the asset, minor units. */
  frozen: bigint;
}

export type FundingCheck = (c: CheckContext) => Promise<ReconcileCheck[]>;

async function depositMismatch(client: ChainClient, d: DepositRow): Promise<string | null> {
  const receipt = await client.getTransactionReceipt({ hash: d.txHash as Hex }).catch(() => null);
  if (!receipt) return 'transaction not found on chain';
  if (receipt.status !== 'success') return 'transaction reverted';
  const block = await client.getBlock({ blockNumber: receipt.blockNumber }).catch(() => null);
  if (!block || block.hash?.toLowerCase() !== receipt.blockHash.toLowerCase()) {
    return 'its block is not canonical';
  }
  if (d.tokenContract === null) {
    const tx = await client.getTransaction({ hash: d.txHash as Hex });
    if (tx.to?.toLowerCase() !== d.address) return `sent to ${tx.to}, not ${d.address}`;
    if (tx.value !== d.chainAmount) return `value ${tx.value} on chain, ${d.chainAmount} recorded`;
    return null;
  }
  const logs = parseEventLogs({ abi: erc20Abi, eventName: 'Transfer', logs: receipt.logs });
  const log = logs.find((l) => l.logIndex === d.logIndex);
  if (!log || log.address.toLowerCase() !== d.tokenContract) return 'transfer log not found';
  if (log.args.to.toLowerCase() !== d.address) return `log pays ${log.args.to}, not ${d.address}`;
  if (log.args.value !== d.chainAmount)
    return `value ${log.args.value} on chain, ${d.chainAmount} recorded`;
  return null;
}

export const depositsOnChain: FundingCheck = async ({ asset, chain, client, repo }) => {
  const credited = repo
    .depositsByStatus(chain.chainId, 'credited')
    .filter((d) => d.asset === asset.asset);
  const out: ReconcileCheck[] = [];
  for (const d of credited) {
    const problem = await depositMismatch(client, d);
    if (problem) {
      out.push({
        check: 'deposits_on_chain',
        asset: asset.asset,
        ok: false,
        message: `deposit ${d.id} (${d.txHash}:${d.logIndex}): ${problem}`,
        figures: { depositId: String(d.id), txHash: d.txHash, recorded: d.chainAmount.toString() },
      });
    }
  }
  out.unshift({
    check: 'deposits_on_chain',
    asset: asset.asset,
    ok: out.length === 0,
    message:
      out.length === 0
        ? `${credited.length} credited deposit(s) found on chain as recorded`
        : `${out.length} of ${credited.length} credited deposit(s) do not match the chain`,
    figures: { credited: String(credited.length), mismatches: String(out.length) },
  });
  return out;
};

async function balanceOf(
  client: ChainClient,
  asset: AssetFundingRow,
  who: string,
): Promise<bigint> {
  if (asset.tokenContract === null) return client.getBalance({ address: who as Address });
  return client.readContract({
    address: asset.tokenContract as Address,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [who as Address],
  });
}

export const custodyCoversLedger: FundingCheck = async (c) => {
  const { asset, chain, client, repo, scale } = c;
  const addresses = [...repo.watched(chain.chainId).keys()];
  let deposits = 0n;
  for (let i = 0; i < addresses.length; i += 50) {
    const part = await Promise.all(
      addresses.slice(i, i + 50).map((a) => balanceOf(client, asset, a)),
    );
    for (const b of part) deposits += b;
  }
  const hot = chain.hotWalletAddress ? await balanceOf(client, asset, chain.hotWalletAddress) : 0n;
  const custody = deposits + hot;
  const owed = ledgerToChain(c.owedToUsers, asset.tokenDecimals, scale);
  const diff = custody - owed;
  const fmt = (v: bigint) => formatDecimalTrimmed(v, asset.tokenDecimals);
  return [
    {
      check: 'custody_covers_ledger',
      asset: asset.asset,
      ok: diff >= 0n,
      message:
        diff >= 0n
          ? `custody ${fmt(custody)} covers the ${fmt(owed)} owed to users (surplus ${fmt(diff)})`
          : `SHORTFALL: custody ${fmt(custody)} is ${fmt(-diff)} below the ${fmt(owed)} owed to users`,
      figures: {
        depositAddresses: fmt(deposits),
        addressCount: String(addresses.length),
        hotWallet: fmt(hot),
        custody: fmt(custody),
        owedToUsers: formatDecimalTrimmed(c.owedToUsers, scale),
        frozen: formatDecimalTrimmed(c.frozen, scale),
        [diff >= 0n ? 'surplus' : 'shortfall']: fmt(diff >= 0n ? diff : -diff),
      },
    },
  ];
};

/** The checks run for every chain asset, in order; the withdrawal side appends its own. */
export const FUNDING_CHECKS: FundingCheck[] = [depositsOnChain, custodyCoversLedger];
