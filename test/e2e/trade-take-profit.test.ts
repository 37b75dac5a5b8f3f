/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOwner, createUser, signInInBrowser, type TestSession } from '../helpers/auth';
import { chromiumMissingReason, e2eFixture, newPage, screenshot } from '../helpers/browser';
import { fund, fundTape, limit, place, tradeAt, trader } from '../helpers/exchange';

const missing = chromiumMissingReason();

interface OrderOut {
  orderId: number;
  type: string;
  side: string;
  price: string | null;
  stopPrice: string | null;
  qty: string | null;
  quoteQty: string | null;
  tif: string;
  status: string;
  filledQty: string;
}

describe.skipIf(missing !== undefined)('trade screen: take-profit orders in Chromium', () => {
  const ui = e2eFixture({ page: false });
  let alice: TestSession;
  let page: Page;

  const orders = async (scope: 'open' | 'all') =>
    (
      (await ui.backend.invoke('orders.list', { scope }, trader(alice.userId))) as {
        items: OrderOut[];
      }
    ).items;

  beforeAll(async () => {
    await createOwner(ui.backend);
    alice = await createUser(ui.backend, 'trader');
    await fund(ui.backend, alice.userId, 'BTC', '2');
    await fund(ui.backend, alice.userId, 'USDT', '100000');
    // carol and dave trade at 60,000: the last price (tradeAt moves it).
    await fundTape(ui.backend, '60000.00');
    page = await newPage(ui.browser, { width: 1440, height: 960, colorScheme: 'dark' });
  });

  const ticket = () => page.getByRole('form', { name: 'Order ticket form' });
  const mine = () => page.getByRole('region', { name: 'My orders and balances' });
  const open = () => mine().getByRole('table', { name: 'Open orders' });

  it('places a sell take-profit limit that waits, triggers when the price rises, and fills', async () => {
    await signInInBrowser(page, ui.url, alice.email);
    const form = ticket();
    await form.getByText(/Available: 100000/).waitFor();
    await form.getByText('Sell', { exact: true }).click();
    await form.getByLabel('Order type').selectOption('take_profit_limit');
    const trigger = form.getByLabel('Trigger price (USDT)');
    await trigger.waitFor();
    await form.getByLabel('Limit price (USDT)').waitFor();
    // A take-profit never trails and is never post-only; its TIF is a limit's.
    expect(await form.getByLabel('Trailing stop (follows the price)').count()).toBe(0);
    await form.getByText('Options', { exact: true }).click();
    expect(await form.getByLabel(/Post only/).count()).toBe(0);
    const tifs = await form.getByLabel('Time in force').locator('option').allTextContents();
    expect(tifs).toEqual([
      'Good till cancelled (GTC)',
      'Immediate or cancel (IOC)',
      'Fill or kill (FOK)',
    ]);
    await form.getByText('Options', { exact: true }).click();
    // Checked before anything is sent: the trigger and the limit on the tick grid.
    await trigger.fill('62000.005');
    await form.getByLabel('Limit price (USDT)').fill('61900');
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.5');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    const triggerField = form
      .locator('.field')
      .filter({ has: page.getByLabel('Trigger price (USDT)') });
    await triggerField.getByRole('alert').filter({ hasText: 'Use steps of 0.01' }).waitFor();
    // A sell take-profit at or under the last price (60,000) would trigger at once: a warning,
    // read with the trigger's input, that points to the stop for a fall.
    await trigger.fill('59000');
    const warning = form.getByText(
      'The last price, 60000.00, is already at or above 59000: this would trigger at once. ' +
        'A sell take profit waits above the last price; to sell if the price falls, use a stop.',
    );
    await warning.waitFor();
    expect(await trigger.getAttribute('aria-describedby')).toBe(await warning.getAttribute('id'));
    await form
      .getByTestId('ticket-summary')
      .filter({ hasText: 'Places a sell limit at 61900 for 0.5 BTC at once' })
      .waitFor();
    await screenshot(page, 'trade-take-profit-at-once-dark');
    await trigger.fill('62000');
    expect(await warning.count()).toBe(0);
    expect(await trigger.getAttribute('aria-describedby')).toBeNull();
    await form
      .getByText('Places a sell limit at 61900 for 0.5 BTC when the price rises to 62000')
      .waitFor();
    // What it brings at its limit: 0.5 × 61,900 = 30,950, less the taker fee at most.
    await form.getByText('30950.000000 USDT').waitFor();
    await screenshot(page, 'trade-take-profit-limit-ticket-dark');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await form.getByText(/Order \d+ new/).waitFor();

    const placed = (await orders('open')).find((o) => o.type === 'take_profit_limit');
    expect(placed).toMatchObject({
      side: 'sell',
      price: '61900.00',
      stopPrice: '62000.00',
      qty: '0.5000',
      tif: 'GTC',
      status: 'new',
    });
    // Open orders: "take profit" over how it runs, its limit with its trigger and the way it
    // waits under it.
    const row = open().getByRole('row').filter({ hasText: 'trigger ≥ 62000.00' });
    await row.waitFor();
    expect(await row.locator('td').nth(3).innerText()).toBe('take profit\nlimit');
    expect(await row.locator('td').nth(4).innerText()).toBe('61900.00\ntrigger ≥ 62000.00');
    expect(await row.getByText('trigger ≥ 62000.00').getAttribute('title')).toBe(
      'Triggers when a trade is at or above 62000.00',
    );
    // Every column in the card: the cancel button is not cut off.
    const cancel = await row.getByRole('button', { name: /Cancel order/ }).boundingBox();
    const panel = await page.locator('.open-orders-scroll').boundingBox();
    expect(cancel!.x + cancel!.width).toBeLessThanOrEqual(panel!.x + panel!.width);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'trade-take-profit-open-dark');

    // The price rises to 62,000: the take profit triggers and rests its sell limit at 61,900.
    await tradeAt(ui.backend, '62000.00');
    await page
      .getByRole('region', { name: 'Order book' })
      .getByText('61900.00', { exact: true })
      .first()
      .waitFor();
    // A buyer meets it: it fills at its limit, and leaves the open orders.
    await place(ui.backend, 'dave', limit('buy', '62000.00', '0.5'));
    await row.waitFor({ state: 'detached' });
    const done = (await orders('all')).find((o) => o.orderId === placed!.orderId);
    expect(done).toMatchObject({ status: 'filled', filledQty: '0.5000' });
    await mine()
      .getByRole('tab', { name: /Order history/ })
      .click();
    const history = mine().getByRole('table', { name: 'Order history' });
    const filled = history.getByRole('row').filter({ hasText: 'trigger ≥ 62000.00' });
    await filled.getByRole('cell', { name: 'filled', exact: true }).waitFor();
    expect(await filled.locator('td').nth(3).innerText()).toBe('take profit\nlimit');
    await filled.getByRole('cell', { name: '30950.000000' }).waitFor();
    // Every column in the card, the trigger under the price included.
    const status = await filled.getByRole('cell', { name: 'filled', exact: true }).boundingBox();
    const tab = await page.locator('.trade-mine-panel').boundingBox();
    expect(status!.x + status!.width).toBeLessThanOrEqual(tab!.x + tab!.width);
    await screenshot(page, 'trade-take-profit-history-dark');
    await mine()
      .getByRole('tab', { name: /My trades/ })
      .click();
    await mine()
      .getByRole('table', { name: 'My trades' })
      .getByRole('cell', { name: '61900.00' })
      .first()
      .waitFor();
  });

  it('places a buy take-profit market by the amount to spend, waiting for a fall', async () => {
    const form = ticket();
    await mine()
      .getByRole('tab', { name: /Open orders/ })
      .click();
    await form.getByText('Buy', { exact: true }).click();
    await form.getByLabel('Order type').selectOption('take_profit_market');
    await form.getByLabel('Trigger price (USDT)').fill('60000');
    expect(await form.getByLabel('Limit price (USDT)').count()).toBe(0);
    // A market order: no time in force to pick.
    await form.getByText('Options', { exact: true }).click();
    expect(await form.getByLabel('Time in force').count()).toBe(0);
    await form.getByText('Options', { exact: true }).click();
    await form.getByText('Amount (USDT)', { exact: true }).click();
    await form.getByRole('textbox', { name: 'Amount (USDT)' }).fill('1000');
    await form.getByText('Buys 1000 USDT of BTC at market when the price falls to 60000').waitFor();
    await screenshot(page, 'trade-take-profit-market-ticket-dark');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText(/Order \d+ new/).waitFor();
    const placed = (await orders('open')).find((o) => o.type === 'take_profit_market');
    expect(placed).toMatchObject({
      side: 'buy',
      price: null,
      stopPrice: '60000.00',
      quoteQty: '1000.000000',
      qty: null,
      tif: 'IOC',
    });
    const row = open().getByRole('row').filter({ hasText: 'trigger ≤ 60000.00' });
    await row.waitFor();
    // It runs IOC, as every market kind does: not a choice the user made, so not shown.
    expect(await row.locator('td').nth(3).innerText()).toBe('take profit\nmarket');
    expect(await row.locator('td').nth(4).innerText()).toBe('market\ntrigger ≤ 60000.00');
    // What it will spend, not an open quantity of 0: its quantity is known when it trades.
    expect(await row.locator('td').nth(5).innerText()).toBe('1000 USDT');
    await screenshot(page, 'trade-take-profit-market-open-dark');
    await row.getByRole('button', { name: /Cancel order/ }).click();
    await row.waitFor({ state: 'detached' });
  });

  it("shows the server's refusal of the trigger at the trigger's input", async () => {
    const form = ticket();
    await form.getByText('Sell', { exact: true }).click();
    await form.getByLabel('Order type').selectOption('take_profit_market');
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.1');
    // On the tick grid and above 0, so the form sends it; more ticks than the exchange counts.
    const trigger = form.getByLabel('Trigger price (USDT)');
    await trigger.fill('100000000000000');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    const field = form.locator('.field').filter({ has: page.getByLabel('Trigger price (USDT)') });
    await field
      .getByRole('alert')
      .filter({ hasText: /^stopPrice: / })
      .waitFor();
    await screenshot(page, 'trade-take-profit-refused-dark');
    // Edited, the refusal no longer describes the form: it goes.
    await trigger.fill('70000');
    expect(await field.getByRole('alert').count()).toBe(0);
  });

  it('keeps the take-profit ticket inside a short 1024 × 640 window', async () => {
    const small = await newPage(ui.browser, { width: 1024, height: 640, colorScheme: 'light' });
    await signInInBrowser(small, ui.url, alice.email);
    const form = small.getByRole('form', { name: 'Order ticket form' });
    await form.getByText(/Available: \d/).waitFor();
    await form.getByText('Sell', { exact: true }).click();
    await form.getByLabel('Order type').selectOption('take_profit_limit');
    await form.getByLabel('Trigger price (USDT)').fill('55000');
    await form.getByLabel('Limit price (USDT)').fill('54900');
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.25');
    await form.getByText(/this would trigger at once/).waitFor();
    const overflow = await small.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    );
    expect(overflow).toBe(false);
    await form.getByLabel('Trigger price (USDT)').scrollIntoViewIfNeeded();
    await screenshot(small, 'trade-take-profit-ticket-1024x640-light');
    await small.close();
  });
});
