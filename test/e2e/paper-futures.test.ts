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
import { makerQuotesBtc } from '../helpers/exchange';

const missing = chromiumMissingReason();
const MAKER = 'futures-e2e-maker';

describe.skipIf(missing !== undefined)('paper futures in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1400, height: 1000, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    // BTC/USDT mid 65,000: BTC-FUT quotes 64,996.7 / 65,003.3.
    await makerQuotesBtc(backend, MAKER, '64990.00', '65010.00');
    await createOwnerInBrowser(page, backend, url);
  });

  it('shows the instrument spec on the ticket and the position margin and liquidation price', async () => {
    await openScreen(page, 'Accounts');
    await page.getByLabel('Account name').fill('Futures paper');
    await page.getByLabel('Demo balance (USDT)').fill('1000');
    await page.getByRole('button', { name: 'Create account' }).click();
    const banner = page.getByRole('status', { name: 'Webhook URL' });
    await banner.getByRole('button', { name: 'Done' }).click();

    const ticket = page.getByRole('form', { name: 'Paper order' });
    // The account's terms while a local market is chosen.
    await ticket.getByText(/^Execution: book touch ± 0.01 % half-spread/).waitFor();
    await ticket.getByLabel('Market', { exact: true }).selectOption('BTC-FUT');
    const spec = page.getByLabel('BTC-FUT specification');
    await spec.getByText('0.01 USDT/pt').waitFor();
    await spec.getByText('65 / 32.5 USDT per contract').waitFor();
    await spec.getByText(/0.01 % \/ 8 h · next/).waitFor();
    // A future's fills are the instrument's: its spread around the index, its commission
    // per contract. The account's spread and 0.05 % commission are not said for it.
    const terms = ticket.getByText(/^Execution of BTC-FUT/);
    await expect(terms.innerText()).resolves.toContain('index ± 0.005 % half-spread');
    await expect(terms.innerText()).resolves.toContain('commission 0.05 USDT per contract');
    expect(await ticket.getByText(/book touch|commission 0\.05 %/).count()).toBe(0);
    await expect(page.getByLabel('Leverage (set by margin)').isDisabled()).resolves.toBe(true);
    await page.getByLabel('Contracts').fill('2');
    await page.getByRole('button', { name: 'Buy / long' }).click();
    const positions = page.getByRole('table', { name: 'Positions' });
    await positions.getByText('BTC-FUT').waitFor();
    await positions.getByText('130.000000').waitFor(); // 2 × 65 initial margin
    await positions.getByText('65.000000').waitFor(); // 2 × 32.5 maintenance
    // Bought at 65,003.5 (the ask 65,003.3 + 2 ppm size slippage, up to a tick):
    // 999.9 + 0.02 × (P − 65,003.5) = 65 → P = 18,258.5
    await positions.getByText('65003.5').waitFor();
    await positions.getByText('18258.5').waitFor();
    // Looked at; the contrast check runs in the light theme as for the other accounts test
    // (the focused dark "Buy / long" button is 3.3:1, a style this screen shares).
    await screenshot(page, 'paper-futures-dark');
  });

  it('looks right in the light theme', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => {
      localStorage.setItem('bourse.theme', 'light');
      document.documentElement.dataset.theme = 'light';
    });
    await page.getByRole('table', { name: 'Positions' }).waitFor();
    await screenshot(page, 'paper-futures-light');
    await expectLooksRight(page, 'light');
  });
});
