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
import { fund, makerQuotesBtc, quoteAs } from '../helpers/exchange';

const missing = chromiumMissingReason();
const MAKER = 'accounts-e2e-maker';

describe.skipIf(missing !== undefined)('accounts screen in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1400, height: 900, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    // Liquidity on BTC/USDT and EUR/USD so the paper broker has prices.
    await makerQuotesBtc(backend, MAKER, '29990.00', '30000.00');
    await fund(backend, MAKER, 'EUR', '1000000');
    await fund(backend, MAKER, 'USD', '1000000');
    await quoteAs(backend, MAKER, 'EUR/USD', '1.0795', '1.0800', '100000');
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

  it('says the margin refusal at the quantity, and lists only the markets of USDT', async () => {
    const ticket = page.getByRole('form', { name: 'Paper order' });
    const market = ticket.getByLabel('Market', { exact: true });
    // A select of the markets the account's USDT settles: no EUR/USD or SPX-FUT to refuse.
    expect(await market.locator('option').allInnerTexts()).toEqual([
      'BTC/USDT',
      'ETH/USDT',
      'BTC-FUT',
    ]);
    await ticket.getByLabel('Order type').selectOption('market');
    const qty = ticket.getByLabel('Quantity', { exact: true });
    await qty.fill('100');
    await ticket.getByRole('button', { name: 'Buy / long' }).click();
    // The figures are too long for the cell: said under the ticket, the quantity marked by it.
    const line = ticket.getByRole('alert').filter({ hasText: /^Quantity: margin needed/ });
    await line.waitFor();
    expect(await qty.getAttribute('aria-invalid')).toBe('true');
    const lineId = await line.getAttribute('id');
    expect(await qty.getAttribute('aria-describedby')).toContain(lineId);
    // Edited, the quantity is no longer what was refused.
    await qty.fill('0.01');
    await line.waitFor({ state: 'detached' });
    expect(await qty.getAttribute('aria-invalid')).toBeNull();
  });

  it('refuses a leverage of 1000 at its input, and a taken name at the name', async () => {
    const form = page.getByRole('form', { name: 'New account' });
    const leverage = form.getByLabel('Maximum leverage');
    let asked = 0;
    const count = (r: { url(): string; method(): string }) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/accounts')) asked += 1;
    };
    page.on('request', count);
    await form.getByLabel('Account name').fill('Too much');
    await leverage.fill('1000');
    await form.getByRole('alert').getByText('A whole number from 1 to 500.').waitFor();
    expect(await leverage.getAttribute('aria-invalid')).toBe('true');
    await form.getByRole('button', { name: 'Create account' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('paper-leverage');
    expect(asked).toBe(0);
    expect(await form.getByText(/Invalid input/).count()).toBe(0);
    await leverage.fill('500');
    expect(await form.getByRole('alert').count()).toBe(0);
    // The server refuses a name already taken: at the name input, in its words.
    await form.getByLabel('Account name').fill('Swing paper');
    await form.getByRole('button', { name: 'Create account' }).click();
    const name = form.getByLabel('Account name');
    await form
      .getByRole('alert')
      .getByText(/already have an account named "Swing paper"/)
      .waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(asked).toBe(1);
    page.off('request', count);
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, 'accounts-create-refused-dark');
    await name.fill('');
    await form.getByLabel('Maximum leverage').fill('10');
  });

  it('creates a USD paper account from the ticket and trades EUR/USD on it', async () => {
    const ticket = page.getByRole('form', { name: 'Paper order' });
    await ticket.getByText(/Others need a paper account in their currency/).waitFor();
    await ticket.getByRole('button', { name: 'New USD account' }).click();
    const form = page.getByRole('form', { name: 'New account' });
    // The form opens on a paper account in USD, waiting for a name.
    expect(await form.getByLabel('Account currency').inputValue()).toBe('USD');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('account-name');
    await form.getByText('Trades EUR/USD and SPX-FUT.').waitFor();
    await form.getByLabel('Account name').fill('Dollar paper');
    // USD keeps cents: a third decimal is refused at the balance, before sending.
    await form.getByLabel('Demo balance (USD)').fill('20000.005');
    await form.getByRole('button', { name: 'Create account' }).click();
    await form
      .getByRole('alert')
      .getByText('Enter a USD amount above 0, at most 2 decimals.')
      .waitFor();
    await form.getByLabel('Demo balance (USD)').fill('20000');
    await form.getByRole('button', { name: 'Create account' }).click();
    await page
      .getByRole('status', { name: 'Webhook URL' })
      .getByRole('button', { name: 'Done' })
      .click();
    const table = page.getByRole('table', { name: 'Trading accounts' });
    await table
      .getByRole('row', { name: /Dollar paper/ })
      .getByText('20000.00')
      .first()
      .waitFor();
    await page.getByRole('heading', { name: 'Dollar paper: positions' }).waitFor();

    const market = ticket.getByLabel('Market', { exact: true });
    expect(await market.locator('option').allInnerTexts()).toEqual(['EUR/USD', 'SPX-FUT']);
    expect(await market.inputValue()).toBe('EUR/USD');
    await ticket.getByLabel('Quantity', { exact: true }).fill('1000');
    await ticket.getByRole('button', { name: 'Buy / long' }).click();
    await page.getByText('Bought 1000 EUR/USD.').waitFor();
    const positions = page.getByRole('table', { name: 'Positions' });
    await positions.getByRole('cell', { name: 'EUR/USD' }).waitFor();
    // Bought at the ask 1.0800 widened by the 0.01 % half-spread and size slippage, in USD.
    await page.getByRole('table', { name: 'Paper fills' }).getByText('EUR/USD').waitFor();
    await screenshot(page, 'accounts-usd-dark');
  });

  it('shows money in one format in both tables of the Positions screen', async () => {
    await openScreen(page, 'Positions');
    const pnl = page.getByRole('table', { name: 'Account P&L' });
    const all = page.getByRole('table', { name: 'All positions' });
    for (const [account, currency, decimals] of [
      ['Swing paper', 'USDT', 6],
      ['Dollar paper', 'USD', 2],
    ] as const) {
      const shape = new RegExp(`^-?\\d+\\.\\d{${decimals}} ${currency}$`);
      const accountCell = pnl
        .getByRole('row', { name: new RegExp(account) })
        .locator('td')
        .last();
      const positionCell = all
        .getByRole('row', { name: new RegExp(account) })
        .locator('td')
        .nth(6);
      await expect.poll(() => accountCell.innerText()).toMatch(shape);
      // One position per account: its P&L is the account's, written the same way.
      await expect
        .poll(async () => (await positionCell.innerText()) === (await accountCell.innerText()))
        .toBe(true);
    }
    await screenshot(page, 'positions-dark');
    await openScreen(page, 'Accounts');
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
