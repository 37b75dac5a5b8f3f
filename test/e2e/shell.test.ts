/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '../helpers/backend';
import { chromiumMissingReason, e2eFixture, screenshot } from '../helpers/browser';
import { createOwner, signInInBrowser } from '../helpers/auth';

const missing = chromiumMissingReason();
if (missing) console.log(`[e2e] browser tests skipped: ${missing}`);

describe.skipIf(missing !== undefined)('the shell in Chromium against the headless server', () => {
  const ui = e2eFixture();
  let backend: TestBackend;
  let url: string;
  let page: Page;

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    // The shell shows only to a signed-in user.
    const owner = await createOwner(backend);
    await signInInBrowser(page, url, owner.email);
  });

  it('serves the UI with a strict CSP and shows every section', async () => {
    const response = await page.goto(`${url}/#/settings`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.waitFor(); // the session is restored from this tab's storage first
    for (const label of [
      'Dashboard',
      'Trade',
      'Backtest',
      'Automation',
      'Bots',
      'Accounts',
      'Positions',
      'API keys',
      'Wallet',
      'Admin',
      'Settings',
    ]) {
      await expect(nav.getByRole('link', { name: label }).count()).resolves.toBe(1);
    }
    await page.getByText('Database migrations').waitFor();
    // Where bots reach the backend, with its real port, and the docs by absolute address
    // (the desktop app's page is not served by the backend).
    const port = new URL(url).port;
    await page.getByText(`http://127.0.0.1:${port}/api/v1`).waitFor();
    await page.getByText(`http://127.0.0.1:${port}/api/v3`).waitFor();
    await page.getByText(`ws://127.0.0.1:${port}/binance/ws-api/v3`).waitFor();
    const docs = page.getByRole('link', { name: /REST API documentation/ });
    await expect(docs.getAttribute('href')).resolves.toBe(`http://127.0.0.1:${port}/docs`);
    await expect(page.locator('.statusbar').innerText()).resolves.toContain('Backend ok');
    await screenshot(page, 'shell-settings-dark');
  });

  it('opens every section on its own screen, none of them a placeholder', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const [label, heading] of [
      ['Dashboard', 'Dashboard'],
      ['Trade', 'Trade'],
      ['Backtest', 'Backtest'],
      ['Automation', 'Automation'],
      ['Bots', 'Bots'],
      ['Accounts', 'Accounts'],
      ['Positions', 'Positions'],
      ['API keys', 'API keys'],
      ['Wallet', 'Wallet'],
      ['Admin', 'Admin'],
    ] as const) {
      await nav.getByRole('link', { name: label }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await expect(page.getByText('Not available in this build yet').count()).resolves.toBe(0);
    }
    expect(page.url()).toContain('#/admin');
  });

  it('is keyboard navigable', async () => {
    await page.goto(`${url}/?fresh=1#/trade`); // a real load, so focus starts at the top
    await page.getByRole('navigation', { name: 'Main' }).waitFor(); // the session is restored
    const focused: string[] = [];
    for (let i = 0; i < 14 && focused.at(-1) !== 'Settings'; i++) {
      await page.keyboard.press('Tab');
      // An icon button (the notifications bell) is named by its aria-label.
      const label = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        return el.getAttribute('aria-label') ?? el.innerText.trim();
      });
      if (label !== null) focused.push(label);
    }
    expect(focused).toEqual([
      'Skip to content',
      'Notifications, none unread',
      'Dashboard',
      'Trade',
      'Backtest',
      'Automation',
      'Bots',
      'Accounts',
      'Positions',
      'API keys',
      'Wallet',
      'Admin',
      'Settings',
    ]);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(page.url()).toContain('#/settings');
  });

  it('switches to the light theme and keeps it after a reload, at 1024 px', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(`${url}/#/settings`);
    await page.getByText('Light', { exact: true }).click();
    await page.reload();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe(
      'light',
    );
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    );
    expect(overflow).toBe(false);
    await page.getByText('Database migrations').waitFor();
    await screenshot(page, 'shell-settings-light-1024');
    await page.getByRole('link', { name: 'Trade' }).click();
    await screenshot(page, 'shell-trade-light-1024');
  });
});
