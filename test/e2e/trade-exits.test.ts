/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOwner, createUser, signInInBrowser, type TestSession } from '../helpers/auth';
import { chromiumMissingReason, e2eFixture, newPage, screenshot } from '../helpers/browser';
import { fund, trader } from '../helpers/exchange';

const missing = chromiumMissingReason();

describe.skipIf(missing !== undefined)('trade screen: take profit / stop loss in Chromium', () => {
  const ui = e2eFixture({ page: false });
  let alice: TestSession;
  let page: Page;

  beforeAll(async () => {
    await createOwner(ui.backend);
    alice = await createUser(ui.backend, 'trader');
    await fund(ui.backend, alice.userId, 'USDT', '100000');
    await fund(ui.backend, 'maker', 'BTC', '5');
    await ui.backend.invoke(
      'orders.place',
      { symbol: 'BTC/USDT', side: 'sell', type: 'limit', price: '60000.00', qty: '2' },
      trader('maker'),
    );
    page = await newPage(ui.browser, { width: 1440, height: 960, colorScheme: 'dark' });
  });

  const mine = () => page.getByRole('region', { name: 'My orders and balances' });

  /**
   * Buys with the ticket's exits, then answers the trailing stop's row in Open orders once the
   * take-profit at `takeProfit` is listed beside it.
   */
  async function buyAndFindTrailingStop(takeProfit: string, trail: string) {
    const form = page.getByRole('form', { name: 'Order ticket form' });
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText(/Order \d+ filled; take profit \/ stop loss placed/).waitFor();
    await mine()
      .getByRole('tab', { name: /Open orders/ })
      .click();
    const open = mine().getByRole('table', { name: 'Open orders' });
    await open.getByRole('cell', { name: takeProfit }).waitFor();
    return open.getByRole('row').filter({ hasText: trail });
  }

  it('buys at market with exits: checked against the ask, placed as an OCO, listed under TP / SL', async () => {
    await signInInBrowser(page, ui.url, alice.email);
    const form = page.getByRole('form', { name: 'Order ticket form' });
    await form.getByText(/Available: 100000/).waitFor();
    await form.getByLabel('Order type').selectOption('market');
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.5');
    await form.getByText('TP / SL', { exact: true }).click();
    // A buy's take profit below the 60,000 ask is refused before anything is sent.
    await form.getByLabel('Take profit (USDT)').fill('59000');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText(/A buy's take profit is above 60000/).waitFor();
    await form.getByLabel('Take profit (USDT)').fill('66000');
    await form.getByLabel('Stop loss (USDT)').fill('57000');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText(/Order \d+ filled; take profit \/ stop loss placed/).waitFor();
    const open = mine().getByRole('table', { name: 'Open orders' });
    await open.getByRole('cell', { name: '66000.00' }).waitFor();
    await open.getByText('stop 57000.00').waitFor();
    await screenshot(page, 'trade-exits-ticket-dark');
    await mine()
      .getByRole('tab', { name: /TP \/ SL/ })
      .click();
    const plans = mine().getByRole('table', { name: 'Take profit and stop loss' });
    await plans.getByRole('cell', { name: 'placed', exact: true }).waitFor();
    await plans.getByText(/0\.5000 as orders/).waitFor();
    await screenshot(page, 'trade-exits-plans-dark');
  });

  it('a resting limit buy waits with its stop loss, which can be dropped while it waits', async () => {
    const form = page.getByRole('form', { name: 'Order ticket form' });
    await form.getByLabel('Order type').selectOption('limit');
    await form.getByLabel('Price (USDT)').fill('55000');
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.2');
    await form.getByLabel('Take profit (USDT)').fill('');
    await form.getByLabel('Stop loss (USDT)').fill('52000');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText(/Order \d+ new; take profit \/ stop loss follow its fills/).waitFor();
    const plans = mine().getByRole('table', { name: 'Take profit and stop loss' });
    await plans.getByRole('cell', { name: 'waiting for the order' }).waitFor();
    await screenshot(page, 'trade-exits-waiting-dark');
    await plans.getByRole('button', { name: /Drop the take profit \/ stop loss of order/ }).click();
    await plans.getByRole('cell', { name: 'ended', exact: true }).waitFor();
    await plans.getByRole('cell', { name: 'user', exact: true }).waitFor();
  });

  it('a resting limit buy filled in part: that part is protected at once, the plan still waits', async () => {
    const form = page.getByRole('form', { name: 'Order ticket form' });
    await form.getByLabel('Price (USDT)').fill('58000');
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.3');
    await form.getByLabel('Take profit (USDT)').fill('62000');
    await form.getByLabel('Stop loss (USDT)').fill('56000');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText(/Order \d+ new; take profit \/ stop loss follow its fills/).waitFor();
    // Another trader sells 0.1 into it.
    await fund(ui.backend, 'seller', 'BTC', '1');
    await ui.backend.invoke(
      'orders.place',
      {
        symbol: 'BTC/USDT',
        side: 'sell',
        type: 'limit',
        price: '58000.00',
        qty: '0.1',
        tif: 'IOC',
      },
      trader('seller'),
    );
    const plans = mine().getByRole('table', { name: 'Take profit and stop loss' });
    await plans.getByRole('cell', { name: 'part filled, protected' }).waitFor();
    await plans.getByText(/0\.1000 as orders \d+, \d+ so far/).waitFor();
    await plans.getByRole('cell', { name: '62000.00' }).waitFor();
    await screenshot(page, 'trade-exits-part-filled-dark');
  });

  it('buys at market with a take profit and a trailing stop loss: a limit and a trailing stop', async () => {
    const form = page.getByRole('form', { name: 'Order ticket form' });
    await form.getByLabel('Order type').selectOption('market');
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.2');
    await form.getByLabel('Take profit (USDT)').fill('65000');
    await form.getByLabel('Trail the stop loss').check();
    // The stop loss price gives way to a distance.
    expect(await form.getByLabel('Stop loss (USDT)').count()).toBe(0);
    await form.getByLabel('Trail by (%)').fill('2.505');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText('At most 2 decimals (0.01 % steps)').waitFor();
    await form.getByLabel('Trail by (%)').fill('2.5');
    const note = form.getByText(/a sell stop that follows the best price 2\.5 % behind it/);
    await note.waitFor();
    expect(await form.getByLabel('Trail by (%)').getAttribute('aria-describedby')).toBe(
      await note.getAttribute('id'),
    );
    await screenshot(page, 'trade-exits-trailing-ticket-dark');
    // The stop trails from the fill at 60,000: 60000 × 0.975 = 58500.
    const stop = await buyAndFindTrailingStop('65000.00', 'trail 2.50 %');
    await stop.getByText('stop 58500.00').waitFor();
    await stop.getByText('best 60000.00').waitFor();
    await screenshot(page, 'trade-exits-trailing-open-dark');
    await mine()
      .getByRole('tab', { name: /TP \/ SL/ })
      .click();
    const plans = mine().getByRole('table', { name: 'Take profit and stop loss' });
    const plan = plans.getByRole('row').filter({ hasText: 'trailing 2.5 %' });
    await plan.getByText(/^65000(\.00)?$/).waitFor();
    await plan.getByRole('cell', { name: 'placed', exact: true }).waitFor();
    await screenshot(page, 'trade-exits-trailing-plans-dark');
  });

  it('buys at market with a stop loss trailing by an amount in USDT: sent as typed, "trail 1250.50"', async () => {
    const form = page.getByRole('form', { name: 'Order ticket form' });
    await form.getByText('Buy', { exact: true }).click();
    await form.getByLabel('Order type').selectOption('market');
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.2');
    await form.getByLabel('Take profit (USDT)').fill('65500');
    const trails = form.getByLabel('Trail the stop loss');
    if (!(await trails.isChecked())) await trails.check();
    // The unit switch: "%" or the quote currency; the input's label says which.
    const unit = form.getByLabel('Trail by unit');
    expect(await unit.locator('option').allTextContents()).toEqual(['%', 'USDT']);
    await unit.selectOption('amount');
    const distance = form.getByLabel('Trail by (USDT)');
    expect(await distance.inputValue()).toBe('');
    const field = form.locator('.field').filter({ has: page.getByLabel('Trail by (USDT)') });
    // Refused before anything is sent: off the 0.01 grid, then as far as the 60,000 ask.
    await distance.fill('1250.505');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await field.getByRole('alert').filter({ hasText: 'Use steps of 0.01' }).waitFor();
    expect(await distance.getAttribute('aria-invalid')).toBe('true');
    await distance.fill('60000');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await field
      .getByRole('alert')
      .filter({ hasText: 'Must be below the best ask, 60000.00: the stop would never trigger' })
      .waitFor();
    await distance.fill('1250.50');
    const note = form.getByText(/a sell stop that follows the best price 1250\.50 USDT behind it/);
    await note.waitFor();
    expect(await distance.getAttribute('aria-describedby')).toBe(await note.getAttribute('id'));
    await distance.scrollIntoViewIfNeeded();
    await screenshot(page, 'trade-exits-trailing-amount-ticket-dark');
    // The stop trails from the fill at 60,000: 60000 − 1250.50 = 58749.50.
    const stop = await buyAndFindTrailingStop('65500.00', 'trail 1250.50');
    await stop.getByText('stop 58749.50').waitFor();
    await stop.getByText('best 60000.00').waitFor();
    await stop.scrollIntoViewIfNeeded();
    await screenshot(page, 'trade-exits-trailing-amount-open-dark');
    const orders = (await ui.backend.invoke(
      'orders.list',
      { scope: 'open' },
      trader(alice.userId),
    )) as { items: Array<{ trailing?: { bps?: number; amount?: string } | null }> };
    expect(orders.items.map((o) => o.trailing).filter((t) => t?.amount)).toEqual([
      expect.objectContaining({ amount: '1250.50' }),
    ]);
    await mine()
      .getByRole('tab', { name: /TP \/ SL/ })
      .click();
    const plans = mine().getByRole('table', { name: 'Take profit and stop loss' });
    const plan = plans.getByRole('row').filter({ hasText: 'trailing 1250.50' });
    await plan.getByText(/^65500(\.00)?$/).waitFor();
    await plan.getByRole('cell', { name: 'placed', exact: true }).waitFor();
    const listed = (await ui.backend.invoke('orders.exitPlans', {}, trader(alice.userId))) as {
      items: Array<{ stopLoss: unknown }>;
    };
    expect(listed.items[0]?.stopLoss).toEqual({ trailAmount: '1250.50' });
    await screenshot(page, 'trade-exits-trailing-amount-plans-dark');
  });

  it("shows the server's refusal of the stop loss's amount at its input", async () => {
    const form = page.getByRole('form', { name: 'Order ticket form' });
    await form.getByText('Sell', { exact: true }).click();
    await form.getByRole('textbox', { name: 'Quantity (BTC)' }).fill('0.1');
    await form.getByLabel('Take profit (USDT)').fill('');
    // A sell's stop loss trails above the price: the form lets any amount on the grid through;
    // the exchange cannot count this many ticks.
    const distance = form.getByLabel('Trail by (USDT)');
    await distance.fill('100000000000000');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    const field = form.locator('.field').filter({ has: page.getByLabel('Trail by (USDT)') });
    await field
      .getByRole('alert')
      .filter({ hasText: /trailAmount 100000000000000/ })
      .waitFor();
    expect(await distance.getAttribute('aria-invalid')).toBe('true');
    await distance.scrollIntoViewIfNeeded();
    await screenshot(page, 'trade-exits-trailing-amount-refused-dark');
    // Back in percent, the percent typed before is still there and the refusal is not.
    await form.getByLabel('Trail by unit').selectOption('percent');
    expect(await form.getByLabel('Trail by (%)').inputValue()).toBe('2.5');
    expect(await form.getByText(/trailAmount 100000000000000/).count()).toBe(0);
  });
});
