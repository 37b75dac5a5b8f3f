/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, it } from 'vitest';
import { createOwner, createUser, signInInBrowser, type TestSession } from '../helpers/auth';
import { chromiumMissingReason, e2eFixture, newPage, screenshot } from '../helpers/browser';
import { fund } from '../helpers/exchange';

const missing = chromiumMissingReason();

describe.skipIf(missing !== undefined)('trade screen: OCO order lists in Chromium', () => {
  const ui = e2eFixture({ page: false });
  let alice: TestSession;
  let page: Page;

  beforeAll(async () => {
    await createOwner(ui.backend);
    alice = await createUser(ui.backend, 'trader');
    await fund(ui.backend, alice.userId, 'BTC', '2');
    await fund(ui.backend, alice.userId, 'USDT', '100000');
    page = await newPage(ui.browser, { width: 1440, height: 960, colorScheme: 'dark' });
  });

  const ticket = () => page.getByRole('form', { name: 'Order ticket form' });
  const open = () =>
    page
      .getByRole('region', { name: 'My orders and balances' })
      .getByRole('table', { name: 'Open orders' });

  it('places an OCO from the ticket, shows its legs as one list and cancels the list', async () => {
    await signInInBrowser(page, ui.url, alice.email);
    const form = ticket();
    await form.getByText(/Available: 100000/).waitFor();
    await form.getByLabel('Order type').selectOption('oco');
    // A buy takes profit below its stop: checked before anything is sent.
    await form.getByLabel('Take-profit price (USDT)').fill('61000');
    await form.getByLabel('Stop price (USDT)').fill('60000');
    await form.getByLabel('Quantity (BTC)').fill('0.5');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText('A buy takes profit below its stop price').waitFor();
    await form.getByText('Sell', { exact: true }).click();
    await form.getByLabel('Take-profit price (USDT)').fill('65000');
    await form.getByLabel('Stop price (USDT)').fill('55000');
    await form.getByLabel(/Stop-limit price/).fill('54900');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await form.getByText(/OCO list \d+ placed/).waitFor();
    await screenshot(page, 'trade-oco-ticket-dark');
    await open().getByRole('cell', { name: '65000.00' }).waitFor();
    await open().getByText('stop 55000.00').waitFor();
    const legs = open().locator('tr.oco-leg');
    await legs.nth(1).waitFor();
    await screenshot(page, 'trade-oco-open-dark');
    // The same list in the light theme (the theme follows the page's colour scheme at load).
    const light = await newPage(ui.browser, { width: 1440, height: 960, colorScheme: 'light' });
    await signInInBrowser(light, ui.url, alice.email);
    await light.locator('tr.oco-leg').nth(1).waitFor();
    await screenshot(light, 'trade-oco-open-light');
    await light.close();
    await open()
      .getByRole('button', { name: /Cancel OCO list/ })
      .first()
      .click();
    await page.getByText('No open orders.').waitFor();
  });
});
