// The chain side of bench:funding, in its own process so that its work does not count as the
// backend's event-loop stall: a local chain on 127.0.0.1 with `blocks` blocks, a deposit (ETH
// or the test token, alternating) every `every` blocks to the first `addresses` addresses of
// the deposit mnemonic. Prints `ready <json>` and serves until killed.
// Usage: tsx funding-chain.ts <blocks> <every> <addresses>
import { encodeFunctionData, parseEther } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { startLocalChain } from '../fakes/chain/local-chain';
import { TEST_TOKEN_ABI } from '../fakes/chain/test-token';
import { DEPOSIT_MNEMONIC } from '../integration/funding/setup';

const [blocks = 10_000, every = 5, count = 1_000] = process.argv.slice(2).map(Number);

async function main(): Promise<void> {
  const chain = await startLocalChain({ http: true });
  const token = await chain.deployToken({
    name: 'Test USD',
    symbol: 'TUSD',
    decimals: 6,
    supply: 10n ** 18n,
  });
  const to = Array.from(
    { length: count },
    (_, i) => mnemonicToAccount(DEPOSIT_MNEMONIC, { addressIndex: i }).address,
  );
  const start = Number(await chain.publicClient.getBlockNumber()) + 1;
  const sender = chain.wallet(chain.accounts[0]!);
  let deposits = 0;
  for (let b = 0; b < blocks; b++) {
    if (b % every === 0) {
      const address = to[deposits % count]!;
      // Automine: each transaction is its own block.
      if (deposits % 2 === 0)
        await sender.sendTransaction({ to: address, value: parseEther('0.01') });
      else {
        await sender.sendTransaction({
          to: token,
          data: encodeFunctionData({
            abi: TEST_TOKEN_ABI,
            functionName: 'transfer',
            args: [address, 1_000_000n],
          }),
        });
      }
      deposits++;
    } else await chain.mine(1);
  }
  const end = Number(await chain.publicClient.getBlockNumber());
  process.stdout.write(
    `ready ${JSON.stringify({ rpcUrl: chain.rpcUrl, token, start, end, deposits })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${String((e as Error).stack ?? e)}\n`);
  process.exit(2);
});
