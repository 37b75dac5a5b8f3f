/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
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
/** Screenshots to look at, outside the repository. */
const SHOTS = process.env.BOURSE_SHOTS ?? '/tmp/bourse-shots';

/** A screenshot of the page as it is now, at `SHOTS`/`name`.png. */
async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/**
 * Trailing stops on the paper broker from the Accounts screen: a trailing sell stop from the
 * quote now and one that waits for its start price, a market buy whose stop-loss trails, both
 * following the local book as its maker moves the quote, the stop-loss closing the position
 * when the market turns, and a stop-loss set by hand that no longer trails; then the same by an
 * amount in price units (the unit switch beside each distance: "%" or "USDT").
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
    const trail = t.getByLabel(/^Trail by %/);
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
    await t.getByLabel(/^Stop-loss trail by %/).fill('1.5');
    await t
      .getByText('The stop-loss trails 1.5 % behind the best price from the fill on.')
      .waitFor();
    await t.getByRole('button', { name: 'Buy / long' }).click();
    await orderRow('25000.00').getByRole('cell', { name: 'trail 1.5 % / —' }).waitFor();

    await t.getByLabel('Order type').selectOption('market');
    await t.getByLabel('Quantity', { exact: true }).fill('0.1');
    await t.getByLabel(/^Stop-loss trail by %/).fill('0.5');
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
  it('trails a sell stop by an amount in USDT: refused beside its input, then placed', async () => {
    // The quote is 30,300 / 30,310; a long 0.1 with its stop-loss fixed at 30,000.
    await page.setViewportSize({ width: 1440, height: 1000 });
    const t = ticket();
    await t.getByLabel('Order type').selectOption('stop');
    await t.getByLabel('Trailing stop', { exact: true }).check();
    await t.getByLabel('Trail the stop-loss').uncheck();
    await t.getByLabel('Quantity', { exact: true }).fill('0.01');
    await t.getByLabel(/^Start trailing at/).fill('');
    const unit = t.getByLabel('Trail by unit', { exact: true });
    expect(await unit.inputValue()).toBe('percent');
    await unit.selectOption({ label: 'USDT' });
    const trail = t.getByLabel(/^Trail by USDT/);
    const sell = t.getByRole('button', { name: 'Sell / short' });
    // An amount is not a percent: no 50 ceiling, but it must be a positive decimal.
    for (const [typed, says] of [
      ['0', 'Enter an amount above 0'],
      ['250,50', 'Enter an amount such as 250.50'],
    ] as const) {
      await trail.fill(typed);
      await t.getByRole('alert').getByText(says).waitFor();
      expect(await trail.getAttribute('aria-invalid')).toBe('true');
      expect(await sell.isDisabled()).toBe(true);
    }
    // More decimals than the market's prices: the server's refusal, at the same input.
    await trail.fill('250.505');
    await sell.click();
    await t
      .locator('label', { hasText: 'Trail by' })
      .getByRole('alert')
      .getByText(/250\.505/)
      .waitFor();
    expect(await trail.getAttribute('aria-invalid')).toBe('true');
    expect(
      await orders()
        .getByRole('cell', { name: /trail 250/ })
        .count(),
    ).toBe(0);

    await trail.fill('250.50');
    // Editing the refused distance answers the refusal: it is gone before the next send.
    await t.getByRole('alert').first().waitFor({ state: 'detached' });
    expect(await trail.getAttribute('aria-invalid')).toBeNull();
    await t
      .getByText('Trails from the quote now: the trigger stays 250.50 USDT behind the best quote')
      .waitFor();
    await t.scrollIntoViewIfNeeded();
    await shot(page, 'paper-ticket-amount-1440');
    await sell.click();
    await page.getByText('stop sell 0.01 BTC/USDT trailing 250.50 placed.').waitFor();
    // 250.50 under the bid 30,300.
    await orderRow('trigger 30049.50').getByRole('cell', { name: 'stop · trail 250.50' }).waitFor();
  });

  it('trails a stop-loss by an amount in USDT, on a waiting limit and on a market buy', async () => {
    const t = ticket();
    // The position from before, closed: the next one's stop-loss is the amount's alone.
    await positions().getByRole('button', { name: 'Close' }).click();
    await page.getByText('No open positions.').waitFor();
    await t.getByLabel('Order type').selectOption('limit');
    await t.getByLabel('Limit price').fill('25000');
    await t.getByLabel('Trail the stop-loss').check();
    const unit = t.getByLabel('Stop-loss trail by unit');
    await unit.selectOption({ label: 'USDT' });
    const slTrail = t.getByLabel(/^Stop-loss trail by USDT/);
    await slTrail.fill('-3');
    await t.getByRole('alert').getByText('Enter an amount above 0').waitFor();
    await slTrail.fill('75.25');
    await t
      .getByText('The stop-loss trails 75.25 USDT behind the best price from the fill on.')
      .waitFor();
    await t.scrollIntoViewIfNeeded();
    await shot(page, 'paper-ticket-stop-loss-amount-1440');
    await t.getByRole('button', { name: 'Buy / long' }).click();
    await orderRow('25000.00').getByRole('cell', { name: 'trail 75.25 / —' }).waitFor();

    await t.getByLabel('Order type').selectOption('market');
    await t.getByLabel('Quantity', { exact: true }).fill('0.1');
    await t.getByRole('button', { name: 'Buy / long' }).click();
    await positions().getByText('trail 75.25').waitFor();
    // 75.25 under the bid 30,300.
    expect(await stopLoss().inputValue()).toBe('30224.75');
    expect(await stopLoss().getAttribute('title')).toContain('Trails 75.25 USDT behind the bid');

    // The market rises: the stop-loss follows 75.25 behind, the sell stop 250.50 behind.
    await quoteAs(backend, MAKER, 'BTC/USDT', '30600.00', '30610.00', '10');
    await expect.poll(() => stopLoss().inputValue(), REREAD).toBe('30524.75');
    await orderRow('trigger 30349.50').waitFor(REREAD);
    await positions().scrollIntoViewIfNeeded();
    await shot(page, 'paper-tables-amount-1440');
    await expectLooksRight(page, 'dark');

    // A smaller window: the unit switch still beside its input.
    await page.setViewportSize({ width: 1024, height: 900 });
    await t.getByLabel('Order type').selectOption('stop');
    await t.scrollIntoViewIfNeeded();
    await shot(page, 'paper-ticket-amount-1024');
    await expectLooksRight(page, 'dark');
    await page.setViewportSize({ width: 1440, height: 1000 });
    await orders().scrollIntoViewIfNeeded();
    await shot(page, 'paper-orders-amount-1440');
  });
});
