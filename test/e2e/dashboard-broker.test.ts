/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtRendererDir } from '../../src-main/paths';
import type { Principal } from '../../src-main/operations/principal';
import { createOwner, createUser, TEST_PASSWORD, type TestSession } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import {
  chromiumMissingReason,
  e2eFixture,
  expectLooksRight,
  screenshot,
} from '../helpers/browser';
import { fund, quoteAs, trader } from '../helpers/exchange';
import { MemoryBroker } from '../fakes/memory-broker';

const missing = chromiumMissingReason();
if (missing) console.warn(`skipping the broker dashboard screen test: ${missing}`);
const MAKER = 'dashboard-broker-maker';

/**
 * The dashboard with a broker account beside a paper one: the broker's fills are stored, so
 * its realised P&L shows per account, and the total equity adds both in USDT. Hand-computed:
 * paper buys 0.1 BTC at 30000 and sells at 30990 (commission 0.1 %: net 92.901, balance
 * 10092.901); the broker buys 2 MNQ at 21000.25 and sells at 21010.25 (2 USDT a point per
 * contract, fee 0.5 a fill: net 39) and reports a balance of 5039. Total now 15131.901.
 */
describe.skipIf(missing !== undefined)('dashboard with a broker account in Chromium', () => {
  const broker = new MemoryBroker();
  const ui = e2eFixture({ serve: false, page: { width: 1280, height: 720, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let user: TestSession;
  let me: Principal;

  const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
    backend.invoke(name, input, who) as Promise<T>;

  async function alert(token: string, body: Record<string, unknown>) {
    const res = await backend.http.inject({
      method: 'POST',
      url: `/hooks/tv/${token}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
  }

  async function theme(name: 'dark' | 'light'): Promise<void> {
    await page.emulateMedia({ colorScheme: name });
    await page.evaluate((t) => localStorage.setItem('bourse.theme', t), name);
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  }

  beforeAll(async () => {
    page = ui.page;
    backend = await startTestBackend(
      { rendererDir: builtRendererDir() },
      { extraBrokers: [broker.definition()] },
    );
    url = (await backend.listen()).replace('127.0.0.1', 'localhost');
    await createOwner(backend);
    user = await createUser(backend, 'trader');
    me = trader(user.userId);
    await fund(backend, MAKER, 'BTC', '1000');
    await fund(backend, MAKER, 'USDT', '100000000');
    const paper = await invoke<{ account: { id: string } }>('accounts.create', {
      venue: 'paper',
      name: 'Paper desk',
      initialBalance: '10000',
      paperConfig: { spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 1000 },
    });
    const order = (side: 'buy' | 'sell') =>
      invoke('accounts.placeOrder', { id: paper.account.id, symbol: 'BTC/USDT', side, qty: '0.1' });
    await quoteAs(backend, MAKER, 'BTC/USDT', '29990.00', '30000.00', '20');
    await order('buy');
    await quoteAs(backend, MAKER, 'BTC/USDT', '30990.00', '31000.00', '20');
    await order('sell');

    broker.feeAsset = 'USDT';
    broker.balances = [{ asset: 'USDT', total: '5039', available: '5039' }];
    const futures = await invoke<{ webhookToken: string }>('accounts.create', {
      venue: 'memory',
      name: 'Futures desk',
      baseCurrency: 'USDT',
      settings: { server: 'DEMO-1' },
      credentials: { apiKey: 'good' },
    });
    await alert(futures.webhookToken, { ticker: 'MNQ', action: 'buy', quantity: '2' });
    broker.prices.set('MNQ', '21010.25');
    await alert(futures.webhookToken, { ticker: 'MNQ', action: 'sell', quantity: '2' });
  });

  afterAll(async () => {
    await backend?.cleanup();
  });

  it("shows the broker account's realised P&L and the total equity of both", async () => {
    await page.goto(`${url}/?signin=1`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const accounts = page.getByRole('table', { name: 'P&L by account' });
    const futures = accounts.getByRole('row', { name: /Futures desk/ });
    await futures.getByText('39').first().waitFor();
    // Its fees: 0.5 + 0.5.
    await futures.getByText('1.00').waitFor();
    const total = page.getByRole('region', { name: /Total equity/ });
    await total.getByText('15131.901 USDT').waitFor();
    await total.getByRole('img', { name: 'Total equity in USDT' }).waitFor();
    const parts = total.getByRole('table', { name: 'Equity by account now' });
    await parts
      .getByRole('row', { name: /Futures desk/ })
      .getByText('5039.00')
      .waitFor();
    await parts
      .getByRole('row', { name: /Paper desk/ })
      .getByText('10092.901')
      .waitFor();
  });

  it('looks right in both themes at 1280×720', async () => {
    for (const name of ['dark', 'light'] as const) {
      await theme(name);
      const total = page.getByRole('region', { name: /Total equity/ });
      await total.getByText('15131.901 USDT').waitFor();
      await page.locator('.content').evaluate((el) => el.scrollTo(0, 0));
      await screenshot(page, `dashboard-broker-${name}-1280`);
      await expectLooksRight(page, name);
      await page.setViewportSize({ width: 1280, height: 2400 });
      await screenshot(page, `dashboard-broker-${name}-1280-full`);
      await expectLooksRight(page, name);
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });
});
