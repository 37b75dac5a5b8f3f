/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOwner, createUser, signInInBrowser, type TestSession } from '../helpers/auth';
import { chromiumMissingReason, e2eFixture, newPage, screenshot } from '../helpers/browser';
import { fund, trader } from '../helpers/exchange';

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
    await form.getByText('Options', { exact: true }).click();
    await form.getByLabel(/Bracket: a take profit filled in part keeps the stop/).check();
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await form.getByText(/OCO list \d+ placed/).waitFor();
    await screenshot(page, 'trade-oco-ticket-dark');
    const lists = (await ui.backend.invoke(
      'orders.lists',
      { scope: 'open' },
      trader(alice.userId),
    )) as { items: Array<{ bracket: boolean }> };
    expect(lists.items).toMatchObject([{ bracket: true }]);
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
    const mine = page.getByRole('region', { name: 'My orders and balances' });
    await mine.getByRole('tab', { name: /Order history/ }).click();
    // A cancelled list: both legs are the user's cancel, no OCO reason beside them.
    const history = mine.getByRole('table', { name: 'Order history' });
    await history.getByRole('cell', { name: 'cancelled', exact: true }).nth(1).waitFor();
  });

  it('names why a leg ended when the other one filled, in the order history', async () => {
    const placed = (await ui.backend.invoke(
      'orders.placeOco',
      {
        symbol: 'BTC/USDT',
        side: 'sell',
        qty: '0.1',
        price: '65000',
        stopPrice: '55000',
      },
      trader(alice.userId),
    )) as { orderListId: number };
    const bob = await createUser(ui.backend, 'trader');
    await fund(ui.backend, bob.userId, 'USDT', '100000');
    await ui.backend.invoke(
      'orders.place',
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '65000', qty: '0.1' },
      trader(bob.userId),
    );
    const history = page
      .getByRole('region', { name: 'My orders and balances' })
      .getByRole('table', { name: 'Order history' });
    await history.getByRole('cell', { name: 'cancelled (OCO)' }).waitFor();
    await screenshot(page, 'trade-oco-history-dark');
    expect(placed.orderListId).toBeGreaterThan(0);
  });
});
