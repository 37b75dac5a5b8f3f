import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther, type Address } from 'viem';
import { startLocalChain, type LocalChain } from '../../fakes/chain/local-chain';
import { startTestBackend, tempDataDir } from '../../helpers/backend';
import { admin, ensureUser, trader } from '../../helpers/exchange';
import { setUpFunding } from './setup';

const CHILD = path.join(__dirname, 'crash-child.ts');

/** Runs the child backend until it reports that it is inside the credit, then SIGKILLs it. */
function killMidCredit(dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('mid-credit\n')) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited with ${code}: ${out} ${err.slice(-2000)}`));
    });
  });
}

describe('deposit crash safety', () => {
  let chain: LocalChain;
  const dataDir = tempDataDir('bourse-deposit-crash-');
  // The RPC URL must survive the restarts: a secrets file in the data directory.
  const config = { dataDir, secrets: 'plaintext-file' as const };

  beforeAll(async () => {
    chain = await startLocalChain({ http: true });
  });
  afterAll(async () => {
    await chain.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('credits exactly once after a SIGKILL inside the credit transaction', async () => {
    const setup = await startTestBackend(config);
    ensureUser(setup, 'alice');
    await setUpFunding(setup, chain);
    const { address } = (await setup.invoke(
      'funding.depositAddress',
      { asset: 'ETH' },
      trader('alice'),
    )) as {
      address: Address;
    };
    const wallet = chain.wallet(chain.accounts[1]!);
    for (const eth of ['1', '0.25']) {
      const hash = await wallet.sendTransaction({ to: address, value: parseEther(eth) });
      await chain.publicClient.waitForTransactionReceipt({ hash });
    }
    await chain.mine(3);
    await setup.close();

    await killMidCredit(dataDir);

    const backend = await startTestBackend(config);
    try {
      const sqlite = backend.store.sqlite;
      const credits = () =>
        sqlite
          .prepare("SELECT ref_id AS refId FROM ledger_entries WHERE kind = 'deposit' ORDER BY id")
          .all();
      // The killed transaction left nothing: both deposits pending, no entry, no balance.
      expect(credits()).toEqual([]);
      const statuses = () =>
        (
          sqlite.prepare('SELECT status FROM deposits ORDER BY id').all() as Array<{
            status: string;
          }>
        ).map((r) => r.status);
      expect(statuses()).toEqual(['pending', 'pending']);
      expect(backend.features.exchange.holdings('alice', 'ETH').available).toBe(0n);

      await backend.features.funding.pollAll();
      await backend.features.funding.pollAll();
      expect(statuses()).toEqual(['credited', 'credited']);
      expect(credits()).toHaveLength(2);
      expect(backend.features.exchange.holdings('alice', 'ETH').available).toBe(125_000_000n);
      const ledger = (await backend.invoke('admin.ledger.reconcile', {}, admin())) as {
        ok: boolean;
      };
      expect(ledger.ok).toBe(true);
    } finally {
      await backend.close();
    }
  }, 60_000);
});
