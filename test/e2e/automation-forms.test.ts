/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '../helpers/backend';
import { login, type TestSession } from '../helpers/auth';
import {
  chromiumMissingReason,
  createOwnerInBrowser,
  e2eFixture,
  expectLooksRight,
  openScreen,
  screenshot,
} from '../helpers/browser';
import { setUpTrading, type TradingSetup } from '../integration/automation/setup';

const missing = chromiumMissingReason();

interface Risk {
  settings: {
    tradingHours: Array<{ days: number[]; start: string; end: string }>;
    cooldown: { afterLosses: number; minutes: number } | null;
    maxDailyLoss: string | null;
  };
}

/**
 * The risk form as a trader fills it in (a rule given in half is refused at its fields, never
 * dropped; words, not schema messages), and the test alert (it says it trades, and asks first
 * on an account that is not paper).
 */
describe.skipIf(missing !== undefined)('automation forms in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1440, height: 960, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let trading: TradingSetup;

  let session: TestSession;
  /** What the server keeps, read as the owner over HTTP. */
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}/api/v1${path}`, { headers: session.headers });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const risk = () => api<Risk>(`/automation/risk?accountId=${trading.accountId}`);
  const form = () => page.locator('.automation-risk');
  const status = () => form().getByRole('status');

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    await createOwnerInBrowser(page, backend, url);
    session = await login(backend, 'owner@example.test');
    trading = await setUpTrading(backend, session.userId, { paper: true });
    await openScreen(page, 'Automation');
    await form().getByRole('button', { name: 'Save limits' }).waitFor();
  });

  it('refuses a window without a day and a cooldown without minutes at their fields; saves nothing', async () => {
    await page.getByLabel('Trading hours from').fill('09:00');
    await page.getByLabel('Trading hours until').fill('17:00');
    await page.getByLabel('Cooldown after losses in a row').fill('3');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await form().getByText('Tick at least one trading day').waitFor();
    await form().getByText("give the cooldown's minutes too").waitFor();
    await expect(status().innerText()).resolves.toBe(
      'Not saved: 2 fields to correct, marked above.',
    );
    await expect(page.getByLabel('Cooldown minutes').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    // Nothing reached the server: the half rules were neither saved nor dropped.
    const before = await risk();
    expect(before.settings.tradingHours).toEqual([]);
    expect(before.settings.cooldown).toBeNull();
    await form().scrollIntoViewIfNeeded();
    await screenshot(page, 'automation-risk-refused-dark-1440');

    // Completed, the marks go as the fields are fixed, and both rules are saved whole.
    await form().getByRole('checkbox', { name: 'Mon' }).check();
    await form().getByRole('checkbox', { name: 'Fri' }).check();
    await expect(form().getByText('Tick at least one trading day').count()).resolves.toBe(0);
    await page.getByLabel('Cooldown minutes').fill('30');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await status().getByText('Saved.').waitFor();
    const after = await risk();
    expect(after.settings.tradingHours).toEqual([{ days: [1, 5], start: '09:00', end: '17:00' }]);
    expect(after.settings.cooldown).toEqual({ afterLosses: 3, minutes: 30 });
    await expect(page.getByLabel('Trading hours from').inputValue()).resolves.toBe('09:00');
    await expect(page.getByLabel('Cooldown minutes').inputValue()).resolves.toBe('30');
  });

  it('says what a field takes in words, never the schema’s', async () => {
    await page.getByLabel('Max daily loss').fill('abc');
    await page.getByLabel('Trading hours from').fill('25:00');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await form().getByText('a number such as 250').waitFor();
    await form().getByText('HH:MM, 00:00–23:59').waitFor();
    await expect(page.getByText(/must match pattern|anyOf|Invalid input/).count()).resolves.toBe(0);
    await form().scrollIntoViewIfNeeded();
    await screenshot(page, 'automation-risk-words-dark-1440');
    await expect(risk().then((r) => r.settings.maxDailyLoss)).resolves.toBeNull();
  });

  it("puts the server's refusal at the field it names, in the form's words", async () => {
    await page.getByLabel('Trading hours from').fill('09:00');
    await page.getByLabel('Max daily loss').fill('250');
    // A value the form takes but the server refuses: the request is altered on its way, and
    // the server's real answer (a schema refusal of settings.maxDailyLoss) comes back.
    await page.route('**/api/v1/automation/risk', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      const body = JSON.parse(route.request().postData() ?? '{}') as {
        settings: Record<string, unknown>;
      };
      body.settings.maxDailyLoss = 'abc';
      const response = await route.fetch({ postData: JSON.stringify(body) });
      expect(response.status()).toBe(400);
      await route.fulfill({ response });
    });
    await page.getByRole('button', { name: 'Save limits' }).click();
    await form().getByText('a number such as 250, or empty: no limit').waitFor();
    await expect(page.getByLabel('Max daily loss').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expect(status().innerText()).resolves.toBe(
      'Not saved: 1 field to correct, marked above.',
    );
    await expect(page.getByText(/must match pattern|anyOf/).count()).resolves.toBe(0);
    await page.unroute('**/api/v1/automation/risk');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await status().getByText('Saved.').waitFor();
    await expect(risk().then((r) => r.settings.maxDailyLoss)).resolves.toBe('250');
    // The window emptied whole (times and days) turns the rule off: alerts run at any hour.
    await page.getByLabel('Trading hours from').fill('');
    await page.getByLabel('Trading hours until').fill('');
    await form().getByRole('checkbox', { name: 'Mon' }).uncheck();
    await form().getByRole('checkbox', { name: 'Fri' }).uncheck();
    await page.getByRole('button', { name: 'Save limits' }).click();
    await status().getByText('Saved.').waitFor();
    await expect(risk().then((r) => r.settings.tradingHours)).resolves.toEqual([]);
  });

  it('says the test alert places orders, and asks first on a local-exchange account', async () => {
    const card = page.getByRole('article', { name: 'Send a test alert' });
    await card.getByLabel('Account').selectOption({ label: 'Spot (local)' });
    await card
      .getByText(
        'Sends a real alert: it places orders on the local exchange through Spot, with your balances there.',
      )
      .waitFor();
    const asked: string[] = [];
    let answer: 'dismiss' | 'accept' = 'dismiss';
    page.on('dialog', (d) => {
      asked.push(d.message());
      void (answer === 'accept' ? d.accept() : d.dismiss());
    });
    const sent = () => api<{ items: unknown[] }>('/automation/log');
    const logged = (await sent()).items.length;
    // Declined: nothing is sent.
    await card.getByRole('button', { name: 'Send test alert' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('Send this alert to Spot?');
    await expect(sent().then((r) => r.items.length)).resolves.toBe(logged);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'automation-test-alert-local-dark-1440');

    // Accepted: an alert with a take-profit and a stop-loss, counted as the log counts it.
    answer = 'accept';
    await card
      .getByLabel('Alert body (any supported format)')
      .fill('action=buy\nsymbol=BTCUSDT\nqty=0.01\ntp=31500\nsl=29000');
    await card.getByRole('button', { name: 'Send test alert' }).click();
    await card
      .getByRole('status')
      .getByText(
        /^accepted: 1 order \+ 2 exits \(take-profit and stop-loss\) on Spot \(log #\d+\)$/,
      )
      .waitFor();
    expect(asked).toHaveLength(2);

    // A paper account: said, not asked.
    await card.getByLabel('Account').selectOption({ label: 'Paper (paper)' });
    await card.getByText(/a paper account \(simulated fills, no real money\)/).waitFor();
    await card.getByRole('button', { name: 'Send test alert' }).click();
    await card
      .getByRole('status')
      .getByText(/^accepted: 1 order on Paper/)
      .waitFor();
    expect(asked).toHaveLength(2);
    page.removeAllListeners('dialog');
  });

  it('counts the exits the same way in the log and its Details', async () => {
    const log = page.getByRole('table', { name: 'Webhook log' });
    const row = log.locator('tbody tr').filter({ hasText: 'Spot' }).first();
    // The row counts the exits as the answer and Details do (the list carries exitsPlaced).
    await expect(row.innerText()).resolves.toContain('1 order + 2 exits');
    expect(
      await page
        .getByText('Result counts the orders an alert placed; the take-profit and stop-loss exits')
        .count(),
    ).toBe(0);
    await row.getByRole('button', { name: 'Details' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Orders: 1 order + 2 exits (take-profit and stop-loss)').waitFor();
    await screenshot(page, 'automation-log-details-dark-1440');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await log.scrollIntoViewIfNeeded();
    await screenshot(page, 'automation-log-dark-1440');
  });

  it('looks right at 1440×960 and 1024×640', async () => {
    for (const [width, height] of [
      [1440, 960],
      [1024, 640],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.locator('.content').evaluate((el) => el.scrollTo(0, 0));
      await form().scrollIntoViewIfNeeded();
      await screenshot(page, `automation-forms-dark-${width}`);
      await expectLooksRight(page, 'dark');
    }
  });
});
