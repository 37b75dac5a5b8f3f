import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erc20Abi, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startLocalChain, type LocalChain } from '../../fakes/chain/local-chain';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { admin, fund } from '../../helpers/exchange';
import { configureChain, cooledAddress, requestWithdrawal } from '../../helpers/withdrawals';

let chain: LocalChain;
let backend: TestBackend;
let hotWallet: Address;
const USER = 'alice';

const hexKey = (bytes: Uint8Array): Hex => `0x${Buffer.from(bytes).toString('hex')}`;
const fresh = () => privateKeyToAccount(generatePrivateKey()).address;
const broadcaster = () => backend.features.withdrawals.broadcaster;
const row = (id: string) =>
  backend.store.sqlite.prepare('SELECT * FROM withdrawals WHERE id = ?').get(id) as {
    status: string;
    tx_hash: string;
    nonce: number;
    confirmations: number;
    broadcasts: number;
  };

beforeAll(async () => {
  chain = await startLocalChain({ http: true });
  const hot = chain.accounts[1]!;
  hotWallet = hot.address;
  backend = await startTestBackend();
  // ETH: fee 0.001 ETH, 2 confirmations, auto-approved up to 1 ETH.
  await configureChain(backend, {
    rpcUrl: chain.rpcUrl!,
    hotWalletKey: hexKey(hot.getHdKey().privateKey!),
    hotWalletAddress: hot.address,
    confirmations: 2,
    autoApproveLimit: 100_000_000,
  });
  await fund(backend, USER, 'ETH', '10');
});
afterAll(async () => {
  await backend.cleanup();
  await chain.close();
});

describe('broadcast and tracking on a real local chain', () => {
  it('signs, persists, sends, waits for 2 confirmations, then settles to external and fees', async () => {
    const to = fresh();
    const w = await requestWithdrawal(backend, USER, {
      addressId: cooledAddress(backend, USER, to),
      amount: '0.5',
    });
    const nonceBefore = await chain.publicClient.getTransactionCount({ address: hotWallet });
    await broadcaster().runOnce();
    // Mined at once (automine): 1 of 2 confirmations.
    expect(row(w.id)).toMatchObject({
      status: 'mined',
      confirmations: 1,
      nonce: nonceBefore,
      broadcasts: 1,
    });
    await chain.mine(1);
    expect(await broadcaster().runOnce()).toEqual({ signed: 0, settled: 1 });
    expect(row(w.id).status).toBe('confirmed');
    expect(await chain.publicClient.getBalance({ address: to })).toBe(5n * 10n ** 17n);

    const ex = backend.features.exchange;
    // 10 − 0.501 ETH, nothing held; 0.5 left to the world, 0.001 to the fee account.
    expect(ex.holdings(USER, 'ETH')).toEqual({ available: 949_900_000n, held: 0n });
    expect(ex.holdings('system:fees', 'ETH').available).toBe(100_000n);
    expect(ex.holdings('system:external', 'ETH').available).toBe(-1_000_000_000n + 50_000_000n);
    const report = await backend.invoke('admin.ledger.reconcile', {}, admin());
    expect(report).toMatchObject({ ok: true });
    const actions = backend.store.sqlite
      .prepare('SELECT action FROM audit_events WHERE target = ? ORDER BY id')
      .all(w.id)
      .map((r) => (r as { action: string }).action);
    expect(actions).toEqual([
      'withdrawal.request',
      'withdrawal.sign',
      'withdrawal.send',
      'withdrawal.settle',
    ]);
    // A settled withdrawal is never touched again.
    await chain.mine(3);
    expect(await broadcaster().runOnce()).toEqual({ signed: 0, settled: 0 });
  });

  it('funding reconciliation finds each settled withdrawal on chain, and names one that differs', async () => {
    type Check = { check: string; asset: string; ok: boolean; message: string };
    const run = async () =>
      (await backend.invoke('admin.funding.reconcile', {}, admin())) as {
        ok: boolean;
        checks: Check[];
      };
    const settled = () =>
      backend.store.sqlite
        .prepare("SELECT id, chain_amount FROM withdrawals WHERE status = 'confirmed' LIMIT 1")
        .get() as { id: string; chain_amount: string };
    const w = settled();
    const good = await run();
    const summary = good.checks.find(
      (c) => c.check === 'withdrawals_on_chain' && c.asset === 'ETH',
    );
    expect(summary).toMatchObject({ ok: true });
    expect(summary!.message).toMatch(/settled withdrawal\(s\) found on chain as recorded/);
    expect(good.ok).toBe(true);
    // The record says more was sent than the chain shows: reconciliation names it.
    const put = backend.store.sqlite.prepare(
      'UPDATE withdrawals SET chain_amount = ? WHERE id = ?',
    );
    put.run(String(BigInt(w.chain_amount) + 1n), w.id);
    try {
      const bad = await run();
      expect(bad.ok).toBe(false);
      const named = bad.checks.find(
        (c) => c.check === 'withdrawals_on_chain' && !c.ok && c.message.includes(w.id),
      );
      expect(named?.message).toMatch(/on chain, \d+ recorded/);
    } finally {
      put.run(w.chain_amount, w.id);
    }
  });

  it('sends an ERC-20 with transfer() in the token units', async () => {
    const token = await chain.deployToken({
      name: 'Test USD',
      symbol: 'TUSD',
      decimals: 6,
      supply: 10n ** 15n,
    });
    const seed = chain.wallet(chain.accounts[0]!);
    await seed.writeContract({
      address: token,
      abi: erc20Abi,
      functionName: 'transfer',
      args: [hotWallet, 10n ** 12n],
    });
    await configureChain(backend, {
      asset: 'USDT',
      tokenContract: token.toLowerCase(),
      tokenDecimals: 6,
      rpcUrl: chain.rpcUrl!,
      hotWalletKey: hexKey(chain.accounts[1]!.getHdKey().privateKey!),
      hotWalletAddress: hotWallet,
      confirmations: 1,
      fee: 1_000_000,
      min: 1_000_000,
      autoApproveLimit: 1_000_000_000,
    });
    await fund(backend, USER, 'USDT', '100');
    const to = fresh();
    const w = await requestWithdrawal(backend, USER, {
      asset: 'USDT',
      addressId: cooledAddress(backend, USER, to),
      amount: '25.5',
    });
    await broadcaster().runOnce();
    expect(row(w.id).status).toBe('confirmed');
    const got = await chain.publicClient.readContract({
      address: token,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [to],
    });
    expect(got).toBe(25_500_000n);
    expect(backend.features.exchange.holdings(USER, 'USDT')).toEqual({
      available: 73_500_000n,
      held: 0n,
    });
  });

  it('sends the same bytes again when a reorg drops the block the transaction was in', async () => {
    const to = fresh();
    const w = await requestWithdrawal(backend, USER, {
      addressId: cooledAddress(backend, USER, to),
      amount: '0.25',
    });
    const snap = await chain.snapshot();
    await broadcaster().runOnce();
    const first = row(w.id);
    expect(first.status).toBe('mined');
    await chain.revert(snap); // the block is gone, and the transaction with it
    await chain.mine(2); // a longer fork without it
    expect(
      await chain.publicClient
        .getTransactionReceipt({ hash: first.tx_hash as Hex })
        .catch(() => null),
    ).toBeNull();
    await broadcaster().runOnce();
    const again = row(w.id);
    expect(again).toMatchObject({ tx_hash: first.tx_hash, nonce: first.nonce, broadcasts: 2 });
    await chain.mine(1);
    await broadcaster().runOnce();
    await broadcaster().runOnce();
    expect(row(w.id).status).toBe('confirmed');
    expect(await chain.publicClient.getBalance({ address: to })).toBe(25n * 10n ** 16n);
  });

  it('sends the same bytes again when the node loses a pending transaction', async () => {
    const to = fresh();
    const w = await requestWithdrawal(backend, USER, {
      addressId: cooledAddress(backend, USER, to),
      amount: '0.1',
    });
    await chain.provider.request({ method: 'evm_setAutomine', params: [false] });
    try {
      await broadcaster().runOnce();
      const sent = row(w.id);
      expect(sent.status).toBe('sent');
      const dropped = await chain.provider.request({
        method: 'hardhat_dropTransaction',
        params: [sent.tx_hash],
      });
      expect(dropped).toBe(true);
      await broadcaster().runOnce();
      expect(row(w.id)).toMatchObject({ status: 'sent', tx_hash: sent.tx_hash, broadcasts: 2 });
    } finally {
      await chain.provider.request({ method: 'evm_setAutomine', params: [true] });
    }
    await chain.mine(2);
    await broadcaster().runOnce();
    expect(row(w.id).status).toBe('confirmed');
    expect(await chain.publicClient.getBalance({ address: to })).toBe(10n ** 17n);
  });

  it('keeps a withdrawal the hot wallet cannot pay approved, sends the others, and reports it', async () => {
    // A token the hot wallet does not hold yet, mapped to EUR (ledger scale 2, 6 on chain).
    const token = await chain.deployToken({
      name: 'Euro T',
      symbol: 'EURT',
      decimals: 6,
      supply: 10n ** 15n,
    });
    await configureChain(backend, {
      asset: 'EUR',
      tokenContract: token.toLowerCase(),
      tokenDecimals: 6,
      rpcUrl: chain.rpcUrl!,
      hotWalletKey: hexKey(chain.accounts[1]!.getHdKey().privateKey!),
      hotWalletAddress: hotWallet,
      confirmations: 1,
      fee: 0,
      min: 100,
      autoApproveLimit: 1_000_000,
    });
    await fund(backend, USER, 'EUR', '100');
    const eurTo = fresh();
    const eur = await requestWithdrawal(backend, USER, {
      asset: 'EUR',
      addressId: cooledAddress(backend, USER, eurTo),
      amount: '10',
    });
    const ethTo = fresh();
    const eth = await requestWithdrawal(backend, USER, {
      addressId: cooledAddress(backend, USER, ethTo),
      amount: '0.01',
    });
    // A run started by the first request may not have seen the second: run until it has.
    for (let i = 0; i < 3 && row(eth.id).status === 'approved'; i++) {
      await expect(broadcaster().runOnce()).rejects.toThrow(/1 withdrawal step\(s\) failed: sign/);
    }
    expect(row(eur.id).status).toBe('approved');
    expect(row(eth.id).status).toBe('mined');
    // Once the hot wallet holds the token, the next run sends it.
    const seed = chain.wallet(chain.accounts[0]!);
    await seed.writeContract({
      address: token,
      abi: erc20Abi,
      functionName: 'transfer',
      args: [hotWallet, 10n ** 9n],
    });
    await broadcaster().runOnce();
    expect(row(eur.id).status).toBe('confirmed');
    expect(
      await chain.publicClient.readContract({
        address: token,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [eurTo],
      }),
    ).toBe(10_000_000n);
  });
});
