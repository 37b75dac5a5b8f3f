/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtRendererDir } from '../../src-main/paths';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import {
  chromiumMissingReason,
  createOwnerInBrowser,
  e2eFixture,
  expectLooksRight,
  screenshot,
} from '../helpers/browser';
import { fund, trader } from '../helpers/exchange';
import { MemoryBroker } from '../fakes/memory-broker';

const missing = chromiumMissingReason();
const MAKER = 'brokers-e2e-maker';

describe.skipIf(missing !== undefined)('broker accounts in Chromium', () => {
  const broker = new MemoryBroker();
  // The backend is this suite's own: it needs the memory broker as an extra venue.
  const ui = e2eFixture({ serve: false, page: { width: 1400, height: 900, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;

  const panel = () => page.getByRole('article', { name: /^Memory demo/ });
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();

  /** Fills the memory broker's form (venue, name, server, key) and submits it. */
  async function submitBrokerForm(name: string, apiKey: string): Promise<void> {
    const form = page.getByRole('form', { name: 'New account' });
    await form.getByLabel('Venue').selectOption({ label: 'Memory broker (tests)' });
    await form.getByLabel('Account name').fill(name);
    await form.getByLabel(/^Server/).fill('DEMO-1');
    await form.getByLabel(/^API key/).fill(apiKey);
    await form.getByRole('button', { name: 'Create account' }).click();
  }

  beforeAll(async () => {
    page = ui.page;
    backend = await startTestBackend(
      { rendererDir: builtRendererDir() },
      { extraBrokers: [broker.definition()] },
    );
    url = (await backend.listen()).replace('127.0.0.1', 'localhost');
    // Liquidity on BTC/USDT so a paper account has a price (the positions screen shows both).
    await fund(backend, MAKER, 'BTC', '100');
    await fund(backend, MAKER, 'USDT', '10000000');
    for (const [side, price] of [
      ['buy', '29990.00'],
      ['sell', '30000.00'],
    ] as const) {
      await backend.invoke(
        'orders.place',
        { symbol: 'BTC/USDT', side, type: 'limit', price, qty: '10' },
        trader(MAKER),
      );
    }
    await createOwnerInBrowser(page, backend, url);
  });
  afterAll(async () => {
    await backend?.cleanup();
  });

  it('refuses a key that can withdraw, saying so by the key field', async () => {
    await nav('Accounts');
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    await page.getByText('No trading accounts yet').waitFor();
    const form = page.getByRole('form', { name: 'New account' });
    await form.getByLabel('Venue').selectOption({ label: 'Memory broker (tests)' });
    // The venue's fields: the secret one is a password input, help under the field.
    await expect(form.getByLabel(/^API key/).getAttribute('type')).resolves.toBe('password');
    await form.getByText('e.g. DEMO-1').waitFor();
    await expect(form.getByLabel(/^Trade-only key/).isChecked()).resolves.toBe(true);
    await submitBrokerForm('Memory demo', 'withdraw');
    const key = form.getByLabel(/^API key/);
    const refusal = form.getByRole('alert');
    await refusal.getByText(/can withdraw funds/).waitFor();
    await expect(key.getAttribute('aria-invalid')).resolves.toBe('true');
    // The message is the key's description: next to it for sighted users and screen readers.
    const describedBy = (await key.getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await refusal.getAttribute('id'));
    await screenshot(page, 'brokers-refused-key');
    await expect(page.getByRole('table', { name: 'Trading accounts' }).count()).resolves.toBe(0);
  });

  it('creates the account with a trade-only key and shows the connection test', async () => {
    await submitBrokerForm('Memory demo', 'good');
    const report = page.getByRole('region', { name: 'Connection report' });
    await report.getByText('Memory account').waitFor();
    await report.getByText('simulated account').waitFor();
    await report.getByText(/12 ms ahead/).waitFor();
    // The secret never comes back into the form.
    await expect(
      page
        .getByRole('form', { name: 'New account' })
        .getByLabel(/^API key/)
        .inputValue(),
    ).resolves.toBe('');
    await page.getByRole('table', { name: 'Trading accounts' }).getByText('Memory demo').waitFor();
    await panel().getByRole('status', { name: 'Connection' }).getByText('connected').waitFor();
    await screenshot(page, 'brokers-created');
    await report.getByRole('button', { name: 'Done' }).click();
    await expect(report.count()).resolves.toBe(0);
    // The webhook URL banner of the new account too.
    await page
      .getByRole('status', { name: 'Webhook URL' })
      .getByRole('button', { name: 'Done' })
      .click();
  });

  it('shows balances and positions live as the broker pushes them', async () => {
    broker.emit({
      type: 'balances',
      balances: [{ asset: 'USD', total: '12500.50', available: '11875.25' }],
    });
    const balances = panel().getByRole('table', { name: 'Broker balances' });
    await balances.getByText('12500.50').waitFor();
    await balances.getByText('11875.25').waitFor();
    broker.setPosition({
      symbol: 'EURUSD',
      side: 'long',
      qty: '2',
      avgPrice: '1.1000',
      unrealisedPnl: '15.20',
    });
    const positions = panel().getByRole('table', { name: 'Broker positions' });
    await positions.getByRole('cell', { name: 'EURUSD', exact: true }).waitFor();
    await positions.getByRole('cell', { name: '15.20' }).first().waitFor();
    // A later push changes the row in place.
    broker.setPosition({
      symbol: 'EURUSD',
      side: 'long',
      qty: '2',
      avgPrice: '1.1000',
      unrealisedPnl: '-4.80',
    });
    await positions.getByRole('cell', { name: '-4.80' }).first().waitFor();
    await screenshot(page, 'brokers-panel-dark');
    await expectLooksRight(page, 'dark');
    // The stream drops: the badge and the reason say so, live; back up when it reconnects.
    const state = panel().getByRole('status', { name: 'Connection' });
    broker.emit({ type: 'connection', state: 'down', reason: 'socket closed by the broker' });
    await state.getByText('unreachable').waitFor();
    await state.getByText(/socket closed by the broker/).waitFor();
    await screenshot(page, 'brokers-panel-down');
    broker.emit({ type: 'connection', state: 'up' });
    await state.getByText('connected').waitFor();
  });

  it('closes part of a position, then the rest, and cancels an open order', async () => {
    const positions = panel().getByRole('table', { name: 'Broker positions' });
    await panel().getByLabel('Quantity to close EURUSD').fill('0.5');
    await positions.getByRole('button', { name: 'Close EURUSD' }).click();
    await positions.getByRole('cell', { name: '1.5', exact: true }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await positions.getByRole('button', { name: 'Close EURUSD' }).click();
    await panel().getByText('No open positions.').waitFor();
    expect(broker.positions.size).toBe(0);

    // A limit order from the panel's ticket rests at the broker, then is cancelled.
    const ticket = panel().getByRole('form', { name: 'Broker order' });
    await ticket.getByLabel('Market', { exact: true }).fill('EURUSD');
    await ticket.getByLabel('Order type').selectOption('limit');
    await ticket.getByLabel('Limit price').fill('1.0500');
    await ticket.getByLabel('Quantity').fill('1');
    await ticket.getByRole('button', { name: 'Buy' }).click();
    const orders = panel().getByRole('table', { name: 'Broker orders' });
    await orders.getByRole('cell', { name: '1.0500' }).waitFor();
    const placed = [...broker.orders.values()].find((o) => o.price === '1.0500');
    expect(placed?.status).toBe('open');
    expect(placed?.clientOrderId).toMatch(/^ui-/);
    await orders.getByRole('button', { name: `Cancel order ${placed?.orderId}` }).click();
    await panel().getByText('No open orders.').waitFor();
    expect(placed?.status).toBe('cancelled');
    expect(broker.placed).toBe(1);
  });

  it('shows every position across paper and broker accounts, live', async () => {
    // A paper account with a position, opened by a webhook alert.
    const form = page.getByRole('form', { name: 'New account' });
    await form.getByLabel('Venue').selectOption('paper');
    await form.getByLabel('Account name').fill('Swing paper');
    await form.getByRole('button', { name: 'Create account' }).click();
    const banner = page.getByRole('status', { name: 'Webhook URL' });
    const urlText = await banner.locator('.accounts-url').innerText();
    const res = await fetch(urlText.replace(/^.*\/hooks/, `${url}/hooks`), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'action=buy\nsymbol=BTCUSDT\nqty=0.05\nid=brokers-e2e-1',
    });
    expect(res.status).toBe(200);
    await banner.getByRole('button', { name: 'Done' }).click();
    broker.setPosition({
      symbol: 'MNQ',
      side: 'short',
      qty: '3',
      avgPrice: '21000.25',
      unrealisedPnl: '120.50',
    });

    await nav('Positions');
    await page.getByRole('heading', { name: 'Positions', level: 1 }).waitFor();
    const all = page.getByRole('table', { name: 'All positions' });
    await all.getByRole('cell', { name: 'MNQ', exact: true }).waitFor();
    await all.getByRole('cell', { name: 'BTC/USDT', exact: true }).waitFor();
    const pnl = page.getByRole('table', { name: 'Account P&L' });
    const memoryRow = pnl.getByRole('row', { name: /Memory demo/ });
    await memoryRow.getByText('connected').waitFor();
    await memoryRow.getByText(/120\.5/).waitFor();
    // The broker pushes a new P&L: the row and the account's total follow without a reload.
    broker.setPosition({
      symbol: 'MNQ',
      side: 'short',
      qty: '3',
      avgPrice: '21000.25',
      unrealisedPnl: '-30.75',
    });
    await all.getByText(/-30\.75/).waitFor();
    await memoryRow.getByText(/-30\.75/).waitFor();
    // A price from the broker's market stream: the short is marked at the ask. When the
    // broker gives no P&L of its own (futures gateways), Bourse computes it from that mark:
    // (21000.25 − 21010.25) × 3 contracts × $0.50 per 0.25 tick = −$60.
    broker.quote('MNQ', '21010', '21010.25');
    const mnqRow = all.getByRole('row', { name: /MNQ/ });
    await mnqRow.getByRole('cell', { name: '21010.25', exact: true }).waitFor();
    broker.setPosition({
      symbol: 'MNQ',
      side: 'short',
      qty: '3',
      avgPrice: '21000.25',
      unrealisedPnl: null,
    });
    await mnqRow.getByText(/^-60\.00 USD/).waitFor();
    await memoryRow.getByText(/^-60\.00 USD/).waitFor();
    await screenshot(page, 'brokers-positions-dark');
    await expectLooksRight(page, 'dark');
  });

  it('looks right in the light theme, and deletes with the keychain said', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => {
      localStorage.setItem('bourse.theme', 'light');
      document.documentElement.dataset.theme = 'light';
    });
    await page.getByRole('table', { name: 'All positions' }).waitFor();
    await screenshot(page, 'brokers-positions-light');
    await expectLooksRight(page, 'light');

    // Closing from the positions screen: the row goes when the broker says the position is gone.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Close MNQ on Memory demo' }).click();
    await page
      .getByRole('table', { name: 'All positions' })
      .getByRole('cell', { name: 'MNQ', exact: true })
      .waitFor({ state: 'detached' });
    expect(broker.positions.size).toBe(0);

    await nav('Accounts');
    await page
      .getByRole('table', { name: 'Trading accounts' })
      .getByRole('button', { name: 'Memory demo' })
      .click();
    await panel().getByRole('table', { name: 'Broker balances' }).waitFor();
    await screenshot(page, 'brokers-panel-light');
    await expectLooksRight(page, 'light');

    // A broker's new-account form with its Advanced section open reads well in light too.
    const form = page.getByRole('form', { name: 'New account' });
    await form.getByLabel('Venue').selectOption({ label: 'TradeLocker' });
    const advanced = form.locator('details.venue-advanced');
    await advanced.locator('summary').click();
    await advanced.getByLabel(/^Update polling interval/).waitFor();
    await advanced.scrollIntoViewIfNeeded();
    await screenshot(page, 'venue-form-advanced-light');
    await expectLooksRight(page, 'light');
    await panel().scrollIntoViewIfNeeded();

    // Test connection shows the report in the panel; disable / enable follow the connection.
    await panel().getByRole('button', { name: 'Test connection' }).click();
    await panel()
      .getByRole('region', { name: 'Connection test of Memory demo' })
      .getByText('Memory account')
      .waitFor();
    const state = panel().getByRole('status', { name: 'Connection' });
    await panel().getByRole('button', { name: 'Disable' }).click();
    await state.getByText('disabled').waitFor();
    await panel().getByRole('button', { name: 'Enable' }).click();
    await state.getByText('connected').waitFor();

    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await panel().getByRole('button', { name: 'Delete account' }).click();
    await page.getByText(/credentials were removed from the keychain/).waitFor();
    expect(asked).toMatch(/credentials are removed from the keychain/);
    // The list reloads after the confirmation: the row leaves.
    await page
      .getByRole('table', { name: 'Trading accounts' })
      .getByText('Memory demo')
      .waitFor({ state: 'detached' });
  });
});
