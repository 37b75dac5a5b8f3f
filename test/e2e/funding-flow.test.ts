/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { LOCAL_CHAIN_ID, startLocalChain, type LocalChain } from '../fakes/chain/local-chain';
import { TEST_TOKEN_ABI } from '../fakes/chain/test-token';
import { createOwner, createUser, enableTwoFactor } from '../helpers/auth';
import type { TestBackend } from '../helpers/backend';
import {
  chromiumMissingReason,
  e2eFixture,
  expectLooksRight,
  newPage,
  screenshot,
  signInWithTotp,
} from '../helpers/browser';
import { admin, ensureUser, trader as principalOf } from '../helpers/exchange';
import { cooledAddress } from '../helpers/withdrawals';
import { DEPOSIT_XPUB } from '../integration/funding/setup';

const missing = chromiumMissingReason();
if (missing) console.warn(`skipping the funding flow test: ${missing}`);

/**
 * Issue #25's whole flow on a real local chain, every balance from the chain (no admin credit,
 * no demo funds, so reconciliation has nothing to forgive): a user copies their deposit address
 * and receives ETH and a token; the Wallet shows the confirmations, then the credits; the user
 * trades; withdraws to a cooled-off address with 2FA; an admin approves; the chain shows the
 * transfer, the ledger the settlement, and reconciliation with the chain passes.
 */
describe.skipIf(missing !== undefined)('funding end to end in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1400, height: 1000, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let chain: LocalChain;
  let token: Address;
  let traderId = '';
  let recovery = '';
  let traderSecret = '';
  let ownerSecret = '';
  const cold = privateKeyToAccount(generatePrivateKey()).address;

  const signIn = (p: Page, email: string, secret: string, route: string) =>
    signInWithTotp(p, { backend, url, email, secret, route });

  /** Sends `amount` (token units) of the test token from dev account 0. */
  async function sendToken(to: Address, amount: bigint) {
    const hash = await chain.wallet(chain.accounts[0]!).writeContract({
      address: token,
      abi: TEST_TOKEN_ABI,
      functionName: 'transfer',
      args: [to, amount],
    });
    await chain.publicClient.waitForTransactionReceipt({ hash });
  }

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    chain = await startLocalChain({ http: true });
    token = await chain.deployToken({
      name: 'Test Tether',
      symbol: 'USDT',
      decimals: 6,
      supply: 10n ** 15n,
    });
    const owner = await enableTwoFactor(backend, await createOwner(backend));
    ownerSecret = owner.totpSecret!;
    const t = await enableTwoFactor(
      backend,
      await createUser(backend, 'trader', { email: 'trader@example.test', twoFactor: false }),
    );
    traderId = t.userId;
    recovery = t.recoveryCodes[0]!;
    traderSecret = t.totpSecret!;
    const boss = admin();
    await backend.invoke(
      'admin.funding.chainSet',
      {
        chainId: LOCAL_CHAIN_ID,
        name: 'Local',
        rpcUrl: chain.rpcUrl!,
        xpub: DEPOSIT_XPUB,
        // The listener runs on its own, as in the app: the Wallet must update by itself.
        pollMs: 500,
        startBlock: Number(await chain.publicClient.getBlockNumber()) + 1,
      },
      boss,
    );
    const hot = chain.accounts[1]!;
    await backend.invoke(
      'withdrawals.setHotWallet',
      {
        chainId: LOCAL_CHAIN_ID,
        privateKey: `0x${Buffer.from(hot.getHdKey().privateKey!).toString('hex')}`,
      },
      boss,
    );
    for (const [asset, tokenContract, tokenDecimals] of [
      ['ETH', null, 18],
      ['USDT', token, 6],
    ] as const) {
      await backend.invoke(
        'admin.funding.assetSet',
        {
          asset,
          chainId: LOCAL_CHAIN_ID,
          tokenContract,
          tokenDecimals,
          confirmations: 3,
          depositsEnabled: true,
          withdrawalsEnabled: asset === 'ETH',
          withdrawalFee: '0.001',
          withdrawalMin: '0.01',
          // 0.5 ETH needs an administrator.
          autoApproveLimit: '0.1',
        },
        boss,
      );
    }
    // The other side of the trade deposits its USDT on chain too.
    ensureUser(backend, 'maker');
    const makerAddress = (await backend.invoke(
      'funding.depositAddress',
      { asset: 'USDT' },
      principalOf('maker'),
    )) as { address: Address };
    await sendToken(makerAddress.address, 5_000n * 10n ** 6n);
    // Added a day ago: past its cool-off.
    cooledAddress(backend, traderId, cold, 'cold-wallet');
  });
  afterAll(async () => chain?.close());

  it('deposits: the address is copied, ETH and USDT arrive, confirm live and are credited', async () => {
    await signIn(page, 'trader@example.test', traderSecret, 'wallet');
    const card = page.getByRole('article', { name: 'Deposit' });
    await card.getByLabel('Asset').selectOption('ETH');
    const shown = card.getByLabel('Deposit address');
    await shown.waitFor();
    const address = (await shown.textContent()) as Address;
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    // "Copy" puts the address on the clipboard; the test reads it back from there.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await card.getByRole('button', { name: /copy/i }).click();
    const copied = (await page.evaluate(() => navigator.clipboard.readText())) as Address;
    expect(copied).toBe(address);

    const hash = await chain
      .wallet(chain.accounts[2]!)
      .sendTransaction({ to: copied, value: parseEther('1') });
    await chain.publicClient.waitForTransactionReceipt({ hash });
    await sendToken(copied, 100n * 10n ** 6n);
    const rows = card.getByRole('table', { name: 'Deposits' });
    await rows.getByText('Confirming').first().waitFor();
    await screenshot(page, 'funding-flow-confirming-dark');
    // Real money is on: no demo top-ups offered beside it.
    await page.getByText(/No demo funds here: real ETH deposits/).waitFor();
    await expect(page.getByRole('button', { name: 'Add demo funds' }).count()).resolves.toBe(0);
    await chain.mine(3);
    // Both credited (the maker's USDT too): the balances come from the chain.
    await rows.getByText('Credited', { exact: true }).first().waitFor();
    const balances = page.getByRole('table', { name: 'Balances' });
    await balances.getByText('1.00000000').first().waitFor();
    await balances.getByText('100.000000').first().waitFor();
    await expect
      .poll(() => backend.features.exchange.holdings('maker', 'USDT').available)
      .toBe(5_000n * 10n ** 6n);
  });

  it('trades: sells 0.2 ETH to the maker on the local exchange', async () => {
    await backend.invoke(
      'orders.place',
      { symbol: 'ETH/USDT', side: 'buy', type: 'limit', price: '2000', qty: '0.5' },
      principalOf('maker'),
    );
    const sold = (await backend.invoke(
      'orders.place',
      { symbol: 'ETH/USDT', side: 'sell', type: 'market', qty: '0.2' },
      principalOf(traderId),
    )) as { status: string };
    expect(sold.status).toBe('filled');
    await page.getByRole('table', { name: 'Balances' }).getByText('0.80000000').first().waitFor();
  });

  it('withdraws 0.5 ETH with 2FA; an admin approves; the chain and the ledger show it', async () => {
    const card = page
      .getByRole('article')
      .filter({ has: page.getByRole('heading', { name: 'Withdraw' }) });
    const form = card.getByRole('form', { name: 'Request a withdrawal' });
    await form.getByLabel('Amount').fill('0.5');
    await form.getByLabel('To').selectOption('cold-wallet');
    await form.getByLabel('2FA code').fill(recovery);
    await form.getByRole('button', { name: 'Withdraw' }).click();
    const mine = card.getByRole('table', { name: 'Your withdrawals' });
    await mine.getByText('Waiting for approval').waitFor();

    const adminPage = await newPage(ui.browser, { width: 1400, height: 900, colorScheme: 'dark' });
    await signIn(adminPage, 'owner@example.test', ownerSecret, 'admin');
    await adminPage.getByRole('tab', { name: 'Withdrawals' }).click();
    const row = adminPage
      .getByRole('table', { name: 'Pending withdrawals' })
      .getByRole('row')
      .filter({ hasText: 'trader@example.test' });
    await row.getByRole('button', { name: 'Approve' }).click();
    await adminPage.getByText('Nothing waits for approval.').waitFor();

    const broadcaster = backend.features.withdrawals.broadcaster;
    await broadcaster.runOnce();
    await chain.mine(3);
    await broadcaster.runOnce();
    await mine.getByText('Completed').waitFor();
    expect(await chain.publicClient.getBalance({ address: cold })).toBe(parseEther('0.5'));
    // The settlement in the ledger: held 0.501 ETH out, to the world and the fee account.
    const entries = page.getByRole('table', { name: 'Ledger entries' });
    await entries.getByText('Withdrawal').first().waitFor();
    await entries.getByText('-0.50100000 ETH').first().waitFor();
    await screenshot(page, 'funding-flow-wallet-dark');

    // Reconciliation with the chain: deposits, the withdrawal and custody all agree.
    await adminPage.getByRole('tab', { name: 'Funding' }).click();
    await adminPage.getByRole('button', { name: 'Reconcile now' }).click();
    const checks = adminPage.getByRole('list', { name: 'Reconciliation checks' });
    await checks.getByText('1 settled withdrawal(s) found on chain as recorded').waitFor();
    await adminPage.getByText(/^All \d+ checks pass\.$/).waitFor();
    await screenshot(adminPage, 'funding-flow-reconcile-dark');
    await expectLooksRight(adminPage, 'dark');
    await adminPage.close();
    const report = (await backend.invoke('admin.funding.reconcile', {}, admin())) as {
      ok: boolean;
    };
    expect(report.ok).toBe(true);
  });
});
