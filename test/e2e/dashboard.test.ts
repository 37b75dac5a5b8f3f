/// <reference lib="dom" />
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src-main/operations/principal';
import { createOwner, createUser, TEST_PASSWORD, type TestSession } from '../helpers/auth';
import type { TestBackend } from '../helpers/backend';
import {
  chromiumMissingReason,
  e2eFixture,
  expectLooksRight,
  screenshot,
} from '../helpers/browser';
import { fund, quoteAs, trader } from '../helpers/exchange';

const missing = chromiumMissingReason();
if (missing) console.warn(`skipping the dashboard screen test: ${missing}`);
const MAKER = 'dashboard-e2e-maker';

/**
 * The dashboard as a trader's home: a paper account that trades BTC/USDT against a maker's
 * quotes (spread and slippage 0, commission 0.1 %), so every figure below is computed by hand.
 */
describe.skipIf(missing !== undefined)('dashboard in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1280, height: 720, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let user: TestSession;
  let me: Principal;
  let accountId = '';

  const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
    backend.invoke(name, input, who) as Promise<T>;

  /** The maker's only quotes on BTC/USDT: one bid and one ask of 20 BTC. */
  const quote = (bid: string, ask: string) => quoteAs(backend, MAKER, 'BTC/USDT', bid, ask, '20');

  const paperOrder = (side: 'buy' | 'sell') =>
    invoke('accounts.placeOrder', { id: accountId, symbol: 'BTC/USDT', side, qty: '0.1' });

  const totals = () => page.getByRole('region', { name: 'Totals in USDT' });

  /** Switches the theme as the app keeps it, then reloads so the chart is drawn in it too. */
  async function theme(name: 'dark' | 'light'): Promise<void> {
    await page.emulateMedia({ colorScheme: name });
    await page.evaluate((t) => localStorage.setItem('bourse.theme', t), name);
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe(name);
  }

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    await createOwner(backend);
    user = await createUser(backend, 'trader');
    me = trader(user.userId);
    await fund(backend, MAKER, 'BTC', '1000');
    await fund(backend, MAKER, 'USDT', '100000000');
    const created = await invoke<{ account: { id: string } }>('accounts.create', {
      venue: 'paper',
      name: 'Paper desk',
      initialBalance: '10000',
      paperConfig: { spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 1000 },
    });
    accountId = created.account.id;
    // A win before the trader signs in: buy 0.1 at the ask 30000 (fee 3), sell at the bid
    // 30990 (fee 3.099): gross 99, net 92.901.
    await quote('29990.00', '30000.00');
    await paperOrder('buy');
    await quote('30990.00', '31000.00');
    await paperOrder('sell');
  });

  it('is the home screen after sign-in, with the realised P&L of the period', async () => {
    // No route in the address: the dashboard is where a signed-in trader lands.
    await page.goto(`${url}/?signin=1`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link').first().innerText()).resolves.toBe('Dashboard');
    await totals().getByText('92.901').first().waitFor();
    const accounts = page.getByRole('table', { name: 'P&L by account' });
    await accounts
      .getByRole('row', { name: /Paper desk/ })
      .getByText('6.099')
      .waitFor();
    await page.getByRole('table', { name: 'P&L by source' }).getByText('Manual').waitFor();
    await page.getByRole('img', { name: 'Equity curve of Paper desk' }).waitFor();
    // Against buy-and-hold of the market it trades.
    await page.getByLabel('Benchmark').selectOption({ label: 'Buy and hold BTC/USDT' });
    await page
      .locator('.dash-legend')
      .getByText(/Buy and hold BTC\/USDT/)
      .waitFor();
  });

  it('follows a new round trip live, statistics included', async () => {
    // A loss while the screen is open: buy at the ask 31000 (fee 3.1), sell at the bid
    // 30490 (fee 3.049): gross −51, net −57.149. Period: 92.901 − 57.149 = 35.752.
    await paperOrder('buy');
    await quote('30490.00', '30500.00');
    await paperOrder('sell');
    await totals().getByText('35.752').first().waitFor();
    const stats = page.getByRole('definition').filter({ hasText: '2 (1 won, 1 lost)' });
    await stats.waitFor();
    const figures = page.getByLabel('Trade statistics in USDT');
    await figures.getByText('50.0 %').waitFor();
    // Fees: 3 + 3.099 + 3.1 + 3.049 = 12.248.
    await figures.getByText('12.248 USDT').waitFor();
    const trips = page.getByRole('table', { name: 'Latest round trips' });
    await expect(trips.getByRole('row').count()).resolves.toBe(3);
    // Newest first: the loss.
    await expect(trips.getByRole('row').nth(1).innerText()).resolves.toContain('-57.149');
  });

  it('values the totals in one asset and keeps them for another period', async () => {
    await page.getByRole('combobox', { name: 'Value totals in' }).selectOption('USDT');
    const all = page.getByRole('region', { name: 'All accounts in USDT' });
    await all.getByText('35.752').first().waitFor();
    await all.getByText(/USDT as is/).waitFor();
    // Both trips closed today: the Today period holds them all.
    await page.getByRole('group', { name: 'Period' }).getByText('Today').click();
    await expect(page.getByRole('radio', { name: 'Today' }).isChecked()).resolves.toBe(true);
    await totals().getByText('35.752').first().waitFor();
    await page.getByRole('table', { name: 'Latest round trips' }).waitFor();
  });

  it('shows the empty states to a trader who has not traded', async () => {
    const other = await createUser(backend, 'trader');
    const fresh = await ui.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await fresh.goto(`${url}/?signin=1`);
    await fresh.getByLabel('Email').fill(other.email);
    await fresh.getByLabel('Password').fill(TEST_PASSWORD);
    await fresh.getByRole('button', { name: 'Sign in' }).click();
    await fresh.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await fresh.getByText('No trades in this period.').waitFor();
    await fresh.getByText('No stored statements yet.').waitFor();
    await fresh.getByText('No trading accounts to add up yet.').waitFor();
    // Nothing of the first trader's shows.
    await expect(fresh.getByText('Paper desk').count()).resolves.toBe(0);
    await screenshot(fresh, 'dashboard-empty-dark-1280');
    await fresh.close();
  });

  it('downloads the period statement as CSV and turns on the daily statement', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const file = await download.path();
    const body = fs.readFileSync(file, 'utf8');
    expect(body.startsWith('record,account_id,account_name,venue,market')).toBe(true);
    expect(body).toContain('-57.149');
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    const daily = page.getByRole('checkbox', { name: 'Daily statement' });
    await expect(daily.isChecked()).resolves.toBe(false);
    await daily.check();
    await expect.poll(() => daily.isChecked()).toBe(true);
    await expect(invoke('reports.schedule.get', {})).resolves.toEqual({
      daily: true,
      weekly: false,
    });
  });

  it('shows the period statement as a page to print, and closes it', async () => {
    await page.getByRole('button', { name: 'Printable statement' }).click();
    const sheet = page.getByRole('dialog', { name: 'P&L statement' });
    const trips = sheet.getByRole('table', { name: 'Statement round trips' });
    await expect.poll(() => trips.locator('tbody tr').count()).toBe(2);
    await sheet
      .getByRole('table', { name: 'Statement by account' })
      .getByText(/35\.75/)
      .waitFor();
    await sheet.getByRole('button', { name: 'Print' }).waitFor();
    await screenshot(page, 'dashboard-statement-dark');
    await sheet.getByRole('button', { name: 'Close' }).click();
    await sheet.waitFor({ state: 'detached' });
  });

  it('looks right in both themes at 1280×720 and 1440×900', async () => {
    for (const [width, height] of [
      [1280, 720],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const name of ['dark', 'light'] as const) {
        await theme(name);
        await totals().getByText('35.752').first().waitFor();
        await page.locator('.content').evaluate((el) => el.scrollTo(0, 0));
        await screenshot(page, `dashboard-${name}-${width}`);
        await expectLooksRight(page, name);
        // The whole screen too (a window tall enough for it), to look at the tables below
        // the fold, and the same checks there.
        await page.setViewportSize({ width, height: 2400 });
        await screenshot(page, `dashboard-${name}-${width}-full`);
        await expectLooksRight(page, name);
        await page.setViewportSize({ width, height });
      }
    }
  });
});
