/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '../helpers/backend';
import {
  chromiumMissingReason,
  createOwnerInBrowser,
  openScreen,
  e2eFixture,
  expectLooksRight,
  screenshot,
} from '../helpers/browser';
import { makerQuotesBtc } from '../helpers/exchange';

const missing = chromiumMissingReason();
const MAKER = 'accounts-e2e-maker';

describe.skipIf(missing !== undefined)('accounts screen in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1400, height: 900, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    // Liquidity on BTC/USDT so the paper broker has a price.
    await makerQuotesBtc(backend, MAKER, '29990.00', '30000.00');
    await createOwnerInBrowser(page, backend, url);
  });

  it('creates a paper account and shows its webhook URL once', async () => {
    await openScreen(page, 'Accounts');
    await page.getByText('No trading accounts yet').waitFor();
    await page.getByLabel('Account name').fill('Swing paper');
    await page.getByLabel('Demo balance (USDT)').fill('50000');
    await page.getByRole('button', { name: 'Create account' }).click();
    const banner = page.getByRole('status', { name: 'Webhook URL' });
    const urlText = await banner.locator('.accounts-url').innerText();
    expect(urlText).toMatch(/\/hooks\/tv\/tv_[A-Za-z0-9_-]{32}$/);
    const table = page.getByRole('table', { name: 'Trading accounts' });
    await table.getByText('Swing paper').waitFor();
    await table.getByText('50000.000000').first().waitFor();
    // The token works: an alert posted to that URL opens a position.
    const res = await fetch(urlText.replace(/^.*\/hooks/, `${url}/hooks`), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'action=buy\nsymbol=BTCUSDT\nqty=0.05\nid=acc-e2e-1',
    });
    expect(res.status).toBe(200);
    await banner.getByRole('button', { name: 'Done' }).click();
    await expect(banner.count()).resolves.toBe(0);
  });

  it('trades on paper: a position with a stop-loss, a partial close, the fills', async () => {
    await page.getByLabel('Quantity', { exact: true }).fill('0.1');
    await page.getByLabel('Leverage (max 10)').fill('5');
    await page.getByLabel('Stop-loss', { exact: true }).fill('29000');
    await page.getByRole('button', { name: 'Buy / long' }).click();
    await page.getByText('Bought 0.1 BTC/USDT.').waitFor();
    const positions = page.getByRole('table', { name: 'Positions' });
    await positions.getByText('0.15000000').waitFor(); // 0.05 from the alert + 0.1
    await page.getByLabel('Quantity to close BTC/USDT').fill('0.05');
    await positions.getByRole('button', { name: 'Close' }).click();
    await positions.getByText('0.10000000').waitFor();
    const fills = page.getByRole('table', { name: 'Paper fills' });
    await expect(fills.locator('tbody tr').count()).resolves.toBe(3);
    await fills.getByText('close').waitFor();
    // A limit sell above the market waits in the orders table.
    await page.getByLabel('Order type').selectOption('limit');
    await page.getByLabel('Limit price').fill('31000');
    await page.getByLabel('Quantity', { exact: true }).fill('0.02');
    await page.getByLabel('Stop-loss', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Sell / short' }).click();
    const orders = page.getByRole('table', { name: 'Paper orders' });
    await orders.getByText('open').waitFor();
    await screenshot(page, 'accounts-dark');
    await orders.getByRole('button', { name: /^Cancel order/ }).click();
    await orders.getByText('cancelled').waitFor();

    page.once('dialog', (d) => void d.accept());
    await page
      .getByRole('table', { name: 'Trading accounts' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page
      .getByRole('alert')
      .getByText(/open position; close it before deleting/)
      .waitFor();
  });

  it('looks right in the light theme: readable contrast, nothing off-screen', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => {
      localStorage.setItem('bourse.theme', 'light');
      document.documentElement.dataset.theme = 'light';
    });
    await page.getByRole('table', { name: 'Positions' }).waitFor();
    await screenshot(page, 'accounts-light');
    await expectLooksRight(page, 'light');
  });
});
