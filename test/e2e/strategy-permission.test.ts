/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '../helpers/backend';
import { createOwner, createUser, signInInBrowser } from '../helpers/auth';
import { chromiumMissingReason, e2eFixture, screenshot } from '../helpers/browser';

const missing = chromiumMissingReason();

// Running your own strategy code is its own permission (backtest.custom): a viewer's
// Strategies tab says so instead of offering an editor whose every save the server refuses.
describe.skipIf(missing !== undefined)('Strategies tab by role, in Chromium', () => {
  const ui = e2eFixture({ page: false });
  let browser: Browser;
  let backend: TestBackend;
  let url: string;

  beforeAll(async () => {
    ({ backend, url, browser } = ui);
    await createOwner(backend);
  });

  async function strategiesTabAs(role: 'viewer' | 'trader') {
    const { email } = await createUser(backend, role);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await signInInBrowser(page, url, email);
    await page.getByRole('link', { name: 'Backtest' }).click();
    await page.getByRole('tab', { name: /^Strategies/ }).click();
    await page.getByRole('heading', { name: 'Your strategies' }).waitFor();
    return page;
  }

  it('tells a viewer that only built-in strategies are theirs to run', async () => {
    const page = await strategiesTabAs('viewer');
    await page.getByText('runs the built-in strategies only').waitFor();
    expect(await page.getByLabel('Strategy source').count()).toBe(0);
    await screenshot(page, 'backtest-strategies-viewer');
    await page.close();
  });

  it('gives a trader the editor', async () => {
    const page = await strategiesTabAs('trader');
    await page.getByLabel('Strategy source').waitFor();
    expect(await page.getByText('runs the built-in strategies only').count()).toBe(0);
    await screenshot(page, 'backtest-strategies-trader');
    await page.close();
  });
});
