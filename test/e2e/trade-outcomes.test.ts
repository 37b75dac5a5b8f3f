/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOwner, createUser, signInInBrowser, type TestSession } from '../helpers/auth';
import { chromiumMissingReason, e2eFixture, newPage, screenshot } from '../helpers/browser';
import { fund, fundTape, limit, place, trader } from '../helpers/exchange';

const missing = chromiumMissingReason();

/**
 * What the Trade screen says an order did: a market buy by amount that filled and left less
 * than a lot, the order history's placed time, average fill price and "rest" status, the open
 * orders' cancel buttons beside OCO, trailing and take-profit rows, cancel all, and an amend
 * refused by the exchange.
 */
describe.skipIf(missing !== undefined)('trade screen: what orders did, in Chromium', () => {
  // The backend's clock runs ahead of the real one by `ahead`: history rows minutes apart.
  let ahead = 0;
  const ui = e2eFixture({ config: { now: () => Date.now() + ahead }, page: false });
  let alice: TestSession;
  let page: Page;

  const ticket = () => page.getByRole('form', { name: 'Order ticket form' });
  const mine = () => page.getByRole('region', { name: 'My orders and balances' });
  const open = () => mine().getByRole('table', { name: 'Open orders' });
  const history = () => mine().getByRole('table', { name: 'Order history' });
  const tab = (name: RegExp) => mine().getByRole('tab', { name }).click();
  const as = (input: Record<string, unknown>) =>
    ui.backend.invoke('orders.place', { symbol: 'BTC/USDT', ...input }, trader(alice.userId));
  const openIds = async () =>
    (
      (await ui.backend.invoke('orders.list', { scope: 'open' }, trader(alice.userId))) as {
        items: Array<{ orderId: number }>;
      }
    ).items.map((o) => o.orderId);
  /** The page's own wording of a time (the browser's time zone and locale). */
  const timeOf = (ms: number) =>
    page.evaluate((t) => new Date(t).toLocaleTimeString([], { hour12: false }), ms);

  beforeAll(async () => {
    await createOwner(ui.backend);
    alice = await createUser(ui.backend, 'trader');
    await fund(ui.backend, alice.userId, 'BTC', '2');
    await fund(ui.backend, alice.userId, 'USDT', '100000');
    // carol and dave trade at 65,000.00: the last price.
    await fundTape(ui.backend, '65000.00');
    page = await newPage(ui.browser, { width: 1440, height: 960, colorScheme: 'dark' });
    await signInInBrowser(page, ui.url, alice.email);
    await ticket()
      .getByText(/Available: 100000/)
      .waitFor();
  });

  it('a market buy by amount that bought and left less than a lot says what it bought', async () => {
    // One ask: 100 USDT buys 0.0015 BTC (97.50 USDT); the 2.50 left buys less than a lot.
    await place(ui.backend, 'carol', limit('sell', '65000.00', '0.01'));
    const form = ticket();
    await form.getByLabel('Order type').selectOption('market');
    await form.getByRole('radio', { name: 'Amount (USDT)' }).check();
    await form.getByRole('textbox', { name: 'Amount (USDT)' }).fill('100');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form
      .getByText(
        'Bought 0.0015 BTC for 97.50 USDT; 2.50 USDT not spent (less than one lot, 0.0001 BTC)',
      )
      .waitFor();
    expect(await form.getByText(/cancelled/).count()).toBe(0);
    await screenshot(page, 'trade-outcome-market-quote-dark');
    await tab(/Order history/);
    const row = history().getByRole('row').nth(1);
    // Not "cancelled (IOC remainder)": what filled, and under it what became of the rest.
    const status = row.locator('td').last();
    await status.getByText('filled 0.0015', { exact: true }).waitFor();
    await status.getByText('rest under one lot', { exact: true }).waitFor();
    expect(await status.getAttribute('title')).toBe(
      '2.50 USDT not spent (less than one lot, 0.0001 BTC)',
    );
    expect(await row.getByText(/cancelled/).count()).toBe(0);
    // The average fill price in place of "market": 97.50 ÷ 0.0015.
    await row.getByRole('cell', { name: 'avg 65000.00' }).waitFor();
    await screenshot(page, 'trade-outcome-history-quote-dark');
    await tab(/Open orders/);
  });

  it('keeps every cancel button in view beside OCO, trailing and take-profit rows', async () => {
    await ui.backend.invoke(
      'orders.placeOco',
      { symbol: 'BTC/USDT', side: 'sell', qty: '0.01', price: '70000', stopTrailBps: 200 },
      trader(alice.userId),
    );
    await ui.backend.invoke(
      'orders.placeOco',
      { symbol: 'BTC/USDT', side: 'sell', qty: '0.01', price: '70000', stopPrice: '60000' },
      trader(alice.userId),
    );
    await as({ side: 'sell', type: 'stop_market', qty: '0.01', trailBps: 150 });
    await as({ side: 'sell', type: 'stop_market', qty: '0.01', stopPrice: '60000' });
    await as({ side: 'buy', type: 'take_profit_market', quoteQty: '1000', stopPrice: '60000' });
    await as({
      side: 'sell',
      type: 'take_profit_limit',
      qty: '0.01',
      price: '69900',
      stopPrice: '70000',
    });
    await as({ side: 'buy', type: 'limit', qty: '0.01', price: '60000' });
    await open().locator('tr.oco-leg').nth(3).waitFor();
    // A market kind runs IOC whatever the ticket: it says so nowhere (the user chose no TIF).
    const stopRow = open()
      .getByRole('row', { name: /stop 60000\.00/ })
      .last();
    await stopRow.getByText('stop market').waitFor();
    expect.soft(await open().getByText(/IOC/).count()).toBe(0);
    const scroller = page.locator('.open-orders-scroll');
    const inView = async (button: Locator) => {
      const box = (await button.boundingBox())!;
      const panel = (await scroller.boundingBox())!;
      return box.x >= panel.x && box.x + box.width <= panel.x + panel.width;
    };
    // `fits`: nothing to scroll sideways to. 1301–1440 px windows give the tables less room
    // (three columns beside them): there the buttons stay in view over the other columns.
    for (const shape of [
      { width: 1440, height: 960, name: '1440', fits: true },
      { width: 1024, height: 640, name: '1024x640', fits: true },
      { width: 1280, height: 720, name: '1280x720', fits: true },
      { width: 1320, height: 900, name: '1320', fits: false },
    ]) {
      await page.setViewportSize(shape);
      await scroller.evaluate((el) => el.scrollTo(0, 0));
      await scroller.scrollIntoViewIfNeeded();
      const cancels = open().getByRole('button', { name: /^Cancel (order|OCO list)/ });
      await expect.poll(() => cancels.count()).toBeGreaterThan(5);
      for (let i = 0; i < (await cancels.count()); i++) {
        const button = cancels.nth(i);
        if (!(await button.isVisible())) continue;
        expect.soft(await inView(button), `${shape.name}: cancel button ${i}`).toBe(true);
      }
      const sideways = await scroller.evaluate((el) => el.scrollWidth - el.clientWidth);
      if (shape.fits) expect.soft(sideways, shape.name).toBeLessThanOrEqual(0);
      await screenshot(page, `trade-outcome-open-orders-${shape.name}-dark`);
    }
    // The OCO legs (one trailing) under the take-profit and trailing rows, in a 1440 px window.
    await page.setViewportSize({ width: 1440, height: 960 });
    await scroller.evaluate((el) => el.scrollTo(0, 110));
    await screenshot(page, 'trade-outcome-open-orders-oco-1440-dark');
    await page.setViewportSize({ width: 1440, height: 960 });
  });

  it('asks before cancelling all, then says what it did; no stale line', async () => {
    const before = await openIds();
    expect(before.length).toBeGreaterThan(8);
    // Two picked and cancelled: the line says so.
    await open()
      .getByRole('row', { name: /60000\.00/ })
      .first()
      .waitFor();
    const pick = open().getByRole('checkbox', { name: /Select order/ });
    await pick.nth(0).check();
    await pick.nth(1).check();
    await mine().getByRole('button', { name: 'Cancel 2 selected' }).click();
    await mine().getByText('Cancelled 2 orders').waitFor();
    // Cancel all asks first, in the bar; nothing is cancelled until it is confirmed.
    await mine().getByRole('button', { name: 'Cancel all BTC/USDT' }).click();
    const confirm = mine().getByRole('group', { name: 'Confirm cancel all' });
    await confirm.getByText(/^Cancel all \d+ open orders in BTC\/USDT\?$/).waitFor();
    // The earlier outcome is gone as soon as a new action starts.
    expect(await mine().getByText('Cancelled 2 orders').count()).toBe(0);
    await screenshot(page, 'trade-outcome-cancel-all-confirm-dark');
    await confirm.getByRole('button', { name: 'Keep them' }).click();
    await expect.poll(() => confirm.count()).toBe(0);
    const left = (await openIds()).length;
    expect(left).toBeGreaterThan(5);
    await mine().getByRole('button', { name: 'Cancel all BTC/USDT' }).click();
    await confirm.getByRole('button', { name: 'Yes, cancel all' }).click();
    await mine().getByText(`Cancelled ${left} orders`).waitFor();
    await mine().getByText('No open orders.').waitFor();
    expect(await mine().getByText('Cancelled 2 orders').count()).toBe(0);
    expect(await openIds()).toEqual([]);
    await screenshot(page, 'trade-outcome-cancel-all-done-dark');
  });

  it('shows an amend refused by the exchange once, at the amend form, worded once', async () => {
    await as({ side: 'buy', type: 'limit', qty: '0.01', price: '60000' });
    await open().getByRole('cell', { name: '60000.00' }).waitFor();
    await open()
      .getByRole('button', { name: /Amend order/ })
      .click();
    const amend = open().getByRole('group', { name: /Amend order/ });
    // A price off the tick: the exchange refuses it (the form does not check it first).
    await amend.getByLabel('New price').fill('60500.005');
    await amend.getByRole('button', { name: 'Save' }).click();
    await amend.getByRole('alert').waitFor();
    expect(await amend.getByRole('alert').textContent()).toBe(
      'price 60500.005 is not a multiple of 0.01',
    );
    // Once on the screen: no banner over the Trade screen as well.
    await page.waitForTimeout(200);
    expect(await page.getByText(/is not a multiple of 0\.01/).count()).toBe(1);
    await screenshot(page, 'trade-outcome-amend-refused-dark');
    await amend.getByRole('button', { name: 'Close' }).click();
    await mine().getByRole('button', { name: 'Cancel all BTC/USDT' }).click();
    await mine().getByRole('button', { name: 'Yes, cancel all' }).click();
    await mine().getByText('Cancelled 1 order').waitFor();
  });

  it('lists the order history by the time orders were placed, and shows that time', async () => {
    // A placed 10 minutes before B; B cancelled first, A 20 minutes after that.
    const a = (await as({ side: 'buy', type: 'limit', qty: '0.01', price: '62000' })) as {
      orderId: number;
      tsCreated: number;
    };
    ahead += 10 * 60_000;
    const b = (await as({ side: 'buy', type: 'limit', qty: '0.01', price: '61000' })) as {
      orderId: number;
      tsCreated: number;
    };
    ahead += 5 * 60_000;
    await ui.backend.invoke('orders.cancel', { orderId: b.orderId }, trader(alice.userId));
    ahead += 20 * 60_000;
    const cancelA = (await ui.backend.invoke(
      'orders.cancel',
      { orderId: a.orderId },
      trader(alice.userId),
    )) as { tsUpdated: number };
    await tab(/Order history/);
    const rowOf = (price: string) => history().getByRole('row').filter({ hasText: price });
    await rowOf('62000.00').waitFor();
    // Newest placed first (B, then A), each with the time it was placed on its first line…
    const firstLines = await history()
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.slice(0, 2).map((r) => (r as HTMLElement).innerText.split('\t')[0]!.split('\n')[0]),
      );
    expect(firstLines).toEqual([await timeOf(b.tsCreated), await timeOf(a.tsCreated)]);
    await expect(history().locator('tbody tr').nth(0).innerText()).resolves.toContain('61000.00');
    // …and under it when it ended.
    await rowOf('62000.00')
      .getByText(`ended ${await timeOf(cancelA.tsUpdated)}`)
      .waitFor();
    await history().getByRole('columnheader', { name: 'Placed' }).waitFor();
    // The times' second line leaves the table inside its card at 1440 px.
    const sideways = await page
      .locator('.trade-mine-panel')
      .evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    await screenshot(page, 'trade-outcome-history-placed-dark');
  });
});
