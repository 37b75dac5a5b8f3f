import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther, type Address } from 'viem';
import { startLocalChain, type LocalChain } from '../../fakes/chain/local-chain';
import { TEST_TOKEN_ABI } from '../../fakes/chain/test-token';

/** The chain harness the funding tests stand on: a real EVM, valid hash chains, reorgs. */
describe('local chain harness', () => {
  let chain: LocalChain;
  beforeAll(async () => {
    chain = await startLocalChain({ http: true });
  });
  afterAll(async () => chain.close());

  it('moves ETH and tokens, and serves JSON-RPC on 127.0.0.1', async () => {
    const [funder, other] = chain.accounts as [
      (typeof chain.accounts)[0],
      (typeof chain.accounts)[0],
    ];
    const token: Address = await chain.deployToken({
      name: 'Test USD',
      symbol: 'TUSD',
      decimals: 6,
      supply: 10n ** 12n,
    });
    const wallet = chain.wallet(funder);
    const tx = await wallet.writeContract({
      address: token,
      abi: TEST_TOKEN_ABI,
      functionName: 'transfer',
      args: [other.address, 5_000_000n],
    });
    await chain.publicClient.waitForTransactionReceipt({ hash: tx });
    const balance = await chain.publicClient.readContract({
      address: token,
      abi: TEST_TOKEN_ABI,
      functionName: 'balanceOf',
      args: [other.address],
    });
    expect(balance).toBe(5_000_000n);
    await wallet.sendTransaction({ to: other.address, value: parseEther('1') });
    const res = await fetch(chain.rpcUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'eth_getBalance',
        params: [other.address, 'latest'],
      }),
    });
    const body = (await res.json()) as { id: number; result: string };
    expect(body.id).toBe(7);
    expect(BigInt(body.result)).toBe(parseEther('10001'));
  });

  it('mines valid parent-hash chains and reverts to a snapshot', async () => {
    const start = await chain.publicClient.getBlockNumber();
    const snap = await chain.snapshot();
    await chain.mine(15);
    for (let n = start + 1n; n <= start + 15n; n++) {
      const [block, parent] = await Promise.all([
        chain.publicClient.getBlock({ blockNumber: n }),
        chain.publicClient.getBlock({ blockNumber: n - 1n }),
      ]);
      expect(block.parentHash).toBe(parent.hash);
    }
    await chain.revert(snap);
    expect(await chain.publicClient.getBlockNumber()).toBe(start);
  });
});
