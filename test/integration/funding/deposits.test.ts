import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther, type Address } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { startLocalChain, LOCAL_CHAIN_ID, type LocalChain } from '../../fakes/chain/local-chain';
import { TEST_TOKEN_ABI } from '../../fakes/chain/test-token';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { admin, ensureUser, trader } from '../../helpers/exchange';
import { DEPOSIT_MNEMONIC, setUpFunding, type DepositOut } from './setup';
import type { Published } from '../../../src-main/events/hub';

/** Deposits end to end against a real local chain: addresses, confirmations, credits, reorgs. */
describe('deposits', () => {
  let chain: LocalChain;
  let backend: TestBackend;
  let token: Address;
  let alice: Address;
  let bob: Address;
  const events: Published[] = [];

  const poll = () => backend.features.funding.pollAll();
  const depositsOf = async (user: string) =>
    ((await backend.invoke('funding.deposits', {}, trader(user))) as { items: DepositOut[] }).items;
  const balance = async (user: string, asset: string) => {
    const r = (await backend.invoke('balances.get', {}, trader(user))) as {
      items: Array<{ asset: string; available: string }>;
    };
    // Trailing zeros dropped: '1.23456789', '250.5', '0'.
    const text = r.items.find((b) => b.asset === asset)?.available ?? '0';
    return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  };
  const sendEth = async (to: Address, eth: string) => {
    const hash = await chain
      .wallet(chain.accounts[1]!)
      .sendTransaction({ to, value: parseEther(eth) });
    return (await chain.publicClient.waitForTransactionReceipt({ hash })).transactionHash;
  };
  const sendToken = async (to: Address, units: bigint) => {
    const hash = await chain.wallet(chain.accounts[0]!).writeContract({
      address: token,
      abi: TEST_TOKEN_ABI,
      functionName: 'transfer',
      args: [to, units],
    });
    return (await chain.publicClient.waitForTransactionReceipt({ hash })).transactionHash;
  };

  beforeAll(async () => {
    chain = await startLocalChain({ http: true });
    token = await chain.deployToken({
      name: 'Test USD',
      symbol: 'TUSD',
      decimals: 6,
      supply: 10n ** 15n,
    });
    backend = await startTestBackend();
    backend.hub.subscribe(
      (m) => events.push(m),
      (s) => s === 'deposits',
    );
    for (const u of ['alice', 'bob', 'carol']) ensureUser(backend, u);
    await setUpFunding(backend, chain, { token });
  });
  afterAll(async () => {
    await backend.cleanup();
    await chain.close();
  });

  it('gives each user one address per chain, derived watch-only and checksummed', async () => {
    const a = (await backend.invoke(
      'funding.depositAddress',
      { asset: 'ETH' },
      trader('alice'),
    )) as {
      address: Address;
      confirmations: number;
      chainId: number;
    };
    const again = (await backend.invoke(
      'funding.depositAddress',
      { asset: 'USDT' },
      trader('alice'),
    )) as {
      address: Address;
      tokenContract: string;
    };
    const b = (await backend.invoke('funding.depositAddress', { asset: 'ETH' }, trader('bob'))) as {
      address: Address;
    };
    expect(a.address).toBe(mnemonicToAccount(DEPOSIT_MNEMONIC, { addressIndex: 0 }).address);
    expect(b.address).toBe(mnemonicToAccount(DEPOSIT_MNEMONIC, { addressIndex: 1 }).address);
    expect(again.address).toBe(a.address); // same chain, same address, whatever the asset
    expect(again.tokenContract.toLowerCase()).toBe(token.toLowerCase());
    expect(a).toMatchObject({ chainId: LOCAL_CHAIN_ID, confirmations: 3 });
    alice = a.address;
    bob = b.address;
  });

  it('credits ETH and a token after 3 confirmations, exactly once, keeping the remainder', async () => {
    const ethTx = await sendEth(alice, '1.234567891234567891');
    const tokenTx = await sendToken(bob, 250_500_000n);
    await poll();
    // Both mined in their own block; the token's block is the newest: 1 confirmation, ETH's 2.
    const [eth] = await depositsOf('alice');
    const [tusd] = await depositsOf('bob');
    expect(eth).toMatchObject({
      txHash: ethTx,
      status: 'pending',
      confirmations: 2,
      confirmationsNeeded: 3,
    });
    expect(tusd).toMatchObject({ txHash: tokenTx, status: 'pending', confirmations: 1 });
    expect(eth!.amount).toBe('1.23456789');
    expect(eth!.remainder).toBe('0.000000001234567891');
    expect(await balance('alice', 'ETH')).toBe('0');

    await chain.mine(1);
    await poll();
    expect((await depositsOf('alice'))[0]).toMatchObject({ status: 'credited', confirmations: 3 });
    expect((await depositsOf('bob'))[0]).toMatchObject({ status: 'pending', confirmations: 2 });
    expect(await balance('alice', 'ETH')).toBe('1.23456789');

    await chain.mine(1);
    await poll();
    await poll(); // a second poll with nothing new credits nothing again
    expect((await depositsOf('bob'))[0]).toMatchObject({ status: 'credited', amount: '250.5' });
    expect(await balance('bob', 'USDT')).toBe('250.5');
    expect(await balance('alice', 'ETH')).toBe('1.23456789');
    // The Wallet hears each step on the user's own stream.
    const aliceEvents = events.filter(
      (e) => e.audience.kind === 'user' && e.audience.userId === 'alice',
    );
    const statuses = aliceEvents.map((e) => (e.data as DepositOut).status);
    expect(statuses).toContain('pending');
    expect(statuses[statuses.length - 1]).toBe('credited');
    // The admin list names each depositor by email, not only by id.
    const all = (await backend.invoke('admin.funding.deposits', {}, admin())) as {
      items: Array<{ txHash: string; userId: string; userEmail: string | null }>;
    };
    expect(all.items.find((d) => d.txHash === ethTx)).toMatchObject({
      userId: 'alice',
      userEmail: 'alice@fixture.invalid',
    });
    expect(all.items.find((d) => d.txHash === tokenTx)?.userEmail).toBe('bob@fixture.invalid');
  });

  it('credits nothing again when the whole range is rescanned from the start', async () => {
    const sqlite = backend.store.sqlite;
    const entries = () =>
      (
        sqlite
          .prepare("SELECT count(*) AS n FROM ledger_entries WHERE ref_type = 'deposit'")
          .get() as { n: number }
      ).n;
    const before = entries();
    sqlite.prepare('DELETE FROM chain_cursors').run();
    sqlite.prepare('DELETE FROM chain_blocks').run();
    const { start } = { start: 1 };
    sqlite
      .prepare(
        'INSERT INTO chain_cursors (chain_id, block_number, block_hash, ts_updated) VALUES (?, ?, NULL, 0)',
      )
      .run(LOCAL_CHAIN_ID, start);
    await poll();
    expect(entries()).toBe(before);
    expect(await balance('alice', 'ETH')).toBe('1.23456789');
  });

  it('orphans a pending deposit on a same-height reorg, and credits it once when re-mined', async () => {
    const snap = await chain.snapshot();
    const wallet = chain.wallet(chain.accounts[2]!);
    const request = await wallet.prepareTransactionRequest({ to: alice, value: parseEther('0.5') });
    const raw = await wallet.signTransaction(request);
    const hash = await chain.publicClient.sendRawTransaction({ serializedTransaction: raw });
    await poll();
    expect((await depositsOf('alice'))[0]).toMatchObject({ txHash: hash, status: 'pending' });
    await chain.revert(snap);
    await chain.mine(1); // another block at the same height: the deposit's block is gone
    await poll();
    expect((await depositsOf('alice'))[0]).toMatchObject({ txHash: hash, status: 'orphaned' });
    await chain.mine(5);
    await poll();
    expect((await depositsOf('alice'))[0]!.status).toBe('orphaned');
    expect(await balance('alice', 'ETH')).toBe('1.23456789');

    // The same signed transaction is mined on the new chain: same hash, new block.
    await chain.publicClient.sendRawTransaction({ serializedTransaction: raw });
    await chain.mine(2);
    await poll();
    await poll();
    const mine = (await depositsOf('alice')).filter((d) => d.txHash === hash);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: 'credited', amount: '0.5' });
    expect(await balance('alice', 'ETH')).toBe('1.73456789');
  });

  it('reverses a credited deposit whose block leaves the chain: alarm, audit, amount frozen', async () => {
    const snap = await chain.snapshot();
    await sendEth(bob, '2');
    await chain.mine(2);
    await poll();
    expect((await depositsOf('bob'))[0]).toMatchObject({ status: 'credited', amount: '2' });
    // Bob spends 0.5 of it before the reorg (an admin debit stands for a trade or withdrawal).
    await backend.invoke(
      'admin.ledger.fund',
      { userId: 'bob', asset: 'ETH', amount: '0.5', direction: 'debit', reason: 'spent' },
      admin(),
    );
    await chain.revert(snap);
    await chain.mine(2); // a shorter new fork
    await poll();
    const [d] = await depositsOf('bob');
    expect(d).toMatchObject({
      status: 'reversed',
      note: 'reorg_after_credit',
      frozen: '1.5',
      confirmations: 0,
    });
    expect(await balance('bob', 'ETH')).toBe('0');
    const frozen = backend.features.exchange.holdings('system:frozen', 'ETH');
    expect(frozen.available).toBe(150_000_000n);
    const alarms = backend.store.sqlite
      .prepare(
        "SELECT user_id AS userId, title FROM notifications WHERE kind = 'funding.deposit_reversed'",
      )
      .all() as Array<{ userId: string | null; title: string }>;
    expect(alarms.map((a) => a.userId).sort()).toEqual(['bob', null]);
    const audit = backend.store.sqlite
      .prepare("SELECT target, details FROM audit_events WHERE action = 'funding.depositReversed'")
      .get() as { target: string; details: string };
    expect(audit.target).toBe('bob');
    expect(JSON.parse(audit.details)).toMatchObject({ frozen: '150000000', shortfall: '50000000' });
  });

  it('lets an admin release or write off a frozen deposit, once', async () => {
    const [d] = await depositsOf('bob');
    const resolve = (action: string) =>
      backend.invoke(
        'admin.funding.depositResolve',
        { id: d!.id, action, reason: 'reviewed' },
        admin(),
      );
    await expect(
      backend.invoke(
        'admin.funding.depositResolve',
        { id: d!.id, action: 'release', reason: 'x' },
        trader('bob'),
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const out = (await resolve('write_off')) as DepositOut;
    expect(out).toMatchObject({ status: 'reversed', note: 'written_off' });
    expect(backend.features.exchange.holdings('system:frozen', 'ETH').available).toBe(0n);
    expect(await balance('bob', 'ETH')).toBe('0');
    await expect(resolve('release')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('records but does not credit a deposit of a switched-off asset', async () => {
    await backend.invoke(
      'admin.funding.assetSet',
      { asset: 'USDT', depositsEnabled: false },
      admin(),
    );
    await sendToken(bob, 1_000_000n);
    await chain.mine(3);
    await poll();
    expect(
      (await depositsOf('bob')).find((d) => d.asset === 'USDT' && d.amount === '1'),
    ).toMatchObject({
      status: 'not_credited',
      note: 'deposits_disabled',
    });
    expect(await balance('bob', 'USDT')).toBe('250.5');
    const assets = (await backend.invoke('funding.assets', {}, trader('bob'))) as {
      items: Array<{ asset: string; deposits: { enabled: boolean; reason: string | null } }>;
    };
    expect(assets.items.find((a) => a.asset === 'USDT')!.deposits).toEqual({
      enabled: false,
      reason: 'switched_off',
    });
    expect(assets.items.find((a) => a.asset === 'BTC')!.deposits).toEqual({
      enabled: false,
      reason: 'no_chain',
    });
    await expect(
      backend.invoke('funding.depositAddress', { asset: 'USDT' }, trader('carol')),
    ).rejects.toMatchObject({
      code: 'funding_unavailable',
    });
    await backend.invoke(
      'admin.funding.assetSet',
      { asset: 'USDT', depositsEnabled: true },
      admin(),
    );
  });

  it('reconciles credited deposits and custody against the ledger', async () => {
    type Report = {
      ok: boolean;
      checks: Array<{ check: string; asset: string; ok: boolean; figures: Record<string, string> }>;
    };
    const run = async () =>
      (await backend.invoke('admin.funding.reconcile', {}, admin())) as Report;
    const first = await run();
    const custody = (asset: string, r: Report) =>
      r.checks.find((c) => c.check === 'custody_covers_ledger' && c.asset === asset)!;
    // ETH: alice holds 1.73456789; bob 0 (his frozen 1.5 written off). On chain: 1.234567891234567891 + 0.5
    // at alice's address; bob's 2 ETH left with the reorg. Then carol's 5 is owed too:
    // 6.73456789 − 1.734567891234567891 = 4.999999998765432109 short.
    expect(custody('ETH', first).figures).toMatchObject({
      owedToUsers: '1.73456789',
      frozen: '0',
    });
    expect(custody('ETH', first).ok).toBe(true);
    expect(custody('USDT', first).figures).toMatchObject({
      custody: '251.5',
      owedToUsers: '250.5',
      surplus: '1',
    });
    expect(first.checks.filter((c) => c.check === 'deposits_on_chain').every((c) => c.ok)).toBe(
      true,
    );
    // Money that never came from the chain (an admin credit) shows as a shortfall.
    await backend.invoke(
      'admin.ledger.fund',
      { userId: 'carol', asset: 'ETH', amount: '5', direction: 'credit', reason: 'not on chain' },
      admin(),
    );
    const second = await run();
    expect(second.ok).toBe(false);
    expect(custody('ETH', second).ok).toBe(false);
    expect(custody('ETH', second).figures.shortfall).toBe('4.999999998765432109');
  });

  it('validates settings with clear errors, and shows the RPC host only', async () => {
    const set = (input: object) =>
      backend.invoke('admin.funding.assetSet', { asset: 'ETH', ...input }, admin());
    await expect(set({ dualApprovalLimit: '1', autoApproveLimit: '2' })).rejects.toMatchObject({
      code: 'invalid_limit',
    });
    await expect(
      set({ tokenContract: '0x5FbDB2315678afecb367f032d93F642f64180aA3', tokenDecimals: 18 }),
    ).rejects.toMatchObject({
      code: 'invalid_token_contract',
    });
    await expect(
      backend.invoke(
        'admin.funding.chainSet',
        { chainId: LOCAL_CHAIN_ID, xpub: 'xpub6' + 'a'.repeat(100) },
        admin(),
      ),
    ).rejects.toMatchObject({ code: 'invalid_xpub' });
    await backend.invoke(
      'admin.funding.chainSet',
      {
        chainId: 1,
        name: 'Mainnet',
        rpcUrl: 'https://eth.example.org/v2/SECRETKEY',
        enabled: false,
      },
      admin(),
    );
    const chains = (await backend.invoke('admin.funding.chains', {}, admin())) as {
      items: Array<{ chainId: number; rpcHost: string | null; addressesIssued: number }>;
    };
    expect(chains.items.find((c) => c.chainId === 1)!.rpcHost).toBe('https://eth.example.org');
    expect(JSON.stringify(chains)).not.toContain('SECRETKEY');
    expect(chains.items.find((c) => c.chainId === LOCAL_CHAIN_ID)!.addressesIssued).toBe(2);
    const test = (await backend.invoke(
      'admin.funding.chainTest',
      { chainId: LOCAL_CHAIN_ID },
      admin(),
    )) as {
      ok: boolean;
      chainId: number;
    };
    expect(test).toMatchObject({ ok: true, chainId: LOCAL_CHAIN_ID });
    await expect(backend.invoke('admin.funding.chains', {}, trader('alice'))).rejects.toMatchObject(
      {
        code: 'forbidden',
      },
    );
  });

  it('catches up 300 blocks in polls of 100 blocks, crediting every scattered deposit once', async () => {
    await backend.invoke(
      'admin.funding.chainSet',
      { chainId: LOCAL_CHAIN_ID, maxBlocksPerPoll: 100 },
      admin(),
    );
    const before = backend.features.exchange.holdings('carol', 'ETH').available;
    const { address } = (await backend.invoke(
      'funding.depositAddress',
      { asset: 'ETH' },
      trader('carol'),
    )) as {
      address: Address;
    };
    for (let i = 0; i < 10; i++) {
      await sendEth(address, '0.01');
      await chain.mine(29);
    }
    const reports = await poll();
    expect(reports[0]!.blocksScanned).toBeGreaterThanOrEqual(300);
    await poll();
    const carol = await depositsOf('carol');
    expect(carol).toHaveLength(10);
    expect(carol.every((d) => d.status === 'credited')).toBe(true);
    expect(backend.features.exchange.holdings('carol', 'ETH').available - before).toBe(10_000_000n);
  });
});
