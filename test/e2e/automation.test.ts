/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '../helpers/backend';
import { login } from '../helpers/auth';
import {
  chromiumMissingReason,
  createOwnerInBrowser,
  e2eFixture,
  screenshot,
} from '../helpers/browser';
import { setUpTrading, type TradingSetup } from '../integration/automation/setup';

const missing = chromiumMissingReason();

describe.skipIf(missing !== undefined)('automation screen in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1400, height: 900, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let trading: TradingSetup;

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    await createOwnerInBrowser(page, backend, url);
    const { userId } = await login(backend, 'owner@example.test');
    trading = await setUpTrading(backend, userId);
  });

  it('shows an alert sent over HTTP in the log, with its detail', async () => {
    const res = await fetch(`${url}/hooks/tv/${trading.token}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'action=buy\nsymbol=BINANCE:BTCUSDT\nqty=0.01\nid=e2e-1\ntp=31500\nsl=29000',
    });
    expect(res.status).toBe(200);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Automation' })
      .click();
    await page.getByRole('heading', { name: 'Automation', level: 1 }).waitFor();
    const log = page.getByRole('table', { name: 'Webhook log' });
    await log.getByText('accepted').first().waitFor();
    await expect(log.getByText('BTC/USDT').count()).resolves.toBeGreaterThan(0);
    // The row counts the order; its take-profit and stop-loss exits are counted apart.
    await expect(log.locator('tbody tr').first().innerText()).resolves.toContain('1 order');
    await expect(log.getByText('order(s)').count()).resolves.toBe(0);
    await page
      .getByRole('table', { name: 'Accounts' })
      .getByText(trading.accountName, { exact: true })
      .waitFor();
    await screenshot(page, 'automation-dark');
    await log.getByRole('button', { name: 'Details' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Parsed intent').waitFor();
    await expect(dialog.getByText('order(s)').count()).resolves.toBe(0);
    await dialog.getByText('Orders: 1 order + 2 exits (take-profit and stop-loss)').waitFor();
    const orders = dialog.getByRole('table', { name: 'Resulting orders' });
    await orders.waitFor();
    // The alert's take-profit and stop-loss, placed as exits once the market entry filled.
    await orders.getByText('take-profit').waitFor();
    await orders.getByText('stop market @ 29000.00').waitFor();
    await orders.scrollIntoViewIfNeeded();
    await screenshot(page, 'automation-detail-dark');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('sends a test alert and shows a risk rejection with its numbers', async () => {
    await page.getByLabel('Max order quantity').fill('0.005');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Saved.').waitFor();
    // The local exchange trades the user's balances: the button asks first.
    const asked: string[] = [];
    page.on('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await page.getByRole('button', { name: 'Send test alert' }).click();
    await page
      .getByRole('status')
      .getByText(/accepted: 1 order on Spot \(log #\d+\)/)
      .waitFor();
    expect(asked).toEqual([
      'Send this alert to Spot? It places real orders on the local exchange and trades your balances there.',
    ]);
    await page
      .getByLabel('Alert body (any supported format)')
      .fill('{"ticker":"BTCUSDT","action":"buy","quantity":"0.01","id":"e2e-big"}');
    await page.getByRole('button', { name: 'Send test alert' }).click();
    await page.getByText('order qty 0.01 > max 0.005 for BTC/USDT').first().waitFor();
    page.removeAllListeners('dialog');
    await page.getByLabel('Status filter').selectOption('rejected');
    await page.getByRole('table', { name: 'Webhook log' }).getByText('rejected').first().waitFor();
  });

  it('emergency stop: state shown, re-arm by hand; light theme', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Emergency stop' }).click();
    await expect(page.getByTestId('automation-state').innerText()).resolves.toBeTruthy();
    await page.getByText('Emergency stop active').waitFor();
    await page.evaluate(() => {
      document.documentElement.dataset.theme = 'light';
    });
    await page.getByLabel('Status filter').selectOption('');
    await screenshot(page, 'automation-stopped-light');
    await page.getByRole('button', { name: 'Re-arm automation' }).click();
    await page.getByText('Automation armed').waitFor();
    await page.getByLabel("Your tunnel's public address").fill('https://demo.trycloudflare.com');
    await page.getByTestId('public-hook-url').waitFor();
    await page.getByTestId('public-hook-url').scrollIntoViewIfNeeded();
    await expect(page.getByTestId('public-hook-url').innerText()).resolves.toBe(
      'https://demo.trycloudflare.com/hooks/tv/<webhook-token>',
    );
    await screenshot(page, 'automation-guide-light');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.evaluate(() => document.querySelector('.content')?.scrollTo(0, 0));
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    );
    expect(overflow).toBe(false);
    await screenshot(page, 'automation-light-1024');
  });
});
