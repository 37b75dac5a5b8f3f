/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtRendererDir } from '../../src-main/paths';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import {
  chromiumMissingReason,
  createOwnerInBrowser,
  openScreen,
  e2eFixture,
  expectLooksRight,
  screenshot,
} from '../helpers/browser';
import { ALL_PERMISSIONS, FakeKraken } from '../fakes/kraken/server';
import { startTradelockerFake } from '../fakes/tradelocker';

const missing = chromiumMissingReason();
/** Screenshots to look at, outside the repository. */
const SHOTS = process.env.BOURSE_SHOTS ?? '/tmp/bourse-shots';

/** A screenshot of the page as it is now, at `SHOTS`/`name`.png. */
async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/**
 * Native trailing stops from a broker account's ticket: Kraken places them (a trailing stop
 * entry, a trailing stop-loss, by percent or by an amount in USD), so its ticket offers both
 * with a unit switch; a broker that cannot (TradeLocker) shows the ticket as before. Against the strict fakes, from the Accounts screen.
 */
describe.skipIf(missing !== undefined)('broker trailing stops from the ticket', () => {
  const ui = e2eFixture({ serve: false, page: { width: 1400, height: 900, colorScheme: 'dark' } });
  let backend: TestBackend;
  let page: Page;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    page = ui.page;
    backend = await startTestBackend({ rendererDir: builtRendererDir() });
    const url = (await backend.listen()).replace('127.0.0.1', 'localhost');
    await createOwnerInBrowser(page, backend, url);
    await openScreen(page, 'Accounts');
  });
  afterAll(async () => {
    // The backend first: its broker sessions stop before their fakes go away.
    await backend?.cleanup();
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  });

  const panel = (name: string) => page.getByRole('article', { name: new RegExp(`^${name}`) });

  /**
   * Creates a broker account from the form (fields by label, the advanced REST address if
   * given), waits until its panel says connected and dismisses the two banners.
   */
  async function connect(o: {
    venue: string;
    name: string;
    fields: Record<string, string>;
    restAddress?: string;
  }): Promise<void> {
    const form = page.getByRole('form', { name: 'New account' });
    await form.getByLabel('Venue').selectOption({ label: o.venue });
    await form.getByLabel('Account name').fill(o.name);
    const group = form.getByRole('group', { name: `${o.venue} connection` });
    for (const [label, value] of Object.entries(o.fields)) {
      await group.getByLabel(new RegExp(`^${label}`)).fill(value);
    }
    if (o.restAddress) {
      const advanced = form.locator('details.venue-advanced');
      if (!(await advanced.evaluate((d) => (d as HTMLDetailsElement).open))) {
        await advanced.locator('summary').click();
      }
      await advanced.getByLabel(/^REST address/).fill(o.restAddress);
    }
    await form.getByRole('button', { name: 'Create account' }).click();
    const report = page.getByRole('region', { name: 'Connection report' });
    await report.getByText(`${o.name}: connected`).waitFor();
    await panel(o.name)
      .getByRole('status', { name: 'Connection' })
      .getByText('connected')
      .waitFor();
    await report.getByRole('button', { name: 'Done' }).click();
    await page
      .getByRole('status', { name: 'Webhook URL' })
      .getByRole('button', { name: 'Done' })
      .click();
  }

  it('Kraken: a sell trailing stop 2 % from the ticket rests at 58800, follows the market and fills', async () => {
    const fake = await FakeKraken.start();
    closers.push(() => fake.close());
    const key = fake.addKey(ALL_PERMISSIONS.filter((p) => p !== 'withdraw'));
    await connect({
      venue: 'Kraken (spot)',
      name: 'Kraken spot',
      fields: {
        'API key': key.apiKey,
        'Private key': key.apiSecret,
        'REST address': fake.settings.baseUrl!,
        'WebSocket address': fake.settings.wsUrl!,
      },
    });
    const p = panel('Kraken spot');
    const ticket = p.getByRole('form', { name: 'Broker order' });
    await ticket.getByLabel('Market', { exact: true }).fill('BTC/USD');
    // A limit cannot trail; the stop-loss can on any order type.
    await ticket.getByLabel('Order type').selectOption('limit');
    await ticket.getByLabel('Trail the stop-loss').waitFor();
    expect(await ticket.getByLabel('Trailing stop').count()).toBe(0);
    await ticket.getByLabel('Order type').selectOption('stop');
    await ticket.getByLabel('Trailing stop').check();
    expect(await ticket.getByLabel('Trigger price').count()).toBe(0);
    // The refusal under an input is part of its label's text: the name starts with the label.
    const trail = ticket.getByLabel(/^Trail by %/);
    await ticket.getByLabel('Quantity').fill('0.001');
    const sell = ticket.getByRole('button', { name: 'Sell' });
    // Blank, the distance is missing: nothing can be sent.
    expect(await sell.isDisabled()).toBe(true);

    // The form refuses a distance the broker would: beside the input, and nothing is sent.
    // Orders sent to Kraken (the connection test's validate-only AddOrder is not one).
    const placed = () =>
      fake.requests
        .filter((r) => r.path.endsWith('/AddOrder'))
        .map((r) => new URLSearchParams(r.body))
        .filter((b) => !b.has('validate'));
    for (const [typed, says] of [
      ['2.555', 'At most 2 decimals (0.01 % steps)'],
      ['60', 'From 0.01 to 50 %'],
      ['0', 'From 0.01 to 50 %'],
      ['two', 'Enter a percentage such as 1.5'],
    ] as const) {
      await trail.fill(typed);
      await ticket.getByRole('alert').getByText(says).waitFor();
      expect(await trail.getAttribute('aria-invalid')).toBe('true');
      expect(await sell.isDisabled()).toBe(true);
    }
    await screenshot(page, 'broker-trailing-ticket-refused');
    // The trailing stop-loss is checked the same way; unticked, the stop-loss is a price again.
    await ticket.getByLabel('Trail the stop-loss').check();
    const slTrail = ticket.getByLabel(/^Stop-loss trail by %/);
    await slTrail.fill('50.01');
    await ticket.getByRole('alert').getByText('From 0.01 to 50 %').first().waitFor();
    await slTrail.fill('');
    await ticket.getByLabel('Trail the stop-loss').uncheck();
    await ticket.getByLabel('Stop-loss', { exact: true }).waitFor();

    await trail.fill('2');
    expect(await ticket.getByRole('alert').count()).toBe(0);
    expect(await sell.isDisabled()).toBe(false);
    await ticket.getByText('The broker trails the stop from its last price').waitFor();
    await ticket.getByText('2 % behind the best price since placing', { exact: false }).waitFor();
    await ticket.scrollIntoViewIfNeeded();
    await screenshot(page, 'broker-trailing-ticket');
    // A smaller window: the ticket in four columns, the checkboxes still above their inputs.
    await page.setViewportSize({ width: 1024, height: 768 });
    await ticket.scrollIntoViewIfNeeded();
    await screenshot(page, 'broker-trailing-ticket-narrow');
    await expectLooksRight(page, 'dark');
    await page.setViewportSize({ width: 1400, height: 900 });
    expect(placed()).toHaveLength(0);

    await sell.click();
    await expect.poll(() => fake.orderCount()).toBe(1);
    expect(placed()).toHaveLength(1);
    const sent = placed()[0]!;
    expect(Object.fromEntries(sent)).toMatchObject({
      ordertype: 'trailing-stop',
      type: 'sell',
      price: '+2%',
      volume: '0.001',
    });
    expect(sent.has('close[ordertype]')).toBe(false);
    const order = [...fake.book.orders.values()][0]!;
    expect(order).toMatchObject({ ordertype: 'trailing-stop', price: '58800', status: 'open' });

    const orders = p.getByRole('table', { name: 'Broker orders' });
    const stopCell = orders
      .getByRole('row', { name: new RegExp(order.txid) })
      .getByRole('cell', { name: /trail 2 %$/ });
    await stopCell.waitFor();
    // The trigger is Kraken's to compute: the placement's answer has none (and, arriving after
    // the stream's report, replaces the one the stream gave); a sync reads it back.
    const synced = async (trigger: string) => {
      await p.getByRole('button', { name: 'Sync' }).click();
      // Kraken's call counter spaces a sync's calls out: seconds, not milliseconds.
      await expect
        .poll(() => stopCell.innerText(), { timeout: 20_000 })
        .toBe(`${trigger} · trail 2 %`);
    };
    await synced('58800');
    await orders.scrollIntoViewIfNeeded();
    await screenshot(page, 'broker-trailing-orders');
    await expectLooksRight(page, 'dark');

    // The market rises to 62000: the trigger follows to 60760 (62000 less 2 %).
    fake.tradeAt('XXBTZUSD', '62000');
    expect(order.price).toBe('60760');
    await synced('60760');
    // It falls back to 60000: the stop triggers and fills, the execution is pushed and the
    // row goes.
    fake.tradeAt('XXBTZUSD', '60000');
    expect(order.status).toBe('closed');
    await p.getByText('No open orders.').waitFor();
    await screenshot(page, 'broker-trailing-filled');

    // A limit buy with a trailing stop-loss: Kraken's conditional close, trailing 1.5 %.
    await ticket.getByLabel('Order type').selectOption('limit');
    await ticket.getByLabel('Limit price').fill('30000');
    await ticket.getByLabel('Trail the stop-loss').check();
    await ticket.getByLabel(/^Stop-loss trail by %/).fill('1.5');
    await ticket
      .getByText('The stop-loss trails 1.5 % behind the best price from the fill on.')
      .waitFor();
    await screenshot(page, 'broker-trailing-stop-loss');
    await ticket.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => placed().length).toBe(2);
    expect(Object.fromEntries(placed()[1]!)).toMatchObject({
      ordertype: 'limit',
      type: 'buy',
      price: '30000',
      'close[ordertype]': 'trailing-stop',
      'close[price]': '+1.5%',
    });
    const buy = [...fake.book.orders.values()][1]!;
    expect(buy.close).toEqual({ ordertype: 'trailing-stop', price: '+1.5%' });
    // The orders table shows the close the order carries, under "SL / TP".
    const closeCell = (txid: string) =>
      orders.getByRole('row', { name: new RegExp(txid) }).getByRole('cell', { name: /^SL / });
    await expect.poll(() => closeCell(buy.txid).innerText()).toBe('SL trail 1.5 %');
    const cancel = orders.getByRole('button', { name: `Cancel order ${buy.txid}` });
    await cancel.click();
    await p.getByText('No open orders.').waitFor();

    // By an amount in USD: Kraken trails by a price difference too (`trailing.amount`).
    await page.setViewportSize({ width: 1440, height: 900 });
    await ticket.getByLabel('Trail the stop-loss').uncheck();
    await ticket.getByLabel('Order type').selectOption('stop');
    await ticket.getByLabel('Trailing stop').check();
    const unit = ticket.getByLabel('Trail by unit', { exact: true });
    expect(await unit.inputValue()).toBe('percent');
    await unit.selectOption({ label: 'USD' });
    const amount = ticket.getByLabel(/^Trail by USD/);
    await amount.fill('0');
    await ticket.getByRole('alert').getByText('Enter an amount above 0').waitFor();
    expect(await sell.isDisabled()).toBe(true);
    // More decimals than BTC/USD prices take (1): refused before anything reaches Kraken.
    await amount.fill('1250.55');
    await sell.click();
    await ticket
      .getByRole('alert')
      .getByText(/1250\.55/)
      .waitFor();
    expect(placed()).toHaveLength(2);
    await amount.fill('1250.5');
    await ticket
      .getByText('the trigger stays 1250.5 USD behind the best price since placing', {
        exact: false,
      })
      .waitFor();
    await ticket.scrollIntoViewIfNeeded();
    await shot(page, 'broker-ticket-amount-1440');
    await sell.click();
    await expect.poll(() => placed().length).toBe(3);
    expect(Object.fromEntries(placed()[2]!)).toMatchObject({
      ordertype: 'trailing-stop',
      type: 'sell',
      price: '+1250.5',
      volume: '0.001',
    });
    const byAmount = [...fake.book.orders.values()][2]!;
    // The last price is 60000: the trigger 1250.5 under it.
    expect(byAmount).toMatchObject({ ordertype: 'trailing-stop', price: '58749.5' });
    const amountCell = orders
      .getByRole('row', { name: new RegExp(byAmount.txid) })
      .getByRole('cell', { name: /trail 1250\.5$/ });
    await amountCell.waitFor();
    await p.getByRole('button', { name: 'Sync' }).click();
    await expect
      .poll(() => amountCell.innerText(), { timeout: 20_000 })
      .toBe('58749.5 · trail 1250.5');

    // A limit buy whose stop-loss trails 300 USD: Kraken's conditional close, `+300`.
    await ticket.getByLabel('Order type').selectOption('limit');
    await ticket.getByLabel('Limit price').fill('30000');
    await ticket.getByLabel('Trail the stop-loss').check();
    await ticket.getByLabel('Stop-loss trail by unit').selectOption({ label: 'USD' });
    await ticket.getByLabel(/^Stop-loss trail by USD/).fill('300');
    await ticket
      .getByText('The stop-loss trails 300 USD behind the best price from the fill on.')
      .waitFor();
    await shot(page, 'broker-ticket-stop-loss-amount-1440');
    await ticket.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => placed().length).toBe(4);
    expect(Object.fromEntries(placed()[3]!)).toMatchObject({
      ordertype: 'limit',
      type: 'buy',
      price: '30000',
      'close[ordertype]': 'trailing-stop',
      'close[price]': '+300',
    });
    const byAmountClose = [...fake.book.orders.values()][3]!;
    await expect.poll(() => closeCell(byAmountClose.txid).innerText()).toBe('SL trail 300');
    // A plain stop-loss rides on a limit buy too: "SL 29000". The trailing stop has none.
    await ticket.getByLabel('Trail the stop-loss').uncheck();
    await ticket.getByLabel('Stop-loss', { exact: true }).fill('29000');
    await ticket.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => placed().length).toBe(5);
    expect(Object.fromEntries(placed()[4]!)).toMatchObject({
      'close[ordertype]': 'stop-loss',
      'close[price]': '29000',
    });
    const withStop = [...fake.book.orders.values()][4]!;
    await expect.poll(() => closeCell(withStop.txid).innerText()).toBe('SL 29000');
    const noClose = orders
      .getByRole('row', { name: new RegExp(byAmount.txid) })
      .getByRole('cell')
      .nth(8);
    expect(await noClose.innerText()).toBe('—');
    // Kraken's own words for the closes, read back by a sync: the same cells.
    const reads = () => fake.requests.filter((r) => r.path.endsWith('/OpenOrders')).length;
    const before = reads();
    await p.getByRole('button', { name: 'Sync' }).click();
    await expect.poll(reads, { timeout: 20_000 }).toBeGreaterThan(before);
    await expect.poll(() => closeCell(withStop.txid).innerText()).toBe('SL 29000');
    expect(await closeCell(byAmountClose.txid).innerText()).toBe('SL trail 300');
    expect(await closeCell(byAmountClose.txid).getAttribute('title')).toBe(
      'When it fills, the broker places a stop-loss trailing 300 USD behind the best price, for the same quantity, the other way.',
    );
    await orders.scrollIntoViewIfNeeded();
    await shot(page, 'broker-orders-amount-1440');
    await expectLooksRight(page, 'dark');
    // A smaller window: the unit switch still beside its input.
    await page.setViewportSize({ width: 1024, height: 768 });
    await ticket.scrollIntoViewIfNeeded();
    await shot(page, 'broker-ticket-amount-1024');
    await expectLooksRight(page, 'dark');
    // The orders table with its "SL / TP" column at that width.
    await orders.scrollIntoViewIfNeeded();
    await shot(page, 'broker-orders-closes-1024');
    await expectLooksRight(page, 'dark');
    await page.setViewportSize({ width: 1400, height: 900 });
    page.once('dialog', (d) => void d.accept());
    await orders.getByRole('button', { name: 'Cancel all' }).click();
    await p.getByText('No open orders.').waitFor();
  });

  it('TradeLocker: a broker without native trailing stops shows the ticket as before; an order shows its SL and TP both', async () => {
    const handle = await startTradelockerFake();
    closers.push(() => handle.close());
    await connect({
      venue: 'TradeLocker',
      name: 'TL demo',
      fields: {
        Email: handle.settings.email!,
        Password: handle.secrets.password!,
        Server: handle.settings.server!,
      },
      restAddress: handle.settings.baseUrl!,
    });
    const ticket = panel('TL demo').getByRole('form', { name: 'Broker order' });
    await ticket.getByLabel('Order type').selectOption('stop');
    await ticket.getByLabel('Trigger price').waitFor();
    await ticket.getByLabel('Stop-loss', { exact: true }).waitFor();
    expect(await ticket.getByRole('checkbox').count()).toBe(0);
    expect(await ticket.getByText(/trail/i).count()).toBe(0);
    await ticket.scrollIntoViewIfNeeded();
    await screenshot(page, 'broker-trailing-none');

    // A limit buy with a stop-loss and a take-profit: TradeLocker keeps both on the order
    // (`stopLoss`/`takeProfit`, `absolute`), and the orders table shows both under "SL / TP".
    await ticket.getByLabel('Market', { exact: true }).fill('XAUUSD');
    await ticket.getByLabel('Order type').selectOption('limit');
    await ticket.getByLabel('Limit price').fill('2600');
    await ticket.getByLabel('Quantity').fill('0.1');
    await ticket.getByLabel('Stop-loss', { exact: true }).fill('2550.5');
    await ticket.getByLabel('Take-profit').fill('2700');
    await ticket.getByRole('button', { name: 'Buy' }).click();
    const book = handle.fake.book();
    await expect.poll(() => book.orders.size).toBe(1);
    const placed = [...book.orders.values()][0]!;
    expect(placed).toMatchObject({
      price: '2600',
      stopLoss: '2550.5',
      stopLossType: 'absolute',
      takeProfit: '2700',
      takeProfitType: 'absolute',
    });
    // Two more from TradeLocker's own platform: by offset from the price, and a trailing
    // stop-loss (Bourse never sends these; it shows what the broker reports).
    const fromPlatform = {
      tradableInstrumentId: '206',
      qty: '0.05',
      validity: 'GTC',
      routeId: '9021',
      stopPrice: null,
      strategyId: null,
      type: 'limit',
    };
    const offsets = handle.fake.placeOnPlatform({
      ...fromPlatform,
      side: 'sell',
      price: 1.0912,
      stopLoss: 0.005,
      stopLossType: 'offset',
      takeProfit: 0.0125,
      takeProfitType: 'offset',
    });
    const trailing = handle.fake.placeOnPlatform({
      ...fromPlatform,
      side: 'buy',
      price: 1.0712,
      stopLoss: 0.0025,
      stopLossType: 'trailingOffset',
    });
    const orders = panel('TL demo').getByRole('table', { name: 'Broker orders' });
    const closeCell = (orderId: string) =>
      orders.getByRole('row', { name: new RegExp(orderId) }).locator('td.broker-close');
    await expect.poll(() => closeCell(placed.id).innerText()).toBe('SL 2550.5 · TP 2700');
    expect(await closeCell(placed.id).getAttribute('title')).toBe(
      'When it fills, the broker places a stop-loss at 2550.5 and a take-profit at 2700, for the same quantity, the other way.',
    );
    await expect
      .poll(() => closeCell(offsets).innerText())
      .toBe('SL 0.005 above · TP 0.0125 below');
    await expect.poll(() => closeCell(trailing).innerText()).toBe('SL trail 0.0025');
    await orders.scrollIntoViewIfNeeded();
    await shot(page, 'broker-orders-sl-tp-1400');
    await expectLooksRight(page, 'dark');
    // A narrow window: the column breaks between the stop-loss and the take-profit, never
    // inside one.
    await page.setViewportSize({ width: 1024, height: 768 });
    await orders.scrollIntoViewIfNeeded();
    await shot(page, 'broker-orders-sl-tp-1024');
    await expectLooksRight(page, 'dark');
    await page.setViewportSize({ width: 1400, height: 900 });
  });
});
