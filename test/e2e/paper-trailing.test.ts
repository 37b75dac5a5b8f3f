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
import { makerQuotesBtc, quoteAs } from '../helpers/exchange';

const missing = chromiumMissingReason();
const MAKER = 'paper-trailing-e2e-maker';
/** The screen re-reads paper positions and orders every 5 s. */
const REREAD = { timeout: 15_000 };

/**
 * Trailing stops on the paper broker from the Accounts screen: a trailing sell stop from the
 * quote now and one that waits for its start price, a market buy whose stop-loss trails, both
 * following the local book as its maker moves the quote, the stop-loss closing the position
 * when the market turns, and a stop-loss set by hand that no longer trails.
 */
describe.skipIf(missing !== undefined)('paper trailing stops in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1400, height: 1000, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    // BTC/USDT 29,990 / 30,000 on the local book: the paper broker's price.
    await makerQuotesBtc(backend, MAKER, '29990.00', '30000.00');
    await createOwnerInBrowser(page, backend, url);
    await openScreen(page, 'Accounts');
    await page.getByLabel('Account name').fill('Trailing paper');
    await page.getByLabel('Demo balance (USDT)').fill('50000');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page
      .getByRole('status', { name: 'Webhook URL' })
      .getByRole('button', { name: 'Done' })
      .click();
  });

  const ticket = () => page.getByRole('form', { name: 'Paper order' });
  const orders = () => page.getByRole('table', { name: 'Paper orders' });
  const positions = () => page.getByRole('table', { name: 'Positions' });
  const stopLoss = () => page.getByLabel('Stop-loss BTC/USDT');
  /** An open order's row, by the text of its price cell. */
  const orderRow = (price: string) =>
    orders()
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: price, exact: true }) });

  it('refuses a distance the broker would, beside its input, and says what the stop will do', async () => {
    const t = ticket();
    await t.getByLabel('Order type').selectOption('stop');
    await t.getByLabel('Trigger price').waitFor();
    await t.getByLabel('Trailing stop', { exact: true }).check();
    expect(await t.getByLabel('Trigger price').count()).toBe(0);
    // A refusal sits in the label: the input's name starts with the label's text.
    const trail = t.getByLabel(/^Trail %/);
    const sell = t.getByRole('button', { name: 'Sell / short' });
    expect(await sell.isDisabled()).toBe(true);
    for (const [typed, says] of [
      ['2.555', 'At most 2 decimals (0.01 % steps)'],
      ['60', 'From 0.01 to 50 %'],
      ['0', 'From 0.01 to 50 %'],
      ['one', 'Enter a percentage such as 1.5'],
    ] as const) {
      await trail.fill(typed);
      await t.getByRole('alert').getByText(says).waitFor();
      expect(await trail.getAttribute('aria-invalid')).toBe('true');
      expect(await sell.isDisabled()).toBe(true);
    }
    await trail.fill('1');
    expect(await t.getByRole('alert').count()).toBe(0);
    await t.getByText('Trails from the quote now: the trigger stays 1 % behind').waitFor();

    // Start prices the server refuses (the schema's, the market's 2 decimals): at that input.
    const start = t.getByLabel(/^Start trailing at/);
    for (const [typed, says] of [
      ['abc', /price must match pattern/],
      ['29000.123', /price 29000.123/],
    ] as const) {
      await start.fill(typed);
      await t.getByText(`Waits until the book reaches ${typed}`).waitFor();
      await sell.click();
      await t
        .locator('label', { hasText: 'Start trailing at' })
        .getByRole('alert')
        .getByText(says)
        .waitFor();
      expect(await start.getAttribute('aria-invalid')).toBe('true');
      expect(await t.getByRole('alert').count()).toBe(1);
    }
    await t.scrollIntoViewIfNeeded();
    await screenshot(page, 'paper-trailing-ticket-refused');
    expect(await orders().count()).toBe(0);
  });

  it('places a trailing sell stop from the quote now, and one that waits for its start price', async () => {
    const t = ticket();
    const start = t.getByLabel(/^Start trailing at/);
    await start.fill('');
    await t.getByLabel('Quantity', { exact: true }).fill('0.01');
    await t.getByRole('button', { name: 'Sell / short' }).click();
    // 1 % under the bid 29,990.
    const tracking = orderRow('trigger 29690.10');
    await tracking.getByRole('cell', { name: 'stop · trail 1 %' }).waitFor();
    await page.getByText('stop sell 0.01 BTC/USDT trailing 1 % placed.').waitFor();

    await start.fill('29000');
    await t.getByText('Waits until the book reaches 29000, then the trigger stays 1 %').waitFor();
    await t.scrollIntoViewIfNeeded();
    await screenshot(page, 'paper-trailing-ticket');
    await t.getByRole('button', { name: 'Sell / short' }).click();
    const waiting = orderRow('waits for 29000.00');
    await waiting.getByRole('cell', { name: 'stop · trail 1 %' }).waitFor();
    expect(await waiting.getByRole('cell').nth(6).innerText()).toBe('—');
    // A smaller window: the ticket in four columns, the checkboxes still above their inputs.
    await page.setViewportSize({ width: 1024, height: 900 });
    await t.scrollIntoViewIfNeeded();
    await screenshot(page, 'paper-trailing-ticket-narrow');
    await expectLooksRight(page, 'dark');
    await page.setViewportSize({ width: 1400, height: 1000 });
  });

  it('buys with a trailing stop-loss 0.5 %, shown with the orders it would get', async () => {
    const t = ticket();
    // A limit far below the market that would get a trailing stop-loss: its SL column says so.
    await t.getByLabel('Order type').selectOption('limit');
    expect(await t.getByLabel('Trailing stop', { exact: true }).count()).toBe(0);
    await t.getByLabel('Limit price').fill('25000');
    await t.getByLabel('Trail the stop-loss').check();
    expect(await t.getByLabel('Stop-loss', { exact: true }).count()).toBe(0);
    await t.getByLabel(/^Stop-loss trail %/).fill('1.5');
    await t
      .getByText('The stop-loss trails 1.5 % behind the best price from the fill on.')
      .waitFor();
    await t.getByRole('button', { name: 'Buy / long' }).click();
    await orderRow('25000.00').getByRole('cell', { name: 'trail 1.5 % / —' }).waitFor();

    await t.getByLabel('Order type').selectOption('market');
    await t.getByLabel('Quantity', { exact: true }).fill('0.1');
    await t.getByLabel(/^Stop-loss trail %/).fill('0.5');
    await t.getByRole('button', { name: 'Buy / long' }).click();
    await positions().getByText('trail 0.5 %').waitFor();
    // 0.5 % under the bid 29,990.
    expect(await stopLoss().inputValue()).toBe('29840.05');
    expect(await stopLoss().getAttribute('title')).toContain(
      'Typing a stop-loss here fixes it there',
    );
    await positions().scrollIntoViewIfNeeded();
    await screenshot(page, 'paper-trailing-position');
    await expectLooksRight(page, 'dark');
  });

  it('follows the market up, keeps trailing when only the take-profit is saved', async () => {
    await quoteAs(backend, MAKER, 'BTC/USDT', '30490.00', '30500.00', '10');
    // The stop-loss 0.5 % and the sell stop 1 % under the new bid; the start price still waits.
    await expect.poll(() => stopLoss().inputValue(), REREAD).toBe('30337.55');
    await orderRow('trigger 30185.10').waitFor(REREAD);
    await orderRow('waits for 29000.00').waitFor();
    await positions().scrollIntoViewIfNeeded();
    await screenshot(page, 'paper-trailing-moved');

    await page.getByLabel('Take-profit BTC/USDT').fill('32000');
    await positions().getByRole('button', { name: 'Save' }).click();
    await page.getByText('Brackets of BTC/USDT saved.').waitFor();
    await expect.poll(() => page.getByLabel('Take-profit BTC/USDT').inputValue()).toBe('32000.00');
    expect(await stopLoss().inputValue()).toBe('30337.55');
    await positions().getByText('trail 0.5 %').waitFor();
  });

  it('closes the position at the trailed stop-loss when the market turns', async () => {
    await quoteAs(backend, MAKER, 'BTC/USDT', '30300.00', '30310.00', '10');
    await page.getByText('No open positions.').waitFor(REREAD);
    await page.getByRole('table', { name: 'Paper fills' }).getByText('stop loss').waitFor();
    // The sell stop stays at its best (30,185.10), never back.
    await orderRow('trigger 30185.10').waitFor();
    await screenshot(page, 'paper-trailing-closed');
  });

  it('a stop-loss set by hand no longer trails', async () => {
    await ticket().getByRole('button', { name: 'Buy / long' }).click();
    await positions().getByText('trail 0.5 %').waitFor();
    expect(await stopLoss().inputValue()).toBe('30148.50');
    await stopLoss().fill('30000');
    await positions().getByRole('button', { name: 'Save' }).click();
    await page.getByText('Brackets of BTC/USDT saved.').waitFor();
    await expect.poll(() => positions().getByText('trail 0.5 %').count()).toBe(0);
    expect(await stopLoss().inputValue()).toBe('30000.00');
    expect(await stopLoss().getAttribute('title')).toBeNull();
    await orders().getByRole('button', { name: 'Cancel all' }).click();
    await expect.poll(() => orders().getByText('cancelled').count()).toBe(3);
    await screenshot(page, 'paper-trailing-fixed');
  });
});
