/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther, type Address } from 'viem';
import { TEST_PASSWORD, createOwner, createUser, enableTwoFactor, totpCode } from '../helpers/auth';
import { chromiumMissingReason, e2eFixture, layoutReport, screenshot } from '../helpers/browser';
import { admin } from '../helpers/exchange';
import { LOCAL_CHAIN_ID, startLocalChain, type LocalChain } from '../fakes/chain/local-chain';
import { DEPOSIT_XPUB } from '../integration/funding/setup';

const missing = chromiumMissingReason();

/** A trader deposits ETH on the local chain and watches it confirm; an admin sees Funding. */
describe.skipIf(missing !== undefined)('deposits in Chromium', () => {
  const ui = e2eFixture({ page: false });
  let chain: LocalChain;
  let traderEmail = '';
  let ownerSecret = '';

  beforeAll(async () => {
    chain = await startLocalChain({ http: true });
    const { backend } = ui;
    ownerSecret = (await enableTwoFactor(backend, await createOwner(backend))).totpSecret ?? '';
    traderEmail = (await createUser(backend, 'trader')).email;
    await backend.invoke(
      'admin.funding.chainSet',
      {
        chainId: LOCAL_CHAIN_ID,
        name: 'Local',
        rpcUrl: chain.rpcUrl!,
        xpub: DEPOSIT_XPUB,
        // The listener runs on its own here, as in the app: the Wallet must update by itself.
        pollMs: 500,
        startBlock: Number(await chain.publicClient.getBlockNumber()) + 1,
      },
      admin(),
    );
    await backend.invoke(
      'admin.funding.assetSet',
      {
        asset: 'ETH',
        chainId: LOCAL_CHAIN_ID,
        tokenDecimals: 18,
        confirmations: 3,
        depositsEnabled: true,
      },
      admin(),
    );
  });
  afterAll(async () => chain.close());

  async function open(
    colorScheme: 'dark' | 'light',
    email: string,
    secret?: string,
  ): Promise<Page> {
    const page = await ui.browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
    await page.goto(`${ui.url}/?signin=1`);
    await page.evaluate((t) => localStorage.setItem('bourse.theme', t), colorScheme);
    await page.goto(`${ui.url}/?signin=1`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (secret) {
      await page.getByLabel('Code').fill(totpCode(ui.backend, secret, 1));
      await page.getByRole('button', { name: 'Verify' }).click();
    }
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    return page;
  }

  it('shows the address and QR code, then the deposit confirming live and credited', async () => {
    const page = await open('dark', traderEmail);
    await page.getByRole('link', { name: 'Wallet' }).click();
    const card = page.getByRole('article', { name: 'Deposit' });
    const shown = card.getByLabel('Deposit address');
    await shown.waitFor();
    const address = (await shown.textContent()) as Address;
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    await card.getByRole('img', { name: `QR code of ${address}` }).waitFor();
    await card.getByText('Credited after 3 confirmations.').waitFor();

    const hash = await chain
      .wallet(chain.accounts[1]!)
      .sendTransaction({ to: address, value: parseEther('0.75') });
    await chain.publicClient.waitForTransactionReceipt({ hash });
    const rows = card.getByRole('table', { name: 'Deposits' });
    await rows.getByText('1 / 3').waitFor();
    await rows.getByText('Confirming').waitFor();
    await screenshot(page, 'wallet-deposit-pending-dark');
    const layout = await layoutReport(page);
    expect(layout.lowContrast, JSON.stringify(layout.lowContrast)).toEqual([]);
    expect(layout.overflowX).toBe(0);

    await chain.mine(2);
    await rows.getByText('Credited', { exact: true }).waitFor();
    await rows.getByText('3 / 3').waitFor();
    await page.getByRole('table', { name: 'Balances' }).getByText('0.75000000').first().waitFor();
    await screenshot(page, 'wallet-deposit-credited-dark');
    await page.close();

    const light = await open('light', traderEmail);
    await light.getByRole('link', { name: 'Wallet' }).click();
    await light
      .getByRole('table', { name: 'Deposits' })
      .getByText('Credited', { exact: true })
      .waitFor();
    await screenshot(light, 'wallet-deposit-light');
    const lightLayout = await layoutReport(light);
    expect(lightLayout.lowContrast, JSON.stringify(lightLayout.lowContrast)).toEqual([]);
    await light.close();
  });

  it('shows the admin the chain, the asset settings, the deposits and reconciliation', async () => {
    // One sign-in (a TOTP code is accepted once), then the other theme by reloading.
    const page = await open('dark', 'owner@example.test', ownerSecret);
    for (const scheme of ['dark', 'light'] as const) {
      if (scheme === 'light') {
        await page.evaluate(() => localStorage.setItem('bourse.theme', 'light'));
        await page.reload();
      }
      await page.getByRole('link', { name: 'Admin' }).click();
      await page.getByRole('tab', { name: 'Funding' }).click();
      await page.getByRole('table', { name: 'Chains' }).getByText('Local').waitFor();
      await page.getByRole('table', { name: 'Asset funding' }).getByText('ETH').waitFor();
      // Depositors by email (their id on hover), not by id alone.
      await page.getByRole('table', { name: 'All deposits' }).getByText(traderEmail).waitFor();
      await page.getByRole('button', { name: 'Reconcile now' }).click();
      await page
        .getByRole('list', { name: 'Reconciliation checks' })
        .getByText(/covers the/)
        .waitFor();
      await screenshot(page, `admin-funding-${scheme}`);
      const layout = await layoutReport(page);
      expect(layout.lowContrast, JSON.stringify(layout.lowContrast)).toEqual([]);
    }
    await page.close();
  });
});
