/**
 * The hot wallet's side of the chain: address checks, key import, signing a transfer with a
 * local key (never the node's), sending raw bytes and reading back where a transaction is.
 * Everything Bourse sends leaves through here, so a transaction is always signed first and
 * its bytes can be stored before they reach the node (see features/withdrawals/broadcast.ts).
 */
import {
  encodeFunctionData,
  erc20Abi,
  getAddress,
  isAddress,
  keccak256,
  type Address,
  type Hex,
} from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { AppError } from '../../../src-shared/contract';
import type { ChainClient } from './client';

/**
 * An address in its EIP-55 checksummed form. All-lower or all-upper case hex is accepted
 * (no checksum to check); a mixed-case address must carry a correct checksum.
 */
export function checksumAddress(input: string): string {
  const text = input.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new AppError(
      'address_invalid',
      'An address is 0x followed by 40 hexadecimal characters',
      { field: 'address' },
    );
  }
  const body = text.slice(2);
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && !isAddress(text, { strict: true })) {
    throw new AppError(
      'address_checksum',
      'This address has a wrong checksum (its upper/lower case letters do not match): check it was copied whole',
      { field: 'address' },
    );
  }
  return getAddress(text.toLowerCase());
}

/** A hot wallet key as an admin gives it: a raw private key, or a BIP-39 mnemonic and path. */
export type HotWalletKeyInput = { privateKey: string } | { mnemonic: string; path?: string };

/** The default derivation of the hot wallet from a mnemonic: account 1, as the notes use. */
export const DEFAULT_HOT_WALLET_PATH = "m/44'/60'/1'/0/0";

/** The private key (0x hex) and address of a hot wallet key input; refuses a malformed one. */
export function importHotWalletKey(input: HotWalletKeyInput): { privateKey: Hex; address: string } {
  try {
    if ('privateKey' in input) {
      const key = (
        input.privateKey.trim().startsWith('0x')
          ? input.privateKey.trim()
          : `0x${input.privateKey.trim()}`
      ) as Hex;
      if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error('bad key');
      return { privateKey: key, address: privateKeyToAccount(key).address };
    }
    const path = (input.path ?? DEFAULT_HOT_WALLET_PATH) as `m/44'/60'/${string}`;
    const account = mnemonicToAccount(input.mnemonic.trim().replace(/\s+/g, ' '), { path });
    const bytes = account.getHdKey().privateKey;
    if (!bytes) throw new Error('no key');
    const privateKey = `0x${Buffer.from(bytes).toString('hex')}` as Hex;
    return { privateKey, address: account.address };
  } catch {
    // Never echo the input: it is the key.
    throw new AppError(
      'invalid_key',
      'That is not a valid private key (64 hex characters) or BIP-39 mnemonic and path',
    );
  }
}

/** What to send: native coin (`token` null) or an ERC-20 `transfer`, in on-chain units. */
export interface TransferRequest {
  chainId: number;
  nonce: number;
  to: string;
  amount: bigint;
  token: string | null;
}

/** Gas settings read from the node before signing. */
export interface GasQuote {
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/**
 * Gas for a transfer from `from`: the node's estimate (a token transfer's cost depends on the
 * contract) with 20 % headroom, and EIP-1559 fees from the node.
 */
export async function quoteGas(
  client: ChainClient,
  from: string,
  req: Omit<TransferRequest, 'nonce' | 'chainId'>,
): Promise<GasQuote> {
  const call = transferCall(req);
  const [estimate, fees] = await Promise.all([
    client.estimateGas({
      account: from as Address,
      to: call.to,
      value: call.value,
      data: call.data,
    }),
    client.estimateFeesPerGas(),
  ]);
  return {
    gas: (estimate * 12n) / 10n,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  };
}

function transferCall(req: Omit<TransferRequest, 'nonce' | 'chainId'>): {
  to: Address;
  value: bigint;
  data?: Hex;
} {
  if (req.token === null) return { to: getAddress(req.to), value: req.amount };
  return {
    to: getAddress(req.token),
    value: 0n,
    data: encodeFunctionData({
      abi: erc20Abi,
      functionName: 'transfer',
      args: [getAddress(req.to), req.amount],
    }),
  };
}

/** Signs locally: the raw EIP-1559 transaction and its hash, nothing sent. */
export async function signTransfer(
  privateKey: Hex,
  req: TransferRequest,
  gas: GasQuote,
): Promise<{ raw: Hex; hash: Hex; from: string }> {
  const account = privateKeyToAccount(privateKey);
  const call = transferCall(req);
  const raw = await account.signTransaction({
    type: 'eip1559',
    chainId: req.chainId,
    nonce: req.nonce,
    to: call.to,
    value: call.value,
    data: call.data,
    gas: gas.gas,
    maxFeePerGas: gas.maxFeePerGas,
    maxPriorityFeePerGas: gas.maxPriorityFeePerGas,
  });
  return { raw, hash: keccak256(raw), from: account.address };
}

/** Node answers to a re-sent transaction that mean it is (or was) already there. */
const ALREADY_THERE = /already known|known transaction|nonce too low|already imported|already in/i;

/**
 * Sends the stored bytes. "Already known" or "nonce too low" on a re-send means the same bytes
 * are in the pool or mined (our nonce is ours alone), so they count as sent.
 */
export async function sendRaw(client: ChainClient, raw: Hex): Promise<'sent' | 'already'> {
  try {
    await client.sendRawTransaction({ serializedTransaction: raw });
    return 'sent';
  } catch (e) {
    const text =
      e instanceof Error
        ? `${e.message} ${String((e as { details?: unknown }).details ?? '')}`
        : String(e);
    if (ALREADY_THERE.test(text)) return 'already';
    throw e;
  }
}

/** Where a transaction is now, as the node says. */
export type TxWhereabouts =
  | { state: 'mined'; blockNumber: bigint; blockHash: Hex; success: boolean; confirmations: number }
  | { state: 'pending' }
  | { state: 'missing' };

/** Receipt (mined, with confirmations against the head), else pool (pending), else missing. */
export async function locate(client: ChainClient, hash: Hex): Promise<TxWhereabouts> {
  const receipt = await client.getTransactionReceipt({ hash }).catch(() => null);
  if (receipt) {
    const head = await client.getBlockNumber({ cacheTime: 0 });
    return {
      state: 'mined',
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
      success: receipt.status === 'success',
      confirmations: Number(head - receipt.blockNumber + 1n),
    };
  }
  const tx = await client.getTransaction({ hash }).catch(() => null);
  return tx ? { state: 'pending' } : { state: 'missing' };
}

/** The next nonce the node counts for `address` (pending included): the start of our own count. */
export async function chainNonce(client: ChainClient, address: string): Promise<number> {
  return client.getTransactionCount({ address: getAddress(address), blockTag: 'pending' });
}
