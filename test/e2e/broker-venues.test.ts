/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
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
import { startTradelockerFake, type TradelockerFakeHandle } from '../fakes/tradelocker';
import { startFakeProjectx, type FakeProjectx } from '../fakes/projectx/server';
import { FakeEa } from '../fakes/metatrader/ea-client';
import { FakeTerminal } from '../fakes/metatrader/terminal';

const missing = chromiumMissingReason();

/**
 * Issue #24's "done when": each built-in broker venue is connected from the Accounts screen
 * against its strict fake, and a TradingView-style alert posted to the new account's webhook
 * URL ends as exactly one order at that fake, shown live in the broker panel.
 */
describe.skipIf(missing !== undefined)('broker venues from the UI, alert to order', () => {
  const ui = e2eFixture({ serve: false, page: { width: 1400, height: 900, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    page = ui.page;
    backend = await startTestBackend({ rendererDir: builtRendererDir() });
    url = (await backend.listen()).replace('127.0.0.1', 'localhost');
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
   * Picks the venue, fills its fields (by label) and the advanced broker addresses, creates
   * the account; answers the webhook URL shown once (pointed at this backend).
   */
  async function createAccount(o: {
    venue: string;
    name: string;
    fields?: Record<string, string>;
    addresses?: Partial<Record<'REST address' | 'Stream address' | 'Hub address', string>>;
    /**
     * Advanced tuning fields (by label): each is first given `refused` (out of range), the
     * refusal must show beside that field, then the value here; screenshot `shot`.
     */
    advanced?: { fields: Record<string, string>; refused: string; shot: string };
    /** A screenshot of the filled form, its "Advanced" section open. */
    formShot?: string;
  }): Promise<string> {
    const form = page.getByRole('form', { name: 'New account' });
    await form.getByLabel('Venue').selectOption({ label: o.venue });
    await form.getByLabel('Account name').fill(o.name);
    const group = form.getByRole('group', { name: `${o.venue} connection` });
    for (const [label, value] of Object.entries(o.fields ?? {})) {
      const field = group.getByLabel(new RegExp(`^${label}`));
      if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    const advanced = form.locator('details.venue-advanced');
    // Open, whatever the last venue's form left it as (a click toggles it).
    const openAdvanced = async () => {
      if (!(await advanced.evaluate((d) => (d as HTMLDetailsElement).open))) {
        await advanced.locator('summary').click();
      }
    };
    if (o.addresses || o.advanced) await openAdvanced();
    for (const [label, value] of Object.entries(o.addresses ?? {})) {
      await advanced.getByLabel(new RegExp(`^${label}`)).fill(value);
    }
    if (o.advanced) {
      const [first] = Object.keys(o.advanced.fields);
      const field = advanced.getByLabel(new RegExp(`^${first!.replace(/[()]/g, '\\$&')}`));
      await field.fill(o.advanced.refused);
      await form.getByRole('button', { name: 'Create account' }).click();
      // Refused by the server before any connection, shown beside the field it names.
      await advanced
        .getByRole('alert')
        .getByText(/must be a whole number from/)
        .waitFor();
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await advanced.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      await screenshot(page, `${o.advanced.shot}-refused`);
      for (const [label, value] of Object.entries(o.advanced.fields)) {
        await advanced.getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}`)).fill(value);
      }
      // Edited, the field no longer shows the refusal it had.
      expect(await advanced.getByRole('alert').count()).toBe(0);
      expect(await field.getAttribute('aria-invalid')).toBeNull();
      await advanced.scrollIntoViewIfNeeded();
      await screenshot(page, o.advanced.shot);
    }
    if (o.formShot) {
      await openAdvanced();
      await advanced.scrollIntoViewIfNeeded();
      await screenshot(page, o.formShot);
    }
    await form.getByRole('button', { name: 'Create account' }).click();
    const banner = page.getByRole('status', { name: 'Webhook URL' });
    const shown = await banner.locator('.accounts-url').innerText();
    expect(shown).toMatch(/\/hooks\/tv\/\S+$/);
    return shown.replace(/^.*\/hooks/, `${url}/hooks`);
  }

  /**
   * Posts a TradingView-style JSON alert and checks the receiver's answer: accepted, as one
   * order open at the broker. Answers that order's id at the broker.
   */
  async function alert(hook: string, body: Record<string, string>): Promise<string> {
    const res = await fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const outcome = JSON.parse(text) as {
      success: boolean;
      status: string;
      orderId: string;
      orders: { orderId: string; status: string }[];
    };
    expect(outcome, text).toMatchObject({ success: true, status: 'accepted' });
    expect(outcome.orders, text).toHaveLength(1);
    expect(outcome.orders[0], text).toMatchObject({ orderId: outcome.orderId, status: 'open' });
    return outcome.orderId;
  }

  /**
   * The broker fills the resting order: its row leaves the open orders and the position
   * appears, both pushed by the venue's stream (no reload, no sync).
   */
  async function filledToPosition(
    p: Locator,
    fill: () => unknown,
    symbol: string,
    shot: string,
  ): Promise<void> {
    await fill();
    await p.getByText('No open orders.').waitFor();
    const positions = p.getByRole('table', { name: 'Broker positions' });
    await positions.getByRole('cell', { name: symbol, exact: true }).waitFor();
    await positions.scrollIntoViewIfNeeded();
    await screenshot(page, shot);
  }

  /** Dismisses the two banners shown after creation (report and webhook URL). */
  async function dismissBanners(): Promise<void> {
    await page
      .getByRole('region', { name: 'Connection report' })
      .getByRole('button', { name: 'Done' })
      .click();
    await page
      .getByRole('status', { name: 'Webhook URL' })
      .getByRole('button', { name: 'Done' })
      .click();
  }

  it('Kraken: a trade-only key connects; an alert rests as one order, its fill comes over the WebSocket', async () => {
    const fake = await FakeKraken.start();
    closers.push(() => fake.close());
    const key = fake.addKey(ALL_PERMISSIONS.filter((p) => p !== 'withdraw'));
    const hook = await createAccount({
      venue: 'Kraken (spot)',
      name: 'Kraken spot',
      formShot: 'venues-kraken-form',
      // Kraken's form has its own address fields (no advanced section for them).
      fields: {
        'API key': key.apiKey,
        'Private key': key.apiSecret,
        'REST address': fake.settings.baseUrl!,
        'WebSocket address': fake.settings.wsUrl!,
      },
    });
    const report = page.getByRole('region', { name: 'Connection report' });
    await report.getByText('Kraken spot: connected').waitFor();
    await panel('Kraken spot')
      .getByRole('status', { name: 'Connection' })
      .getByText('connected')
      .waitFor();

    const orderId = await alert(hook, {
      ticker: 'BTC/USD',
      action: 'buy',
      quantity: '0.001',
      orderType: 'limit',
      limitPrice: '30000',
    });
    expect(fake.orderCount()).toBe(1);
    const order = [...fake.book.orders.values()][0]!;
    expect(order).toMatchObject({ status: 'open' });

    const orders = panel('Kraken spot').getByRole('table', { name: 'Broker orders' });
    await orders.getByRole('cell', { name: '30000' }).waitFor();
    await orders.getByRole('button', { name: `Cancel order ${orderId}` }).waitFor();
    await orders.scrollIntoViewIfNeeded();
    await screenshot(page, 'venues-kraken');
    await expectLooksRight(page, 'dark');
    // Kraken fills it: the execution comes over the private WebSocket and the row goes.
    await fake.fill(orderId);
    await panel('Kraken spot').getByText('No open orders.').waitFor();
    await dismissBanners();
  });

  it('TradeLocker: email, password and server connect; an alert rests as one order, filled into a position', async () => {
    const handle: TradelockerFakeHandle = await startTradelockerFake();
    closers.push(() => handle.close());
    const hook = await createAccount({
      venue: 'TradeLocker',
      name: 'TL demo',
      fields: {
        Email: handle.settings.email!,
        Password: handle.secrets.password!,
        Server: handle.settings.server!,
      },
      addresses: { 'REST address': handle.settings.baseUrl! },
      // Its updates are polled: the fastest the form allows, so the fill shows sooner.
      advanced: {
        fields: { 'Update polling interval (ms)': '250', 'Request timeout (ms)': '5000' },
        refused: '100',
        shot: 'venues-tradelocker-advanced',
      },
    });
    const stored = backend.store.sqlite
      .prepare("SELECT broker_settings FROM trading_accounts WHERE name = 'TL demo'")
      .get() as { broker_settings: string };
    expect(JSON.parse(stored.broker_settings)).toMatchObject({ pollMs: '250', timeoutMs: '5000' });
    await page
      .getByRole('region', { name: 'Connection report' })
      .getByText('TL demo: connected')
      .waitFor();
    const p = panel('TL demo');
    await p.getByRole('status', { name: 'Connection' }).getByText('connected').waitFor();

    const orderId = await alert(hook, {
      ticker: 'EURUSD',
      action: 'buy',
      quantity: '0.05',
      orderType: 'limit',
      limitPrice: '1.0712',
    });
    expect(handle.orderCount()).toBe(1);

    const orders = p.getByRole('table', { name: 'Broker orders' });
    await orders.getByRole('cell', { name: '1.0712' }).waitFor();
    await orders.getByRole('button', { name: `Cancel order ${orderId}` }).waitFor();
    await orders.scrollIntoViewIfNeeded();
    await screenshot(page, 'venues-tradelocker');
    await expectLooksRight(page, 'dark');
    await filledToPosition(
      p,
      () => handle.fake.fill(orderId),
      'EURUSD',
      'venues-tradelocker-filled',
    );
    await dismissBanners();
  });

  it('ProjectX: user name and API key connect over REST and the hub; an alert rests as one order, filled into a position', async () => {
    const fake: FakeProjectx = await startFakeProjectx();
    closers.push(() => fake.close());
    const hook = await createAccount({
      venue: 'ProjectX / TopstepX',
      name: 'Topstep eval',
      formShot: 'venues-projectx-form',
      fields: { 'User name': fake.settings.userName!, 'API key': fake.secrets.apiKey! },
      addresses: { 'REST address': fake.settings.baseUrl!, 'Hub address': fake.settings.hubUrl! },
    });
    await page
      .getByRole('region', { name: 'Connection report' })
      .getByText('Topstep eval: connected')
      .waitFor();
    const p = panel('Topstep eval');
    await p.getByRole('status', { name: 'Connection' }).getByText('connected').waitFor();

    const orderId = await alert(hook, {
      ticker: 'MNQ',
      action: 'buy',
      quantity: '1',
      orderType: 'limit',
      limitPrice: '20000.5',
    });
    expect(fake.orderCount()).toBe(1);
    expect([...fake.book.orders.values()][0]).toMatchObject({ status: 1, size: 1 });

    const orders = p.getByRole('table', { name: 'Broker orders' });
    await orders.getByRole('cell', { name: '20000.5' }).waitFor();
    await orders.getByRole('button', { name: `Cancel order ${orderId}` }).waitFor();
    await orders.scrollIntoViewIfNeeded();
    await screenshot(page, 'venues-projectx');
    await expectLooksRight(page, 'dark');
    await filledToPosition(p, () => fake.fill(orderId), 'MNQ', 'venues-projectx-filled');
    // The position carries no price or P&L at ProjectX: the market hub's quotes mark it, and
    // Bourse values it — (20010.5 − 20000.5) × 1 contract × $0.50 per 0.25 tick = $20.
    await expect
      .poll(() => fake.market.calls.some((c) => c.startsWith('SubscribeContractQuotes')))
      .toBe(true);
    fake.quote('MNQ', { bestBid: 20010.5, bestAsk: 20010.75, lastPrice: 20010.5 });
    const positions = p.getByRole('table', { name: 'Broker positions' });
    await positions.getByRole('cell', { name: '20010.5', exact: true }).waitFor();
    await positions.getByRole('cell', { name: '20.00', exact: true }).first().waitFor();
    await screenshot(page, 'venues-projectx-marked');
    await dismissBanners();
  });

  it('MetaTrader: the bridge token and URL to allow, the EA comes online; an alert becomes one order, filled into a position', async () => {
    const hook = await createAccount({
      venue: 'MetaTrader 4/5 (Bourse Bridge EA)',
      name: 'MT5 demo',
      formShot: 'venues-metatrader-form',
      fields: { Platform: 'MT5' },
    });
    const report = page.getByRole('region', { name: 'Connection report' });
    // Nothing to test until the EA calls in: the banner says so rather than "connected".
    await report.getByRole('heading', { name: 'MT5 demo: waiting for the EA' }).waitFor();
    const setup = report.getByRole('region', { name: 'MetaTrader bridge setup' });
    const token = (await setup.getByLabel('Bridge token').innerText()).trim();
    const allowUrl = (await setup.getByLabel('URL to allow').innerText()).trim();
    expect(token.length).toBeGreaterThan(20);
    expect(allowUrl).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+$/);
    await setup.getByText('Drag the EA onto any chart', { exact: false }).waitFor();
    await setup.scrollIntoViewIfNeeded();
    await screenshot(page, 'venues-metatrader-setup');
    await expectLooksRight(page, 'dark');

    const dir = mkdtempSync(path.join(tmpdir(), 'bourse-e2e-mt-'));
    const terminal = new FakeTerminal('MT5');
    const ea = new FakeEa({
      baseUrl: allowUrl,
      token,
      terminal,
      stateFile: path.join(dir, 'BourseBridge-state.json'),
      heartbeatMs: 100,
    });
    closers.push(async () => {
      ea.crash();
      rmSync(dir, { recursive: true, force: true });
    });
    await ea.start();
    const p = panel('MT5 demo');
    await p.getByRole('status', { name: 'Connection' }).getByText('connected').waitFor();
    await report.getByRole('heading', { name: 'MT5 demo: EA online' }).waitFor();
    await p.getByLabel('MetaTrader bridge').getByText('online', { exact: true }).waitFor();

    const orderId = await alert(hook, {
      ticker: 'EURUSD',
      action: 'buy',
      quantity: '0.10',
      orderType: 'limit',
      limitPrice: '1.05000',
    });
    expect(terminal.ordersCreated).toBe(1);

    const orders = p.getByRole('table', { name: 'Broker orders' });
    await orders.getByRole('cell', { name: /^1\.05/ }).waitFor();
    await orders.getByRole('button', { name: `Cancel order ${orderId}` }).waitFor();
    await orders.scrollIntoViewIfNeeded();
    await screenshot(page, 'venues-metatrader');
    await expectLooksRight(page, 'dark');
    await filledToPosition(
      p,
      async () => {
        terminal.fill(orderId);
        await ea.heartbeatNow();
      },
      'EURUSD',
      'venues-metatrader-filled',
    );
  });
});
