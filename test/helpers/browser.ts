import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { BackendConfig } from '../../src-main/config';
import { builtRendererDir } from '../../src-main/paths';
import { TEST_PASSWORD, identityOf, totpCode } from './auth';
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

/** Follows the main navigation to a screen and waits for its heading. */
export async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
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

/**
 * Signs in at `route` with a password and the next TOTP step (the code that turned 2FA on is
 * never accepted twice), and waits for the signed-in shell.
 */
export async function signInWithTotp(
  page: Page,
  o: { backend: TestBackend; url: string; email: string; secret: string; route: string },
): Promise<void> {
  await page.goto(`${o.url}/?signin=1#/${o.route}`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(o.email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code').fill(totpCode(o.backend, o.secret, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Text worth reading on any screen: headings, labels, table text, buttons, links. */
export const KEY_TEXT = 'h1, h2, h3, label, th, td, button:not([disabled]), a, dt, dd, p';

/** What `layoutReport` measured in the page. */
export interface LayoutReport {
  /** Relative luminance of the page's background (0 black … 1 white). */
  background: number;
  /** Pixels the document is wider than the viewport (0 when nothing scrolls sideways). */
  overflowX: number;
  /** Key elements lying outside the viewport's width. */
  outside: string[];
  /** Key elements whose text is below the WCAG AA contrast ratio for its size. */
  lowContrast: { text: string; ratio: number; needed: number }[];
  /** How many visible key elements with text were measured. */
  checked: number;
}

/**
 * Measures in the page what "looks right" means: the contrast of each visible key element's
 * text against the background it is painted on (layers blended up to the first opaque one),
 * and whether anything spills past the viewport's width. Colours are read back through a
 * canvas, so every CSS colour syntax (color-mix included) comes out as RGBA. The script is a
 * string: a function would be serialised with the test transform's helpers in it.
 */
export function layoutReport(page: Page, selector = KEY_TEXT): Promise<LayoutReport> {
  return page.evaluate(`(() => {
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    const rgba = (css) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = '#000';
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
    const backgroundOf = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
    };
    const lum = (c) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
    const ownText = (el) =>
      [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join(' ').trim();
    const out = { background: lum(backgroundOf(document.body)), outside: [], lowContrast: [], checked: 0 };
    // The page scrolls in #main (the shell stays put): neither it nor the document may scroll
    // sideways. Tables in their own scroll box (.bt-scroll) scroll by design and are skipped.
    const page = document.getElementById('main');
    out.overflowX = Math.max(
      0,
      ...[document.scrollingElement, page].filter(Boolean).map((e) => e.scrollWidth - e.clientWidth),
    );
    const innerScroller = (el) => {
      for (let e = el.parentElement; e && e !== page && e !== document.body; e = e.parentElement) {
        if (getComputedStyle(e).overflowX !== 'visible') return true;
      }
      return false;
    };
    // Moved off-screen on purpose until focused (the skip link): not laid out, parked.
    const parked = (box, style) =>
      (style.position === 'absolute' || style.position === 'fixed') &&
      (box.right <= 0 || box.left >= innerWidth);
    for (const el of document.querySelectorAll(${JSON.stringify(selector)})) {
      const text = ownText(el);
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (!text || box.width === 0 || box.height === 0 || style.visibility !== 'visible') continue;
      if (el.closest('[aria-hidden="true"], details:not([open]) > :not(summary)')) continue;
      out.checked++;
      const name = el.tagName.toLowerCase() + ' "' + text.slice(0, 40) + '"';
      const off = box.left < -1 || box.right > innerWidth + 1;
      if (off && !innerScroller(el) && !parked(box, style)) out.outside.push(name);
      const bg = backgroundOf(el);
      const fg = over(rgba(style.color), bg);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const needed = large ? 3 : 4.5;
      const r = ratio(fg, bg);
      if (r < needed) out.lowContrast.push({ text: name, ratio: Math.round(r * 100) / 100, needed });
    }
    return out;
  })()`);
}

/**
 * Asserts what a "looks right" test claims: the theme is the one asked for (the page's
 * background is light or dark), key text meets WCAG AA contrast, nothing is wider than the
 * viewport. Returns the report for further checks.
 */
export async function expectLooksRight(
  page: Page,
  theme: 'light' | 'dark',
  selector = KEY_TEXT,
): Promise<LayoutReport> {
  const report = await layoutReport(page, selector);
  expect(report.checked, 'key elements measured').toBeGreaterThan(3);
  if (theme === 'light') expect(report.background, 'page background').toBeGreaterThan(0.6);
  else expect(report.background, 'page background').toBeLessThan(0.1);
  expect(report.lowContrast, 'text below WCAG AA contrast').toEqual([]);
  expect(report.outside, 'elements past the viewport').toEqual([]);
  expect(report.overflowX, 'horizontal overflow (px)').toBe(0);
  return report;
}
