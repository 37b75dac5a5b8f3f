/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOwner, createUser, signInInBrowser, type TestSession } from '../helpers/auth';
import { chromiumMissingReason, e2eFixture, newPage, screenshot } from '../helpers/browser';
import { fund, limit, place, trader } from '../helpers/exchange';
import type { TestBackend } from '../helpers/backend';

const missing = chromiumMissingReason();

/** Two other traders meet at `price`: the last price is then `price`. */
async function tradeAt(backend: TestBackend, price: string): Promise<void> {
  await place(backend, 'maker', limit('sell', price, '0.1'));
  await place(backend, 'taker', limit('buy', price, '0.1', { tif: 'IOC' }));
}

describe.skipIf(missing !== undefined)('trade screen: trailing stops in Chromium', () => {
  const ui = e2eFixture({ page: false });
  let alice: TestSession;
  let page: Page;

  beforeAll(async () => {
    await createOwner(ui.backend);
    alice = await createUser(ui.backend, 'trader');
    await fund(ui.backend, alice.userId, 'BTC', '2');
    await fund(ui.backend, alice.userId, 'USDT', '100000');
    await fund(ui.backend, 'maker', 'BTC', '5');
    await fund(ui.backend, 'taker', 'USDT', '100000');
    await tradeAt(ui.backend, '60000.00');
    page = await newPage(ui.browser, { width: 1440, height: 960, colorScheme: 'dark' });
  });

  const ticket = () => page.getByRole('form', { name: 'Order ticket form' });
  const open = () =>
    page
      .getByRole('region', { name: 'My orders and balances' })
      .getByRole('table', { name: 'Open orders' });

  it('places a trailing stop sell from the ticket and sees its stop follow the price up', async () => {
    await signInInBrowser(page, ui.url, alice.email);
    const form = ticket();
    await form.getByText(/Available: 100000/).waitFor();
    await form.getByText('Sell', { exact: true }).click();
    await form.getByLabel('Order type').selectOption('stop_market');
    await form.getByLabel('Stop price (USDT)').waitFor();
    await form.getByLabel('Trailing stop (follows the price)').check();
    // The stop price becomes optional: where to start trailing.
    await form.getByLabel('Start trailing at (USDT, optional)').waitFor();
    expect(await form.getByLabel('Stop price (USDT)').count()).toBe(0);
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.5');
    // Refused before anything is sent: a third decimal, then more than 50 %.
    await form.getByLabel('Trail distance (%)').fill('1.505');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await form.getByText('At most 2 decimals (0.01 % steps)').waitFor();
    await form.getByLabel('Trail distance (%)').fill('60');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await form.getByText('From 0.01 to 50 %').waitFor();
    await form.getByLabel('Trail distance (%)').fill('1.5');
    // 60000 × (1 − 0.015) = 59100: the stop it starts with, from the last price.
    const note = form.getByText(
      'Sells if the price falls 1.5 % from its highest since placing; stop now 59100.00',
    );
    await note.waitFor();
    // The note is read with the distance field.
    const describedBy = await form
      .getByLabel('Trail distance (%)')
      .getAttribute('aria-describedby');
    expect(describedBy).toBe(await note.getAttribute('id'));
    await screenshot(page, 'trade-trailing-ticket-dark');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await form.getByText(/Order \d+ new/).waitFor();
    const row = open().getByRole('row').filter({ hasText: 'sell' });
    await row.getByText('stop 59100.00').waitFor();
    await row.getByText('best 60000.00').waitFor();
    await row.getByText('trail 1.50 %').waitFor();
    // The market trades higher: the stop follows, pushed by the orders stream (no reload).
    await tradeAt(ui.backend, '62000.00');
    // 62000 × 0.985 = 61070.
    await row.getByText('stop 61070.00').waitFor();
    await row.getByText('best 62000.00').waitFor();
    // A lower trade is not a new high: the stop stays.
    await tradeAt(ui.backend, '61500.00');
    await page.getByRole('region', { name: 'Order book' }).getByText('61500.00').first().waitFor();
    expect(await row.getByText('stop 61070.00').count()).toBe(1);
  });

  it('shows a trailing buy that waits for its activation price, and the rows at a glance', async () => {
    const form = ticket();
    await form.getByText('Buy', { exact: true }).click();
    await form.getByLabel('Trail distance (%)').fill('3');
    await form.getByLabel('Start trailing at (USDT, optional)').fill('65000');
    await form
      .getByText(
        'Waits for a trade at or above 65000, then buys if the price rises 3 % from its lowest since',
      )
      .waitFor();
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.1');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText(/Order \d+ new/).waitFor();
    const row = open().getByRole('row').filter({ hasText: 'buy' });
    await row.getByText('waits for 65000.00').waitFor();
    await row.getByText('trail 3.00 %').waitFor();
    await row.getByText('stop 65000.00').waitFor();
    // Every column in the card: the cancel button is not cut off.
    const cancel = await row.getByRole('button', { name: /Cancel order/ }).boundingBox();
    const panel = await page.locator('.open-orders-scroll').boundingBox();
    expect(cancel!.x + cancel!.width).toBeLessThanOrEqual(panel!.x + panel!.width);
    await screenshot(page, 'trade-trailing-open-dark');
    // Cancelled, the order history still says it trailed.
    await row.getByRole('button', { name: /Cancel order/ }).click();
    const mine = page.getByRole('region', { name: 'My orders and balances' });
    await mine.getByRole('tab', { name: /Order history/ }).click();
    const history = mine.getByRole('table', { name: 'Order history' });
    await history.getByText('trail 3.00 %').waitFor();
    const status = await history
      .getByRole('cell', { name: 'cancelled', exact: true })
      .boundingBox();
    const box = await mine.boundingBox();
    expect(status!.x + status!.width).toBeLessThanOrEqual(box!.x + box!.width);
    await screenshot(page, 'trade-trailing-history-dark');
  });

  it('places an OCO whose stop leg trails: checked against the stop it starts with', async () => {
    const form = ticket();
    await form.getByText('Sell', { exact: true }).click();
    await form.getByLabel('Order type').selectOption('oco');
    await form.getByLabel('Take-profit price (USDT)').waitFor();
    await form.getByLabel('Trailing stop (follows the price)').check();
    await form.getByLabel('Trail distance (%)').fill('2');
    await form.getByLabel('Start trailing at (USDT, optional)').fill('');
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.5');
    // The last trade was at 61,500: the stop starts at 61500 × 0.98 = 60270.
    await form
      .getByText('Sells if the price falls 2 % from its highest since placing; stop now 60270.00')
      .waitFor();
    await form.getByLabel('Take-profit price (USDT)').fill('60000');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await form.getByText('A sell takes profit above its stop, which starts at 60270.00').waitFor();
    await screenshot(page, 'trade-oco-trailing-refused-dark');
    await form.getByLabel('Take-profit price (USDT)').fill('66000');
    await screenshot(page, 'trade-oco-trailing-ticket-dark');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await form.getByText(/OCO list \d+ placed/).waitFor();
    await page
      .getByRole('region', { name: 'My orders and balances' })
      .getByRole('tab', { name: /Open orders/ })
      .click();
    const legs = open().locator('tr.oco-leg');
    await legs.nth(1).waitFor();
    const stop = legs.filter({ hasText: 'trail 2.00 %' });
    await stop.getByText('stop 60270.00').waitFor();
    await stop.getByText('best 61500.00').waitFor();
    await legs.filter({ hasText: '66000.00' }).first().waitFor();
    const lists = (await ui.backend.invoke(
      'orders.lists',
      { scope: 'open' },
      trader(alice.userId),
    )) as { items: Array<{ orders: Array<{ type: string; trailing?: { bps: number } }> }> };
    expect(lists.items[0]!.orders.map((o) => [o.type, o.trailing?.bps])).toEqual([
      ['limit', undefined],
      ['stop_market', 200],
    ]);
    await screenshot(page, 'trade-oco-trailing-open-dark');
  });

  it('places a trailing sell by an amount in USDT: trailAmount sent as typed, "trail 250.50" shown', async () => {
    const form = ticket();
    await form.getByText('Sell', { exact: true }).click();
    await form.getByLabel('Order type').selectOption('stop_market');
    const trailing = form.getByLabel('Trailing stop (follows the price)');
    if (!(await trailing.isChecked())) await trailing.check();
    await form.getByLabel('Start trailing at (USDT, optional)').fill('');
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.2');
    // The unit switch: "%" or the quote currency; the input's label says which.
    const unit = form.getByLabel('Trail distance unit');
    expect(await unit.locator('option').allTextContents()).toEqual(['%', 'USDT']);
    await unit.selectOption('amount');
    const distance = form.getByLabel('Trail distance (USDT)');
    expect(await distance.inputValue()).toBe('');
    const field = form.locator('.field').filter({ has: page.getByLabel('Trail distance (USDT)') });
    // Refused before anything is sent: off the 0.01 grid, then as far as the last price.
    await distance.fill('250.505');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await field.getByRole('alert').filter({ hasText: 'Use steps of 0.01' }).waitFor();
    await distance.fill('61500');
    await form
      .getByText('Would never trigger: 61500 USDT below 61500.00 is at or under 0')
      .waitFor();
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await field
      .getByRole('alert')
      .filter({ hasText: 'Must be below the last price, 61500.00: the stop would never trigger' })
      .waitFor();
    await distance.fill('250.5');
    // The last trade was at 61,500: the stop starts 250.50 below it, exactly.
    const note = form.getByText(
      'Sells if the price falls 250.5 USDT from its highest since placing; stop now 61249.50',
    );
    await note.waitFor();
    expect(await distance.getAttribute('aria-describedby')).toBe(await note.getAttribute('id'));
    await screenshot(page, 'trade-trailing-amount-ticket-dark');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await form.getByText(/Order \d+ new/).waitFor();
    const row = open().getByRole('row').filter({ hasText: 'trail 250.50' });
    await row.getByText('stop 61249.50').waitFor();
    await row.getByText('best 61500.00').waitFor();
    const orders = (await ui.backend.invoke(
      'orders.list',
      { scope: 'open' },
      trader(alice.userId),
    )) as { items: Array<{ trailing?: { bps?: number; amount?: string } }> };
    expect(orders.items.map((o) => o.trailing).filter((t) => t?.amount)).toEqual([
      expect.objectContaining({ amount: '250.50' }),
    ]);
    expect(orders.items.find((o) => o.trailing?.amount)?.trailing).not.toHaveProperty('bps');
    // A new high: the stop follows it, the same 250.50 below.
    await tradeAt(ui.backend, '62500.00');
    await row.getByText('stop 62249.50').waitFor();
    await row.getByText('best 62500.00').waitFor();
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'trade-trailing-amount-open-dark');
  });

  it("shows the server's refusal of an amount at the amount's input", async () => {
    const form = ticket();
    await form.getByText('Buy', { exact: true }).click();
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.1');
    const distance = form.getByLabel('Trail distance (USDT)');
    // On the tick grid and above 0, so the form sends it; more ticks than the exchange counts.
    await distance.fill('100000000000000');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    const field = form.locator('.field').filter({ has: page.getByLabel('Trail distance (USDT)') });
    await field
      .getByRole('alert')
      .filter({ hasText: /^trailAmount: / })
      .waitFor();
    expect(await distance.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'trade-trailing-amount-refused-dark');
    // Back in percent, the percent typed before is still there and the refusal is not.
    await form.getByLabel('Trail distance unit').selectOption('percent');
    expect(await form.getByLabel('Trail distance (%)').inputValue()).toBe('2');
    expect(await form.getByText(/^trailAmount: /).count()).toBe(0);
  });

  it('keeps the trailing ticket usable in a short 1024 × 640 window', async () => {
    const small = await newPage(ui.browser, { width: 1024, height: 640, colorScheme: 'light' });
    await signInInBrowser(small, ui.url, alice.email);
    const form = small.getByRole('form', { name: 'Order ticket form' });
    await form.getByText(/Available: \d/).waitFor();
    await form.getByText('Sell', { exact: true }).click();
    await form.getByLabel('Order type').selectOption('stop_limit');
    await form.getByLabel('Trailing stop (follows the price)').check();
    await form.getByLabel('Trail distance (%)').fill('2');
    await form.getByText(/Places the sell limit if the price falls 2 %/).waitFor();
    const overflow = await small.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    );
    expect(overflow).toBe(false);
    await screenshot(small, 'trade-trailing-ticket-1024x640-light');
    // The OCO's trailing stop leg and a trailing stop loss fit the narrow ticket too.
    await form.getByLabel('Order type').selectOption('oco');
    await form.getByText(/Sells if the price falls 2 %/).waitFor();
    await form.getByLabel('Take-profit price (USDT)').fill('70000');
    await screenshot(small, 'trade-oco-trailing-ticket-1024x640-light');
    await form.getByLabel('Order type').selectOption('market');
    await form.getByText('TP / SL', { exact: true }).click();
    await form.getByLabel('Trail the stop loss').check();
    await form.getByLabel('Trail by (%)').fill('2.5');
    await form.getByText(/a buy stop that follows the best price 2\.5 % behind it/).waitFor();
    const wide = await small.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    );
    expect(wide).toBe(false);
    await form.getByLabel('Trail by (%)').scrollIntoViewIfNeeded();
    await screenshot(small, 'trade-exits-trailing-ticket-1024x640-light');
    await small.close();
  });
});
