/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '../helpers/backend';
import {
  TEST_PASSWORD,
  createOwner,
  createUser,
  enableTwoFactor,
  signInInBrowser,
  totpCode,
  type TestSession,
} from '../helpers/auth';
import { chromiumMissingReason, e2eFixture, newPage, screenshot } from '../helpers/browser';
import { fund, trader } from '../helpers/exchange';

const missing = chromiumMissingReason();

describe.skipIf(missing !== undefined)('trade screen in Chromium', () => {
  const ui = e2eFixture({ page: false });
  let browser: Browser;
  let backend: TestBackend;
  let url: string;
  let alice: TestSession;
  let bob: TestSession;
  let pageA: Page;
  let pageB: Page;
  let totpSecret = '';

  beforeAll(async () => {
    ({ backend, url, browser } = ui);
    totpSecret = (await enableTwoFactor(backend, await createOwner(backend))).totpSecret ?? '';
    alice = await createUser(backend, 'trader');
    bob = await createUser(backend, 'trader');
    await fund(backend, alice.userId, 'USDT', '100000');
    await fund(backend, bob.userId, 'BTC', '2');
    pageA = await newPage(browser, { width: 1440, height: 960, colorScheme: 'dark' });
    pageB = await newPage(browser, { width: 1440, height: 960, colorScheme: 'light' });
  });

  const ticket = (page: Page) => page.getByRole('form', { name: 'Order ticket form' });
  const mine = (page: Page) => page.getByRole('region', { name: 'My orders and balances' });

  it('places a limit order that shows in the book and in open orders', async () => {
    await signInInBrowser(pageA, url, alice.email);
    const form = ticket(pageA);
    await form.getByText('Available: 100000.000000 USDT').waitFor();
    // Inline errors before anything is sent.
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText('Enter a price above 0').waitFor();
    await form.getByLabel('Price (USDT)').fill('60000.005');
    await form.getByLabel('Quantity (BTC)').fill('0.5');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText('Use steps of 0.01').waitFor();
    await form.getByLabel('Price (USDT)').fill('60000');
    // Cost preview: 30,000 + the 0.2 % taker fee at most.
    await expect(form.getByTestId('ticket-total').textContent()).resolves.toBe('30060.000000 USDT');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByText(/Order \d+ new/).waitFor();

    const book = pageA.getByRole('region', { name: 'Order book' });
    await book.locator('.book-row.bid', { hasText: '60000.00' }).getByText('0.5000').waitFor();
    const open = mine(pageA).getByRole('table', { name: 'Open orders' });
    await open.getByRole('cell', { name: '60000.00' }).waitFor();
    await mine(pageA)
      .getByRole('tab', { name: /Balances/ })
      .click();
    await mine(pageA).getByRole('row', { name: /USDT/ }).getByText('30060.000000').waitFor();
  });

  it('a second user crosses it: fills, candle, tape and balances update live', async () => {
    await signInInBrowser(pageB, url, bob.email);
    const book = pageB.getByRole('region', { name: 'Order book' });
    // Click-to-fill: the bid's price goes into the ticket.
    await book.locator('.book-row.bid', { hasText: '60000.00' }).click();
    const form = ticket(pageB);
    await form.getByRole('radio', { name: 'Sell' }).check();
    await expect(form.getByLabel('Price (USDT)').inputValue()).resolves.toBe('60000.00');
    await form.getByLabel('Quantity (BTC)').fill('0.5');
    await form.getByRole('button', { name: 'Sell BTC' }).click();
    await form.getByText(/Order \d+ filled/).waitFor();

    // Bob (light theme): his trade, the tape, the candle and the last price.
    await mine(pageB)
      .getByRole('tab', { name: /My trades/ })
      .click();
    const bobFills = mine(pageB).getByRole('table', { name: 'My trades' });
    await bobFills.getByRole('cell', { name: 'taker' }).waitFor();
    await pageB.getByRole('region', { name: 'Recent trades' }).getByText('60000.00').waitFor();
    await pageB.locator('.trade-chart-canvas[data-candles="1"]').waitFor();
    await pageB.getByTestId('last-price').getByText('60000.00').waitFor();
    await pageB.waitForTimeout(300);
    await screenshot(pageB, 'trade-light');

    // Alice (dark theme), without reloading: the order left the book, her fill and balances.
    await pageA.locator('.trade-chart-canvas[data-candles="1"]').waitFor();
    await mine(pageA).getByRole('row', { name: /BTC/ }).getByText('0.50000000').waitFor();
    await mine(pageA)
      .getByRole('tab', { name: /My trades/ })
      .click();
    await mine(pageA)
      .getByRole('table', { name: 'My trades' })
      .getByRole('cell', { name: 'maker' })
      .waitFor();
    // The tab holds the recent fills and says where all of them are.
    await mine(pageA).getByRole('link', { name: 'Wallet → Statements' }).waitFor();
    await mine(pageA)
      .getByRole('tab', { name: /Open orders/ })
      .click();
    await mine(pageA).getByText('No open orders.').waitFor();
    await expect(
      pageA.getByRole('region', { name: 'Order book' }).locator('.book-row.bid').count(),
    ).resolves.toBe(0);
    await pageA.getByTestId('last-price').getByText('60000.00').waitFor();
    await pageA.waitForTimeout(300);
    await screenshot(pageA, 'trade-dark');
  });

  it('amends and cancels from the open orders table', async () => {
    const form = ticket(pageA);
    await form.getByLabel('Price (USDT)').fill('59000');
    await form.getByLabel('Quantity (BTC)').fill('0.2');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    const open = mine(pageA).getByRole('table', { name: 'Open orders' });
    await open.getByRole('cell', { name: '59000.00' }).waitFor();
    await open.getByRole('button', { name: /Amend order/ }).click();
    const amend = open.getByRole('group', { name: /Amend order/ });
    await amend.getByLabel('New price').fill('58000');
    await screenshot(pageA, 'trade-amend-dark');
    await amend.getByRole('button', { name: 'Save' }).click();
    await open.getByRole('cell', { name: '58000.00' }).waitFor();
    await pageA
      .getByRole('region', { name: 'Order book' })
      .locator('.book-row.bid', { hasText: '58000.00' })
      .waitFor();
    await open.getByRole('button', { name: /Cancel order/ }).click();
    await mine(pageA).getByText('No open orders.').waitFor();
  });

  it('places a scaled order: a ladder of limit orders in one batch', async () => {
    const form = ticket(pageA);
    await form.getByLabel('Order type').selectOption('scaled');
    await form.getByLabel('From price (USDT)').fill('59000');
    await form.getByLabel('To price (USDT)').fill('59000.02');
    await form.getByLabel('Orders', { exact: true }).fill('4');
    await form.getByLabel('Total quantity (BTC)').fill('0.4');
    await form.getByRole('button', { name: 'Buy BTC in steps' }).click();
    await form
      .getByText(
        '59000–59000.02 holds 3 prices at a tick of 0.01: widen it or use at most 3 orders',
      )
      .waitFor();
    await form.getByLabel('To price (USDT)').fill('58700');
    const legs = form.getByRole('table', { name: 'Scaled orders' });
    await expect(legs.locator('tbody tr').allInnerTexts()).resolves.toEqual([
      '1\t59000.00\t0.1000',
      '2\t58900.00\t0.1000',
      '3\t58800.00\t0.1000',
      '4\t58700.00\t0.1000',
    ]);
    // 23,540 of value + the 0.2 % taker fee each may pay at most.
    await expect(form.getByTestId('ticket-total').textContent()).resolves.toBe('23587.080000 USDT');
    await form.getByRole('button', { name: 'Buy BTC in steps' }).click();
    await form.getByText('Placed 4 orders').waitFor();
    const open = mine(pageA).getByRole('table', { name: 'Open orders' });
    for (const price of ['59000.00', '58900.00', '58800.00', '58700.00']) {
      await open.getByRole('cell', { name: price }).waitFor();
    }
    await pageA
      .getByRole('region', { name: 'Order book' })
      .locator('.book-row.bid', { hasText: '58700.00' })
      .waitFor();
    await screenshot(pageA, 'trade-scaled-dark');
    // More than the balance left: each order is placed or refused on its own.
    await form.getByLabel('From price (USDT)').fill('55000');
    await form.getByLabel('To price (USDT)').fill('56000');
    await form.getByLabel('Orders', { exact: true }).fill('3');
    await form.getByLabel('Total quantity (BTC)').fill('1.5');
    await form.getByRole('button', { name: 'Buy BTC in steps' }).click();
    await form
      .getByText(/^Placed 1 of 3; refused #2, #3: Needs [0-9.]+ USDT available, has [0-9.]+$/)
      .waitFor();
    await screenshot(pageA, 'trade-scaled-partial-dark');
    // Take down part of the ladder in one call: the picked orders only.
    const openTable = mine(pageA).getByRole('table', { name: 'Open orders' });
    const row = (price: string) => openTable.getByRole('row', { name: new RegExp(price) });
    for (const price of ['59000.00', '58900.00']) {
      await row(price).getByRole('checkbox').check();
    }
    await mine(pageA).getByRole('button', { name: 'Cancel 2 selected' }).click();
    await mine(pageA).getByText('Cancelled 2 orders').waitFor();
    await expect.poll(() => openTable.locator('tbody tr').count()).toBe(3);
    await screenshot(pageA, 'trade-cancel-selected-dark');
    // Cancel all asks first; its answer replaces the last one.
    await mine(pageA)
      .getByRole('button', { name: /Cancel all/ })
      .click();
    await mine(pageA).getByRole('button', { name: 'Yes, cancel all' }).click();
    await mine(pageA).getByText('Cancelled 3 orders').waitFor();
    await mine(pageA).getByText('No open orders.').waitFor();
    await form.getByLabel('Order type').selectOption('limit');
    // The light theme's ticket, a sell ladder previewed (not sent).
    const light = ticket(pageB);
    await light.getByLabel('Order type').selectOption('scaled');
    await light.getByRole('radio', { name: 'Sell' }).check();
    await light.getByLabel('From price (USDT)').fill('61000');
    await light.getByLabel('To price (USDT)').fill('62000');
    await light.getByLabel('Total quantity (BTC)').fill('0.25');
    await light.getByRole('table', { name: 'Scaled orders' }).getByText('62000.00').waitFor();
    await screenshot(pageB, 'trade-scaled-light');
    await light.getByLabel('Order type').selectOption('limit');
  });

  it('shows the simulated market moving when the simulator runs', async () => {
    const sim = backend.features.simulator;
    sim.tune('BTC/USDT', { tickMs: 200, takerRatePerSecond: 5 });
    sim.resume('BTC/USDT');
    const book = pageA.getByRole('region', { name: 'Order book' });
    await expect.poll(() => book.locator('.book-row.bid').count(), { timeout: 5000 }).toBe(10);
    await expect
      .poll(
        () => pageA.getByRole('region', { name: 'Recent trades' }).locator('tbody tr').count(),
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThan(5);
    await screenshot(pageA, 'trade-live-dark');
    // Chart and the whole ticket (its button included) on screen without scrolling, at the
    // minimum window (1024 × 768: the book goes under the chart; 1024 × 640: the button still
    // shows) and on a 1280 × 720 laptop (chart, book and ticket side by side, the market bar
    // in one row).
    // Inside the scrolling content area (not under the status bar), without scrolling it.
    const inView = async (locator: ReturnType<Page['locator']>) => {
      const box = await locator.boundingBox();
      const area = (await pageB.locator('.content').boundingBox())!;
      return (
        box !== null &&
        box.y >= area.y &&
        box.y + box.height <= area.y + area.height &&
        box.x + box.width <= area.x + area.width
      );
    };
    const submit = ticket(pageB).getByRole('button', { name: /^(Buy|Sell) BTC$/ });
    const boxes = async () => ({
      chart: (await pageB.locator('.trade-chart').boundingBox())!,
      book: (await pageB.getByRole('region', { name: 'Order book' }).boundingBox())!,
      ticket: (await ticket(pageB).boundingBox())!,
    });
    await pageB.setViewportSize({ width: 1024, height: 768 });
    await expect
      .poll(() =>
        pageB.getByRole('region', { name: 'Order book' }).locator('.book-row.bid').count(),
      )
      .toBe(10);
    const overflow = await pageB.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    );
    expect(overflow).toBe(false);
    await expect.poll(() => inView(submit)).toBe(true);
    expect(await inView(pageB.locator('.trade-chart'))).toBe(true);
    const narrow = await boxes();
    expect(narrow.ticket.x).toBeGreaterThan(narrow.chart.x + narrow.chart.width);
    expect(narrow.book.y).toBeGreaterThan(narrow.chart.y + narrow.chart.height);
    await screenshot(pageB, 'trade-light-1024');
    // A short laptop window: the ticket's button is still on the first screen.
    await pageB.setViewportSize({ width: 1024, height: 640 });
    await expect.poll(() => inView(submit)).toBe(true);
    await screenshot(pageB, 'trade-light-1024x640');
    await pageB.setViewportSize({ width: 1280, height: 720 });
    await expect.poll(() => inView(submit)).toBe(true);
    const laptop = await boxes();
    expect(laptop.chart.y).toBe(laptop.book.y);
    expect(laptop.ticket.x).toBeGreaterThan(laptop.book.x + laptop.book.width);
    expect(laptop.chart.width).toBeGreaterThan(400);
    expect(await inView(pageB.locator('.trade-chart'))).toBe(true);
    const bar = await pageB.locator('.trade-bar').boundingBox();
    expect(bar!.height).toBeLessThan(80);
    await screenshot(pageB, 'trade-light-1280x720');
    await sim.pause();
  });

  it('gives a new trader demo funds in one click', async () => {
    const carol = await createUser(backend, 'trader');
    const page = await browser.newPage({
      viewport: { width: 1440, height: 960 },
      colorScheme: 'dark',
    });
    await signInInBrowser(page, url, carol.email);
    const form = ticket(page);
    await form.getByText('Available: 0 USDT').waitFor();
    await form.getByRole('button', { name: 'Add demo funds' }).click();
    await form.getByText(/^Added 10000\.000000 USDT, 0\.15000000 BTC/).waitFor();
    // The balance arrives over the stream; with money to spend the offer goes away.
    await form.getByText('Available: 10000.000000 USDT').waitFor();
    await expect(form.getByRole('button', { name: 'Add demo funds' }).count()).resolves.toBe(0);
    await screenshot(page, 'trade-demo-funds-dark');
    await page.close();
  });

  it('lets an administrator pause, resume and tune the simulator from the screen', async () => {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 960 },
      colorScheme: 'dark',
    });
    await page.goto(`${url}/?signin=1#/trade`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill('owner@example.test');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Code').fill(totpCode(backend, totpSecret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    const panel = page.getByRole('region', { name: 'Market simulator' });
    await panel.getByText('paused', { exact: true }).waitFor();
    const source = page.getByTestId('market-source');
    await expect(source.count()).resolves.toBe(0);
    await panel.getByRole('button', { name: 'Resume' }).click();
    await panel.getByText('running', { exact: true }).waitFor();
    // Every trader sees that the market is simulated, and what its price follows.
    await expect.poll(() => source.textContent()).toBe('Simulated market · random walk');
    await screenshot(page, 'trade-simulated-badge-dark');
    const bids = page.getByRole('region', { name: 'Order book' }).locator('.book-row.bid');
    await expect.poll(() => bids.count(), { timeout: 5000 }).toBe(10);
    await panel.getByText('Tune').click();
    const form = panel.getByRole('form', { name: 'Tune the simulator' });
    await form.getByLabel('Levels per side').fill('4');
    await form.getByRole('button', { name: 'Apply' }).click();
    await panel.getByText('Settings applied').waitFor();
    await expect.poll(() => bids.count(), { timeout: 5000 }).toBe(4);
    await screenshot(page, 'trade-admin-simulator-dark');
    await panel.getByRole('button', { name: 'Pause' }).click();
    await panel.getByText('paused', { exact: true }).waitFor();
    await expect.poll(() => bids.count(), { timeout: 5000 }).toBe(0);
    await expect.poll(() => source.count()).toBe(0);
  });

  it('keeps thousands of open orders in one live, scrollable table', async () => {
    const dave = await createUser(backend, 'trader');
    await fund(backend, dave.userId, 'USDT', '30000');
    // Bids 5 % under the last price (inside the price band), post-only, one cent apart.
    const tickers = (await backend.invoke('marketData.tickers', {}, trader(dave.userId))) as {
      items: Array<{ symbol: string; last: string | null }>;
    };
    const last = Number(tickers.items.find((t) => t.symbol === 'BTC/USDT')?.last ?? '60000');
    const lowest = Math.round(last * 95); // in cents
    const price = (i: number) => ((lowest + i) / 100).toFixed(2);
    const bot = async (from: number, to: number) => {
      for (let i = from; i < to; i += 100) {
        const orders = Array.from({ length: Math.min(100, to - i) }, (_, k) => ({
          symbol: 'BTC/USDT',
          side: 'buy' as const,
          type: 'limit' as const,
          price: price(i + k),
          qty: '0.0001',
          postOnly: true,
        }));
        const { results } = (await backend.invoke(
          'orders.placeBatch',
          { orders },
          trader(dave.userId),
        )) as { results: Array<{ ok: boolean }> };
        expect(results.every((r) => r.ok)).toBe(true);
      }
    };
    await bot(0, 2500);
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
    await signInInBrowser(page, url, dave.email);
    const tab = (n: number) =>
      mine(page).getByRole('tab', { name: new RegExp(`Open orders\\s*${n}$`) });
    await tab(2500).waitFor();
    const table = mine(page).getByRole('table', { name: 'Open orders' });
    const shown = () => table.locator('tbody tr:not(.spacer)').count();
    // Only the rows in view (and a few either side) are in the page, not 2,500 of them.
    await table.getByRole('cell', { name: price(2499), exact: true }).waitFor();
    expect(await shown()).toBeLessThan(60);
    // The lowest bid was placed first: it is on the API's last page and at the table's end.
    await page.locator('.open-orders-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const oldest = table.getByRole('row', { name: new RegExp(price(0).replace('.', '\\.')) });
    await oldest.waitFor();
    await oldest.getByRole('button', { name: /Cancel order/ }).click();
    await tab(2499).waitFor();
    // A bot adds 500 more while the table is open: all arrive, the page stays responsive.
    await bot(2500, 3000);
    await tab(2999).waitFor();
    expect(await shown()).toBeLessThan(60);
    await mine(page).getByRole('checkbox', { name: 'Select every open order' }).check();
    await mine(page).getByRole('button', { name: 'Cancel 2999 selected' }).waitFor();
    await mine(page).getByRole('checkbox', { name: 'Select every open order' }).uncheck();
    // A stop order shows its trigger under its price and its options under its type.
    const stop = (Math.round(last * 102) / 100).toFixed(2);
    const input = {
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'stop_limit',
      price: (Math.round(last * 103) / 100).toFixed(2),
      stopPrice: stop,
      qty: '0.0001',
      tif: 'IOC',
    };
    await backend.invoke('orders.place', input, trader(dave.userId));
    await page.locator('.open-orders-scroll').evaluate((el) => el.scrollTo(0, 0));
    const stopRow = table.getByRole('row', {
      name: new RegExp(`stop ${stop.replace('.', '\\.')}`),
    });
    await stopRow.getByText('IOC').waitFor();
    await stopRow.getByRole('button', { name: /Cancel order/ }).waitFor();
    await tab(3000).waitFor();
    await screenshot(page, 'trade-open-orders-many-light');
    // The bot stops renewing its dead man's switch: all 2,999 go, live, and history says why.
    await backend.invoke('orders.cancelAllAfter', { timeout: 1 }, trader(dave.userId));
    await mine(page).getByText('No open orders.').waitFor({ timeout: 10_000 });
    await mine(page)
      .getByRole('tab', { name: /Order history/ })
      .click();
    await mine(page).getByRole('cell', { name: 'cancelled (dead man’s switch)' }).first().waitFor();
    await screenshot(page, 'trade-history-deadman-light');
    await page.close();
  });
});

describe.skipIf(missing !== undefined)('trade screen over simulated history', () => {
  let clock = Date.now() - 90 * 60_000;
  const ui = e2eFixture({ config: { now: () => clock }, page: false });

  it('charts an hour of the simulator’s candles in both themes', async () => {
    const { backend, url, browser } = ui;
    const sim = backend.features.simulator;
    for (let i = 0; i < 540; i++) {
      clock += 10_000;
      await sim.step('BTC/USDT', clock);
    }
    await createOwner(backend);
    const user = await createUser(backend, 'trader');
    for (const theme of ['dark', 'light'] as const) {
      const page = await browser.newPage({
        viewport: { width: 1440, height: 960 },
        colorScheme: theme,
      });
      await signInInBrowser(page, url, user.email);
      const chart = page.locator('.trade-chart-canvas');
      await expect
        .poll(async () => Number(await chart.getAttribute('data-candles')))
        .toBeGreaterThan(80);
      await page.getByRole('radio', { name: '5m', exact: true }).check();
      await expect
        .poll(async () => Number(await chart.getAttribute('data-candles')))
        .toBeGreaterThan(15);
      await page.getByRole('radio', { name: '1m', exact: true }).check();
      await expect
        .poll(async () => Number(await chart.getAttribute('data-candles')))
        .toBeGreaterThan(80);
      await page.waitForTimeout(300);
      await screenshot(page, `trade-history-${theme}`);
      await page.close();
    }
  });
});
