import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { BackendConfig } from '../../src-main/config';
import { builtRendererDir } from '../../src-main/paths';
import { TEST_PASSWORD, identityOf } from './auth';
import { startTestBackend, type TestBackend } from './backend';

/** Debian's Chromium; Playwright never downloads a browser here. */
export const CHROMIUM = process.env.BOURSE_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumMissingReason(): string | undefined {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (!fs.existsSync(path.join(builtRendererDir(), 'index.html'))) {
    return 'the UI is not built (npm run build)';
  }
  return undefined;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A listening headless backend serving the built UI, as `npm run serve` does. `overrides`
 * change its configuration (e.g. a data directory kept across a restart, the secret store).
 */
export async function startServedBackend(
  overrides: Partial<BackendConfig> = {},
): Promise<{ backend: TestBackend; url: string }> {
  const backend = await startTestBackend({ rendererDir: builtRendererDir(), ...overrides });
  const url = (await backend.listen()).replace('127.0.0.1', 'localhost');
  return { backend, url };
}

export const SCREENSHOT_DIR = path.resolve(__dirname, '../../test-results/screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** A page's size and colour scheme. */
export interface PageShape {
  width: number;
  height: number;
  colorScheme?: 'dark' | 'light';
}

export function newPage(browser: Browser, shape: PageShape): Promise<Page> {
  const { width, height, colorScheme } = shape;
  return browser.newPage({ viewport: { width, height }, ...(colorScheme ? { colorScheme } : {}) });
}

export interface E2eOptions {
  /** Backend configuration overrides (data directory, secret store, clock). */
  config?: Partial<BackendConfig>;
  /**
   * False when the test starts (and restarts) the backend itself; the fixture then brings
   * Chromium and the page only.
   */
  serve?: boolean;
  /** The page the fixture opens; false when the tests open their own. */
  page?: PageShape | false;
}

/** What the fixture holds once its `beforeAll` ran (reading earlier throws). */
export interface E2e {
  readonly backend: TestBackend;
  readonly url: string;
  readonly browser: Browser;
  readonly page: Page;
}

/**
 * The setup every Chromium test shares: a listening headless backend serving the built UI,
 * Chromium, a first page (1280×800, dark, unless `page` says otherwise); all closed after the
 * suite. Call it inside the `describe`: it registers its own `beforeAll`/`afterAll`, which
 * run before the suite's own (hooks run in the order they are registered).
 */
export function e2eFixture(options: E2eOptions = {}): E2e {
  let backend: TestBackend | undefined;
  let url: string | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    if (options.serve !== false) ({ backend, url } = await startServedBackend(options.config));
    browser = await launchChromium();
    const shape = options.page ?? { width: 1280, height: 800, colorScheme: 'dark' };
    if (shape !== false) page = await newPage(browser, shape);
  });
  afterAll(async () => {
    await browser?.close();
    await backend?.cleanup();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`e2e fixture: no ${what} (not started, or not asked for)`);
    return value;
  };
  return {
    get backend() {
      return ready(backend, 'backend');
    },
    get url() {
      return ready(url, 'url');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    get page() {
      return ready(page, 'page');
    },
  };
}

/** Creates the owner through the first-start link in `page` and waits for the signed-in shell. */
export async function createOwnerInBrowser(
  page: Page,
  backend: TestBackend,
  url: string,
  email = 'owner@example.test',
): Promise<void> {
  await page.goto(identityOf(backend).setupLink(url)!);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
