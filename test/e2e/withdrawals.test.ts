/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startLocalChain, type LocalChain } from '../fakes/chain/local-chain';
import { createOwner, createUser, enableTwoFactor, type TestSession } from '../helpers/auth';
import type { TestBackend } from '../helpers/backend';
import {
  chromiumMissingReason,
  e2eFixture,
  expectLooksRight,
  newPage,
  screenshot,
  signInWithTotp,
} from '../helpers/browser';
import { fund } from '../helpers/exchange';
import { configureChain, cooledAddress } from '../helpers/withdrawals';

const missing = chromiumMissingReason();
if (missing) console.warn(`skipping the withdrawals screen test: ${missing}`);

/**
 * A trader withdraws 0.5 ETH from the Wallet (2FA by recovery code), an admin approves it in
 * Admin → Withdrawals, the broadcast job sends it on a real local chain, and the Wallet shows
 * it completed with its confirmations and transaction hash.
 */
describe.skipIf(missing !== undefined)('withdrawals in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1400, height: 1000, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let adminPage: Page;
  let chain: LocalChain;
  let trader: TestSession & { recoveryCodes: string[] };
  let owner: TestSession;
  const cold = privateKeyToAccount(generatePrivateKey()).address;
  const fresh = privateKeyToAccount(generatePrivateKey()).address;

  const signIn = (p: Page, email: string, secret: string, route: string) =>
    signInWithTotp(p, { backend, url, email, secret, route });

  async function theme(p: Page, name: 'dark' | 'light') {
    await p.emulateMedia({ colorScheme: name });
    await p.evaluate((t) => {
      localStorage.setItem('bourse.theme', t);
      document.documentElement.dataset.theme = t;
    }, name);
  }

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    chain = await startLocalChain({ http: true });
    owner = await enableTwoFactor(backend, await createOwner(backend));
    trader = await enableTwoFactor(
      backend,
      await createUser(backend, 'trader', { email: 'trader@example.test', twoFactor: false }),
    );
    const hot = chain.accounts[1]!;
    await configureChain(backend, {
      rpcUrl: chain.rpcUrl!,
      hotWalletKey: `0x${Buffer.from(hot.getHdKey().privateKey!).toString('hex')}`,
      hotWalletAddress: hot.address,
      confirmations: 2,
      fee: 100_000,
      min: 1_000_000,
      autoApproveLimit: 10_000_000,
    });
    await fund(backend, trader.userId, 'ETH', '5');
    // Added a day ago: past its cool-off.
    cooledAddress(backend, trader.userId, cold, 'cold-wallet');
    backend.store.sqlite
      .prepare("UPDATE withdrawal_addresses SET label = 'Cold wallet' WHERE id = 'cold-wallet'")
      .run();
  });
  afterAll(async () => chain?.close());

  it('adds an address (cooling off) and requests a withdrawal that needs approval', async () => {
    await signIn(page, 'trader@example.test', trader.totpSecret!, 'wallet');
    const card = page
      .getByRole('article')
      .filter({ has: page.getByRole('heading', { name: 'Withdraw' }) });
    await card
      .getByRole('form', { name: 'Add address' })
      .getByLabel('Address')
      .fill(fresh.toLowerCase());
    await card.getByLabel('Label').fill('Exchange B');
    await card.getByRole('button', { name: 'Add address' }).click();
    const book = card.getByRole('table', { name: 'Withdrawal addresses' });
    await book.getByText(fresh).waitFor();
    await expect(
      book.getByRole('row').filter({ hasText: 'Exchange B' }).textContent(),
    ).resolves.toMatch(/in 2[34] h/);

    const form = card.getByRole('form', { name: 'Request a withdrawal' });
    await expect(form.textContent()).resolves.toContain('Fee 0.00100000 ETH');
    await form.getByLabel('Amount').fill('0.5');
    await form.getByLabel('To').selectOption('cold-wallet');
    await form.getByLabel('2FA code').fill(trader.recoveryCodes[0]!);
    await form.getByRole('button', { name: 'Withdraw' }).click();
    const mine = card.getByRole('table', { name: 'Your withdrawals' });
    await mine.getByText('Waiting for approval').waitFor();
    await mine.getByText('0 of 1 approvals').waitFor();
    await screenshot(page, 'withdrawals-wallet-pending-dark');
  });

  it('lets an admin approve it in Admin → Withdrawals', async () => {
    adminPage = await newPage(ui.browser, { width: 1400, height: 800, colorScheme: 'dark' });
    await signIn(adminPage, 'owner@example.test', owner.totpSecret!, 'admin');
    await adminPage.getByRole('tab', { name: 'Withdrawals' }).click();
    const table = adminPage.getByRole('table', { name: 'Pending withdrawals' });
    const row = table.getByRole('row').filter({ hasText: 'trader@example.test' });
    await row.getByText('0.50000000 ETH').waitFor();
    await row.getByText(cold).waitFor();
    await screenshot(adminPage, 'withdrawals-admin-dark');
    await theme(adminPage, 'light');
    await screenshot(adminPage, 'withdrawals-admin-light');
    await expectLooksRight(adminPage, 'light');
    await row.getByRole('button', { name: 'Approve' }).click();
    await adminPage.getByText('Approved: 1 of 1').waitFor();
    await adminPage.getByText('Nothing waits for approval.').waitFor();
  });

  it('shows the transfer on chain, its confirmations and the settled balance', async () => {
    const broadcaster = backend.features.withdrawals.broadcaster;
    await broadcaster.runOnce();
    const mine = page.getByRole('table', { name: 'Your withdrawals' });
    await mine.getByText('1 / 2').waitFor();
    await chain.mine(1);
    await broadcaster.runOnce();
    await mine.getByText('Completed').waitFor();
    await mine.getByText('2 / 2').waitFor();
    expect(await chain.publicClient.getBalance({ address: cold })).toBe(5n * 10n ** 17n);
    await screenshot(page, 'withdrawals-wallet-dark');
    await theme(page, 'light');
    await screenshot(page, 'withdrawals-wallet-light');
    await expectLooksRight(page, 'light');
    // 5 − 0.5 − 0.001 fee
    expect(backend.features.exchange.holdings(trader.userId, 'ETH')).toEqual({
      available: 449_900_000n,
      held: 0n,
    });
  });
});
