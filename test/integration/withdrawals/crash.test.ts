import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startLocalChain, type LocalChain } from '../../fakes/chain/local-chain';
import { startTestBackend, tempDataDir } from '../../helpers/backend';
import { admin, fund } from '../../helpers/exchange';
import { configureChain, cooledAddress, requestWithdrawal } from '../../helpers/withdrawals';

const CHILD = path.join(__dirname, 'kill-child.ts');
const USER = 'alice';
const STEPS = ['signed', 'persisted', 'sent', 'settled'] as const;

let chain: LocalChain;
const dirs: string[] = [];

beforeAll(async () => {
  chain = await startLocalChain({ http: true, accounts: 1 + STEPS.length });
});
afterAll(async () => {
  await chain.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Runs a broadcast pass in a child backend and SIGKILLs it when it reports `step`. */
function killAt(dataDir: string, step: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, step], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`step ${step}\n`)) child.kill('SIGKILL');
      // The pass ended without reaching the step: a failure, not a hang.
      if (out.includes('done\n')) child.kill('SIGTERM');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else if (signal === 'SIGTERM') reject(new Error(`the pass never reached ${step}: ${out}`));
      else
        reject(
          new Error(
            `child ended with ${code ?? signal} before ${step}: ${out} ${err.slice(-2000)}`,
          ),
        );
    });
  });
}

describe('a backend killed during a withdrawal (SIGKILL)', () => {
  it.each(STEPS.map((s, i) => [s, i + 1] as const))(
    'after %s: nothing lost, exactly one transfer on chain, settled once',
    async (step, account) => {
      const dataDir = tempDataDir('bourse-wd-kill-');
      dirs.push(dataDir);
      const hot = chain.accounts[account]!;
      const to = privateKeyToAccount(generatePrivateKey()).address;
      const setup = await startTestBackend({ dataDir, secrets: 'plaintext-file' });
      await configureChain(setup, {
        rpcUrl: chain.rpcUrl!,
        hotWalletKey: `0x${Buffer.from(hot.getHdKey().privateKey!).toString('hex')}` as Hex,
        hotWalletAddress: hot.address,
        confirmations: 1,
        // Waits for an admin, so this process's broadcast job leaves it alone.
        autoApproveLimit: 0,
      });
      await fund(setup, USER, 'ETH', '2');
      const w = await requestWithdrawal(setup, USER, {
        addressId: cooledAddress(setup, USER, to),
        amount: '0.75',
      });
      // Approved behind the service's back (approvals have their own tests): nothing is
      // kicked, the child's pass is the first to see it.
      setup.store.sqlite
        .prepare("UPDATE withdrawals SET status = 'approved' WHERE id = ?")
        .run(w.id);
      await setup.close();

      await killAt(dataDir, step);

      const backend = await startTestBackend({ dataDir, secrets: 'plaintext-file' });
      try {
        const status = () =>
          (
            backend.store.sqlite
              .prepare('SELECT status FROM withdrawals WHERE id = ?')
              .get(w.id) as {
              status: string;
            }
          ).status;
        for (let i = 0; i < 3 && status() !== 'confirmed'; i++) {
          await backend.features.withdrawals.broadcaster.runOnce();
        }
        expect(status()).toBe('confirmed');
        // Exactly one transaction left the hot wallet, and the address got the amount once.
        expect(await chain.publicClient.getTransactionCount({ address: hot.address })).toBe(1);
        expect(await chain.publicClient.getBalance({ address: to })).toBe(75n * 10n ** 16n);
        // Settled once: 2 − 0.75 − 0.001 fee left, nothing held, the ledger reconciles.
        expect(backend.features.exchange.holdings(USER, 'ETH')).toEqual({
          available: 124_900_000n,
          held: 0n,
        });
        const settlements = backend.store.sqlite
          .prepare(
            "SELECT count(*) AS n FROM ledger_entries WHERE ref_id = ? AND reason = 'settle'",
          )
          .get(w.id) as { n: number };
        expect(settlements.n).toBe(1);
        expect(await backend.invoke('admin.ledger.reconcile', {}, admin())).toMatchObject({
          ok: true,
        });
      } finally {
        await backend.close();
      }
    },
    60_000,
  );
});
