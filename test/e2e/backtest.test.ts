/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '../helpers/backend';
import { TEST_PASSWORD, createOwner, createUser } from '../helpers/auth';
import {
  chromiumMissingReason,
  e2eFixture,
  expectLooksRight,
  screenshot,
} from '../helpers/browser';
import { missingRealData, realDataPath } from '../helpers/real-data';

const FILES = ['bars/freqtrade-UNITTEST_BTC-1m.json', 'bars/orcl-1995-2014.txt'];
// The flow imports two real files too large to keep in the repository.
const missing = chromiumMissingReason() ?? missingRealData(...FILES) ?? undefined;
if (missing) console.warn(`skipping the backtest screen test: ${missing}`);

describe.skipIf(missing !== undefined)('backtest screen in Chromium', () => {
  const ui = e2eFixture({ page: { width: 1440, height: 900, colorScheme: 'dark' } });
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let email = '';

  beforeAll(async () => {
    ({ backend, url, page } = ui);
    await createOwner(backend);
    email = (await createUser(backend, 'trader')).email;
    await page.goto(`${url}/?signin=1#/backtest`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });

  const tab = (name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();

  async function importFile(file: string, name: string, adjusted = false) {
    await tab('Datasets');
    const form = page.getByRole('form', { name: 'Import candles' });
    await form.getByLabel('File').setInputFiles(realDataPath(`bars/${file}`)!);
    await form.getByLabel('Name').fill(name);
    if (adjusted) await form.getByLabel(/Use Adj Close/).check();
    await form.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').getByText(`Imported “${name}”`).waitFor();
  }

  it('imports datasets and shows the validation report row by row', async () => {
    await page.getByRole('link', { name: 'Backtest' }).click();
    await page.getByRole('heading', { name: 'Backtest', level: 1 }).waitFor();
    await importFile('freqtrade-UNITTEST_BTC-1m.json', 'BTC 1m');
    const issues = page.getByRole('table', { name: 'Issues' });
    await issues.getByText('gap').first().waitFor();
    await expect(issues.getByText('warning').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, 'backtest-import-dark');
    await importFile('orcl-1995-2014.txt', 'ORCL daily', true);
    const datasets = page.getByRole('table', { name: 'Datasets' });
    await datasets.getByText('ORCL daily').waitFor();
    await datasets.getByText('BTC 1m').waitFor();
    await datasets
      .getByRole('row', { name: /ORCL daily/ })
      .getByRole('button', { name: 'Preview' })
      .click();
    await page
      .getByRole('img', { name: 'Preview of ORCL daily' })
      .locator('canvas')
      .first()
      .waitFor();
    await screenshot(page, 'backtest-datasets-dark');
    // Nothing has traded on the local exchange yet: the server's reason is shown.
    const local = page.getByRole('form', { name: 'Candles from the local exchange' });
    await local.getByLabel('Market').selectOption('BTC/USDT');
    await local.getByRole('button', { name: 'Make dataset' }).click();
    await page
      .getByRole('alert')
      .getByText(/recorded no 1m candle for BTC\/USDT/)
      .waitFor();
  });

  it('runs an MA crossover: progress, metrics, equity, drawdown, trades on the price', async () => {
    await tab('Backtest');
    const setup = page.getByRole('form', { name: 'Backtest setup' });
    const orcl = setup.getByLabel('Dataset').locator('option', { hasText: 'ORCL daily' });
    await setup.getByLabel('Dataset').selectOption((await orcl.getAttribute('value')) ?? '');
    await setup.getByLabel('Strategy').selectOption('ma-crossover');
    await setup.getByLabel(/Fast period/).fill('20');
    await setup.getByLabel(/Slow period/).fill('60');
    await setup.getByRole('combobox', { name: /^Commission/ }).selectOption('per-order');
    await setup.getByLabel('Commission amount').fill('1');
    await setup.getByLabel('Slippage (bps)').fill('5');
    await setup.getByRole('button', { name: 'Run backtest' }).click();
    const metrics = page.getByRole('table', { name: 'Metrics' });
    await metrics.waitFor({ timeout: 30_000 });
    await expect(metrics.getByRole('row', { name: /Sharpe/ }).textContent()).resolves.toMatch(
      /Sharpe-?\d+\.\d\d/,
    );
    const equity = page.getByRole('img', { name: 'Equity curve' });
    await equity.locator('canvas').first().waitFor();
    await page.getByRole('img', { name: 'Drawdown curve' }).locator('canvas').first().waitFor();
    await page.getByRole('img', { name: 'Price with trades' }).locator('canvas').first().waitFor();
    // The assumptions are shown with the results.
    const assumptions = page.getByRole('table', { name: 'Assumptions' });
    await assumptions.getByText('1 per order').waitFor();
    await assumptions.getByText('5 bps').waitFor();
    const trades = page.getByRole('table', { name: 'Trades' });
    await expect(trades.locator('tbody tr').count()).resolves.toBeGreaterThan(10);
    await page.locator('#main').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'backtest-result-dark');
    await page
      .getByRole('img', { name: 'Price with trades' })
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'backtest-trades-dark');
  });

  it('fits the trades table and the assumption choices at 1440×960 and 1024×640', async () => {
    const trades = page.getByRole('table', { name: 'Trades' });
    // P&L and fees with thousands separators, as the prices beside them, every digit kept.
    const money = await trades.locator('tbody tr td:nth-child(8), tbody tr td:nth-child(9)');
    for (const text of await money.allInnerTexts())
      expect(text).toMatch(/^-?\d{1,3}(,\d{3})*\.\d+$/);
    expect((await money.allInnerTexts()).some((t) => t.includes(','))).toBe(true);
    try {
      for (const [width, height] of [
        [1440, 960],
        [1024, 640],
      ] as const) {
        await page.setViewportSize({ width, height });
        const cut = await page.evaluate(() => {
          const out: string[] = [];
          // A select's chosen words wider than its box are cut off.
          const ctx = document.createElement('canvas').getContext('2d')!;
          for (const s of Array.from(
            document.querySelectorAll<HTMLSelectElement>('.bt-setup select'),
          )) {
            const cs = getComputedStyle(s);
            ctx.font = cs.font;
            const words = s.options[s.selectedIndex]?.text ?? '';
            const need =
              ctx.measureText(words).width +
              parseFloat(cs.paddingLeft) +
              parseFloat(cs.paddingRight) +
              20;
            if (need > s.clientWidth)
              out.push(`select "${words}": ${Math.ceil(need)} > ${s.clientWidth}`);
          }
          // The trades table scrolls sideways only if it is wider than its card.
          const table = document.querySelector('table[aria-label="Trades"]')!;
          const box = table.closest('.bt-scroll')!;
          if (box.scrollWidth > box.clientWidth)
            out.push(`trades ${box.scrollWidth} > ${box.clientWidth}`);
          for (const td of Array.from(table.querySelectorAll<HTMLElement>('tbody td'))) {
            if (td.scrollWidth > td.clientWidth) out.push(`cell "${td.textContent}" cut`);
          }
          // Nothing of the screen runs out of the window.
          const main = document.querySelector('#main')!;
          if (main.scrollWidth > main.clientWidth)
            out.push(`main ${main.scrollWidth} > ${main.clientWidth}`);
          return out;
        });
        expect(cut, `${width}×${height}`).toEqual([]);
        await trades.scrollIntoViewIfNeeded();
        // Chromium repaints the sticky header after a resize: wait for two frames, not a time.
        await page.evaluate(
          () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
        );
        await screenshot(page, `backtest-trades-${width}-dark`);
        await page.getByRole('button', { name: 'Run backtest' }).scrollIntoViewIfNeeded();
        await screenshot(page, `backtest-setup-${width}-dark`);
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('shows a long sweep with progress and ETA, and cancels it', async () => {
    await tab('Sweep');
    const setup = page.getByRole('form', { name: 'Sweep setup' });
    const btc = setup.getByLabel('Dataset').locator('option', { hasText: 'BTC 1m' });
    await setup.getByLabel('Dataset').selectOption((await btc.getAttribute('value')) ?? '');
    await setup.getByLabel('Vary Fast period').check();
    await setup.getByLabel('Fast period from').fill('2');
    await setup.getByLabel('Fast period to').fill('41');
    await setup.getByLabel('Fast period step').fill('1');
    await setup.getByLabel('Vary Slow period').check();
    await setup.getByLabel('Slow period from').fill('50');
    await setup.getByLabel('Slow period to').fill('545');
    await setup.getByLabel('Slow period step').fill('5');
    await setup.getByRole('button', { name: 'Run sweep (4,000 runs)' }).click();
    const progress = page.getByRole('region', { name: 'Run progress' });
    await progress.getByText(/left/).waitFor({ timeout: 30_000 });
    await page.locator('#main').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'backtest-progress-dark');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await progress.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Runs' }).getByText('cancelled').waitFor();
    // Back to the stock data for the real sweep.
    const orcl = setup.getByLabel('Dataset').locator('option', { hasText: 'ORCL daily' });
    await setup.getByLabel('Dataset').selectOption((await orcl.getAttribute('value')) ?? '');
  });

  it('runs a sweep and sorts its results table', async () => {
    await tab('Sweep');
    const setup = page.getByRole('form', { name: 'Sweep setup' });
    const orcl = setup.getByLabel('Dataset').locator('option', { hasText: 'ORCL daily' });
    await setup.getByLabel('Dataset').selectOption((await orcl.getAttribute('value')) ?? '');
    await setup.getByLabel('Vary Fast period').check();
    await setup.getByLabel('Fast period from').fill('5');
    await setup.getByLabel('Fast period to').fill('25');
    await setup.getByLabel('Fast period step').fill('5');
    await setup.getByLabel('Vary Slow period').check();
    await setup.getByLabel('Slow period from').fill('40');
    await setup.getByLabel('Slow period to').fill('100');
    await setup.getByLabel('Slow period step').fill('20');
    await setup.getByRole('button', { name: 'Run sweep (20 runs)' }).click();
    const table = page.getByRole('table', { name: 'Sweep results' });
    await table.waitFor({ timeout: 60_000 });
    await expect(table.locator('tbody tr').count()).resolves.toBe(20);
    // Sort by return, descending then ascending: the first row changes accordingly.
    const returns = async () =>
      (await table.locator('tbody tr td:nth-child(3)').allTextContents()).map((t) =>
        Number(t.replace(/[ %]/g, '')),
      );
    await table.getByRole('button', { name: /^Return/ }).click();
    const desc = await returns();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await table.getByRole('button', { name: /^Return/ }).click();
    const asc = await returns();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await table.getByRole('button', { name: /^Sharpe/ }).click();
    await page.locator('#main').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'backtest-sweep-dark');
  });

  it('compares two runs side by side', async () => {
    // A second backtest straight from the sweep table.
    await page
      .getByRole('table', { name: 'Sweep results' })
      .getByRole('button', { name: 'Open' })
      .first()
      .click();
    await page.getByRole('table', { name: 'Metrics' }).waitFor({ timeout: 30_000 });
    await tab('Compare');
    const pick = (label: string, index: number) => page.getByLabel(label).selectOption({ index });
    await pick('Run A', 1);
    await pick('Run B', 2);
    const metrics = page.getByRole('table', { name: 'Metrics' });
    await metrics.getByRole('columnheader').nth(2).waitFor();
    await page
      .getByRole('img', { name: 'Equity of both runs' })
      .locator('canvas')
      .first()
      .waitFor();
    await screenshot(page, 'backtest-compare-dark');
  });

  it('saves a user strategy in the editor and shows a broken one’s error', async () => {
    await tab('Strategies');
    const form = page.getByRole('form', { name: 'Strategy source' });
    await form.getByRole('button', { name: 'Save strategy' }).click();
    await page.getByText('Saved and checked in the sandbox.').waitFor();
    await page.getByRole('button', { name: 'Close above SMA' }).waitFor();
    await form.getByLabel('Source').fill('defineStrategy({ create() { return { onBar() {} }; } ');
    await form.getByRole('button', { name: 'Save strategy' }).click();
    await page
      .getByRole('alert')
      .getByText(/SyntaxError/)
      .waitFor();
    await screenshot(page, 'backtest-editor-dark');
  });

  it('runs a futures-style backtest with TA-Lib conventions, and shows both with the results', async () => {
    await tab('Backtest');
    const setup = page.getByRole('form', { name: 'Backtest setup' });
    const orcl = setup.getByLabel('Dataset').locator('option', { hasText: 'ORCL daily' });
    await setup.getByLabel('Dataset').selectOption((await orcl.getAttribute('value')) ?? '');
    await setup.getByLabel('Strategy').selectOption('ma-crossover');
    await setup.getByRole('combobox', { name: 'Instrument' }).selectOption('future');
    // A future's leverage is its margin: the field gives way to the margin and per-contract cost.
    await expect(setup.getByLabel('Leverage').count()).resolves.toBe(0);
    await setup.getByLabel('Point value (multiplier)').fill('50');
    await setup.getByLabel('Initial margin per contract').fill('5000');
    await setup.getByLabel('Commission per contract').fill('2.5');
    await setup.getByRole('combobox', { name: 'Sizing' }).selectOption('fixed-quantity');
    await setup.getByLabel('Units per entry').fill('2');
    await setup.getByRole('combobox', { name: 'Indicator conventions' }).selectOption('talib');
    await setup.getByRole('combobox', { name: /^Commission$/ }).selectOption('none');
    await setup.getByRole('button', { name: 'Run backtest' }).click();
    const assumptions = page.getByRole('table', { name: 'Assumptions' });
    await assumptions
      .getByText('future: 50 per point, 5000 margin and 2.5 commission per contract')
      .waitFor({ timeout: 30_000 });
    await assumptions.getByText('TA-Lib / backtrader').waitFor();
    await page.getByRole('table', { name: 'Metrics' }).waitFor();
    await assumptions.scrollIntoViewIfNeeded();
    await screenshot(page, 'backtest-futures-dark');
    // Back to the defaults for the tests after this one.
    await tab('Backtest');
    await setup.getByRole('combobox', { name: 'Instrument' }).selectOption('spot');
    await setup
      .getByRole('combobox', { name: 'Indicator conventions' })
      .selectOption('tradingview');
    await setup.getByRole('combobox', { name: 'Sizing' }).selectOption('percent-equity');
    await setup.getByLabel('Percent of equity').fill('100');
  });

  it('looks right in the light theme: readable contrast, nothing off-screen', async () => {
    await page.evaluate(() => localStorage.setItem('bourse.theme', 'light'));
    await page.reload();
    await page.getByRole('heading', { name: 'Backtest', level: 1 }).waitFor();
    await page
      .getByRole('table', { name: 'Runs' })
      .getByRole('button', { name: /Moving-average/ })
      .first()
      .click();
    await page.getByRole('table', { name: 'Metrics' }).waitFor();
    await page.getByRole('img', { name: 'Equity curve' }).locator('canvas').first().waitFor();
    await page.locator('#main').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'backtest-result-light');
    await expectLooksRight(page, 'light');
    await page
      .getByRole('img', { name: 'Price with trades' })
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'backtest-trades-light');
    await tab('Sweep');
    await page
      .getByRole('table', { name: 'Runs' })
      .getByRole('button', { name: /Sweep ·/ })
      .first()
      .click();
    await page.getByRole('table', { name: 'Sweep results' }).waitFor();
    await page.locator('#main').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'backtest-sweep-light');
    await expectLooksRight(page, 'light');
    await tab('Datasets');
    await page
      .getByRole('table', { name: 'Datasets' })
      .getByRole('row', { name: /BTC 1m/ })
      .getByRole('button', { name: 'Preview' })
      .click();
    await page.getByRole('img', { name: 'Preview of BTC 1m' }).locator('canvas').first().waitFor();
    await screenshot(page, 'backtest-datasets-light');
    await expectLooksRight(page, 'light');
    await tab('Strategies');
    await screenshot(page, 'backtest-editor-light');
    await expectLooksRight(page, 'light');
  });
});
