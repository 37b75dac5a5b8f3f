/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src-main/operations/principal';
import { createOwner, createUser, TEST_PASSWORD, type TestSession } from '../helpers/auth';
import type { TestBackend } from '../helpers/backend';
import { chromiumMissingReason, e2eFixture, screenshot } from '../helpers/browser';
import { exchangeOf, fund, quoteAs, trader } from '../helpers/exchange';

const missing = chromiumMissingReason();
if (missing) console.warn(`skipping the dashboard total test: ${missing}`);
const MAKER = 'dashboard-total-maker';

/**
 * The dashboard of a trader as the walkthrough found it: a wallet on the local exchange with
 * BTC and ETH (priced now by today's trades, not on the days before) and EUR (no market prices
 * it in USDT), and a paper account opened today whose commission splits into shares of more
 * decimals than USDT has.
 */
describe.skipIf(missing !== undefined)('dashboard total equity and money in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1440, height: 960, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let user: TestSession;
  let me: Principal;

  const invoke = <T>(name: string, input: unknown) => backend.invoke(name, input, me) as Promise<T>;
  const card = () => page.getByRole('region', { name: /^Total equity/ });
  const reports = () => page.getByRole('region', { name: 'Reports' });

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    await createOwner(backend);
    user = await createUser(backend, 'trader');
    me = trader(user.userId);
    await fund(backend, MAKER, 'BTC', '1000');
    await fund(backend, MAKER, 'ETH', '1000');
    await fund(backend, MAKER, 'USDT', '100000000');
    await quoteAs(backend, MAKER, 'BTC/USDT', '29990.00', '30000.01', '20');
    await quoteAs(backend, MAKER, 'ETH/USDT', '1999.00', '2000.00', '20');
    await fund(backend, user.userId, 'USDT', '10000');
    await fund(backend, user.userId, 'BTC', '0.18');
    await fund(backend, user.userId, 'ETH', '3');
    await fund(backend, user.userId, 'EUR', '1000');
    // Today's trades price BTC and ETH now; no day before has a close of them.
    for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
      await invoke('orders.place', { symbol, side: 'buy', type: 'market', qty: '0.01' });
    }
    await exchangeOf(backend).flush();
    // Paper, opened today: 0.15 % of 9000.003 is 13.5000045, booked as 13.500005; a third of
    // it goes to each 0.1 closed, 4.500001666… USDT, more decimals than USDT has.
    const created = await invoke<{ account: { id: string } }>('accounts.create', {
      venue: 'paper',
      name: 'Paper desk',
      initialBalance: '10000',
      paperConfig: { spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 1500 },
    });
    const paper = (side: 'buy' | 'sell', qty: string) =>
      invoke('accounts.placeOrder', { id: created.account.id, symbol: 'BTC/USDT', side, qty });
    await paper('buy', '0.3');
    await paper('sell', '0.1');

    await page.goto(`${url}/?signin=1`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await card().getByRole('table', { name: 'Equity by account now' }).waitFor();
  });

  it('says what the total leaves out now, apart from the days that lacked a price', async () => {
    const now = card().getByTestId('total-missing-now');
    await expect(now.innerText()).resolves.toBe(
      'Not in the total now: amounts in EUR (no market prices them in USDT).',
    );
    // BTC and ETH are in today's total: named only for the earlier days they lacked a close.
    const earlier = await card().getByTestId('total-missing-earlier').innerText();
    expect(earlier).toMatch(
      /^Left out of earlier days for want of a daily close in USDT: BTC on \d+ days, ETH on \d+ days\.$/,
    );
  });

  it('draws the days before the paper account was opened apart, and says why', async () => {
    const chart = card().getByRole('img', { name: 'Total equity in USDT' });
    await expect
      .poll(async () => Number(await chart.getAttribute('data-carried-back')))
      .toBeGreaterThan(25);
    const text = await card().getByTestId('total-carried-back').innerText();
    expect(text).toContain('Dashed: the days before Paper desk was opened');
    expect(text).toContain('it is not their history');
    await card().scrollIntoViewIfNeeded();
    await screenshot(page, 'dashboard-total-dark-1440');
  });

  it('shows USDT amounts at USDT’s six decimals, rounded for display only', async () => {
    const trips = page.getByRole('table', { name: 'Latest round trips' });
    await trips.waitFor();
    // The trip's fee is 4.500001666… (entry share) + 4.4985 (exit): shown as 8.998502, its
    // net −9.999501666… as −9.999502.
    const row = await trips.locator('tbody tr').first().innerText();
    expect(row).toContain('\t8.998502\t');
    expect(row).toContain('-9.999502 USDT');
    const text = await page.locator('.dashboard').innerText();
    expect(text.match(/\d\.\d{7,}/g)).toBeNull();
    // The CSV keeps every digit the server computed.
    const csv = await invoke<{ body: string }>('reports.pnl', {
      from: Date.now() - 86_400_000,
      to: Date.now(),
      format: 'csv',
    });
    expect(csv.body).toMatch(/\d\.\d{7,}/);
  });

  it('keeps the three report buttons inside the Reports card at 1440×960 and 1024×640', async () => {
    for (const [width, height] of [
      [1440, 960],
      [1024, 640],
    ] as const) {
      await page.setViewportSize({ width, height });
      const box = await reports().boundingBox();
      for (const name of ['Download CSV', 'Download JSON', 'Printable statement']) {
        const b = await reports().getByRole('button', { name }).boundingBox();
        expect(b, name).not.toBeNull();
        expect(b!.x, `${name} at ${width}`).toBeGreaterThanOrEqual(box!.x);
        expect(b!.x + b!.width, `${name} at ${width}`).toBeLessThanOrEqual(box!.x + box!.width);
      }
      // Nothing in the card scrolls sideways.
      await expect(
        reports().evaluate((el) => el.scrollWidth - el.clientWidth),
      ).resolves.toBeLessThanOrEqual(0);
      await reports().scrollIntoViewIfNeeded();
      await screenshot(page, `dashboard-reports-dark-${width}`);
    }
  });
});
