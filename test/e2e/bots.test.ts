/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../../src-shared/contract';
import { builtRendererDir } from '../../src-main/paths';
import type { Principal } from '../../src-main/operations/principal';
import { TEST_PASSWORD, createOwner, createUser } from '../helpers/auth';
import { startTestBackend, tempDataDir, type TestBackend } from '../helpers/backend';
import {
  chromiumMissingReason,
  e2eFixture,
  expectLooksRight,
  screenshot,
} from '../helpers/browser';
import { fund, quoteAs } from '../helpers/exchange';

const missing = chromiumMissingReason();
if (missing) console.warn(`skipping the bots screen test: ${missing}`);
const MIN = 60_000;
const MAKER = 'bots-e2e-maker';

/**
 * A built-in bot on the paper broker, from the screen: created and started, its first order
 * and status shown; the backend restarts on the same data and the bot resumes without sending
 * that order again; stopped with its position closed. The bars it reads are stored
 * in the test and the backend's clock is stepped a bar at a time (the runner's tick is what the
 * bar-close timer calls).
 */
describe.skipIf(missing !== undefined)('bots in Chromium', () => {
  const ui = e2eFixture({ serve: false, page: { width: 1440, height: 900, colorScheme: 'dark' } });
  const dataDir = tempDataDir();
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let email = '';
  let me: Principal;

  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();

  /**
   * The backend's clock, stepped by the test a bar at a time. It starts three minutes behind
   * the browser's, so what the bot does stays in the past of the screen's periods.
   */
  let t = Math.floor(Date.now() / MIN) * MIN - 3 * MIN + 5_000;
  const now = () => t;

  async function boot(): Promise<void> {
    backend = await startTestBackend({ rendererDir: builtRendererDir(), dataDir, now });
    url = (await backend.listen()).replace('127.0.0.1', 'localhost');
  }

  async function signIn(): Promise<void> {
    await page.goto(`${url}/?signin=1#/bots`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Bots', level: 1 }).waitFor();
  }

  /** Stores a closed 1-minute BTC/USDT bar (flat at its close) opening at `open`. */
  function storeBar(open: number, close: number): void {
    const ticks = close * 100;
    backend.store.sqlite
      .prepare(
        `INSERT OR REPLACE INTO market_candles (symbol, interval, open_time, open, high, low, close, volume, quote_volume, trades)
         VALUES ('BTC/USDT', '1m', ?, ?, ?, ?, ?, 100, ?, 1)`,
      )
      .run(open, ticks, ticks, ticks, ticks, String(ticks * 100));
  }

  /** The bar in progress closes at `close`, and the clock moves past its end. */
  function barCloses(close: number): void {
    const open = Math.floor(t / MIN) * MIN;
    storeBar(open, close);
    t = open + MIN + 5_000;
  }

  beforeAll(async () => {
    page = ui.page;
    await boot();
    await fund(backend, MAKER, 'BTC', '100');
    await fund(backend, MAKER, 'USDT', '10000000');
    await quoteAs(backend, MAKER, 'BTC/USDT', '29990.00', '30000.00', '10');
    await createOwner(backend);
    const u = await createUser(backend, 'trader');
    email = u.email;
    me = {
      kind: 'user',
      userId: u.userId,
      role: 'trader',
      permissions: new Set(ROLE_PERMISSIONS.trader),
    };
    await backend.invoke('accounts.create', { venue: 'paper', name: 'Bot paper' }, me);
    // Flat bars up to the last closed minute: the bot's warm-up.
    for (let i = 5; i >= 1; i--) storeBar(Math.floor(t / MIN) * MIN - i * MIN, 30_000);
    await signIn();
  });
  afterAll(async () => {
    await backend?.cleanup();
  });

  const row = () => page.getByRole('table', { name: 'Bots' }).getByRole('row', { name: /Cross/ });
  const orders = async () =>
    (
      (await backend.invoke('bots.history', { id: 1 }, me)) as {
        items: Array<{ side: string | null }>;
      }
    ).items.filter((x) => x.side !== null);

  it('creates and starts a built-in bot: its first order and status show', async () => {
    const form = page.getByRole('form', { name: 'New bot' });
    await form.getByLabel('Strategy').selectOption({ label: 'Moving-average crossover' });
    await form.getByLabel('Name').fill('Cross BTC');
    await form.getByLabel('Market').fill('BTC/USDT');
    await form.getByLabel('Capital (sizing base)').fill('1000');
    await form.getByLabel('Warm-up bars').fill('5');
    await form.getByLabel('Fast period').fill('2');
    await form.getByLabel('Slow period').fill('3');
    await form.getByRole('button', { name: 'Create bot' }).click();

    await row().getByText('running').waitFor();
    // The next bar closes higher: the 2-bar average crosses above the 3-bar one.
    barCloses(30_100);
    await backend.features.bots.runner.tick();
    const detail = page.getByRole('article', { name: 'Bot Cross BTC' });
    const history = detail.getByRole('table', { name: 'Bot history' });
    await history.getByText('filled').waitFor();
    await history.getByText(/^buy 0\.0332/).waitFor();
    await row().getByRole('cell', { name: '0.0332', exact: true }).waitFor();
    await detail
      .getByRole('table', { name: 'Figures of Cross BTC' })
      .getByText('buy market (cross-up)')
      .waitFor();
    expect(await orders()).toHaveLength(1);
    await screenshot(page, 'bots-running-dark');
    await expectLooksRight(page, 'dark');
  });

  it('resumes after a restart without sending its order again', async () => {
    await backend.close();
    await boot();
    await signIn();
    await row().getByText('running').waitFor();
    await row().getByRole('button', { name: 'Cross BTC', exact: true }).click();
    const history = page
      .getByRole('article', { name: 'Bot Cross BTC' })
      .getByRole('table', { name: 'Bot history' });
    await history.getByText('filled').first().waitFor();
    expect(await orders()).toHaveLength(1);
    const fills = (await backend.invoke('accounts.list', {}, me)) as {
      items: Array<{ id: string }>;
    };
    const paperFills = (await backend.invoke(
      'accounts.fills',
      { id: fills.items[0]!.id, limit: 50 },
      me,
    )) as { items: unknown[] };
    expect(paperFills.items).toHaveLength(1);
  });

  it('stops with its position closed, in the light theme', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => {
      localStorage.setItem('bourse.theme', 'light');
      document.documentElement.dataset.theme = 'light';
    });
    page.once('dialog', (d) => void d.accept());
    await row().getByRole('button', { name: 'Stop Cross BTC' }).click();
    await row().getByText('stopped').waitFor();
    await row().getByRole('cell', { name: '0', exact: true }).waitFor();
    expect(await orders()).toHaveLength(2);
    await screenshot(page, 'bots-stopped-light');
    await expectLooksRight(page, 'light');
  });

  it("shows the bot's P&L on the dashboard, by source", async () => {
    const bot = (await backend.invoke('bots.get', { id: 1 }, me)) as { realisedPnl: string };
    await nav('Dashboard');
    const bySource = page.getByRole('table', { name: 'P&L by source' });
    const line = bySource.getByRole('row', { name: /Bot 1/ });
    await line.waitFor();
    // The round trip's net P&L (fees included) is a loss, as the bot's own realised figure.
    expect(bot.realisedPnl.startsWith('-')).toBe(true);
    await expect(line.innerText()).resolves.toMatch(/-\d/);
    await screenshot(page, 'bots-dashboard-light');
  });
});
