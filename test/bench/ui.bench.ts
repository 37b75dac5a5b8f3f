/**
 * `npm run bench:ui`: what a trading bot beside the desktop UI costs the renderer. A trader
 * keeps OPEN orders; the UI is opened in Chromium (from apt) against the headless server; a
 * bot then places BURST more through `orders.placeBatch` while the page is open. Reported:
 * the page's long tasks (main-thread blocks > 50 ms, PerformanceObserver) during the burst,
 * and the time until the Open orders tab shows the new count. Baseline, same run and same
 * burst: the Wallet screen open instead of Trade (balances and the live ledger update, no
 * order tables). Figures are printed, never asserted.
 *
 * Run: npm run bench:ui   (BENCH_UI_OPEN=3000 BENCH_UI_BURST=1000 BENCH_UI_REPEATS=3)
 */
import type { Page } from 'playwright-core';
import { createOwner, createUser, signInInBrowser } from '../helpers/auth';
import { chromiumMissingReason, launchChromium, startServedBackend } from '../helpers/browser';
import { fund, trader } from '../helpers/exchange';

const OPEN = Number(process.env.BENCH_UI_OPEN ?? 3000);
const BURST = Number(process.env.BENCH_UI_BURST ?? 1000);
const REPEATS = Number(process.env.BENCH_UI_REPEATS ?? 3);
/** Give up waiting for the screen after this long (the figure then says "> …"). */
const PATIENCE_MS = 60_000;

declare global {
  interface Window {
    longTaskMs: number;
  }
}

async function main(): Promise<void> {
  const missing = chromiumMissingReason();
  if (missing) {
    console.log(`bench:ui skipped: ${missing}`);
    return;
  }
  const { backend, url } = await startServedBackend();
  const browser = await launchChromium();
  await createOwner(backend);
  const rows: string[] = [];
  try {
    for (let rep = 0; rep < REPEATS; rep++) {
      for (const screen of ['wallet', 'trade'] as const) {
        const user = await createUser(backend, 'trader');
        await fund(backend, user.userId, 'USDT', '100000000');
        let placed = 0;
        // Bids one cent apart far under the market: they rest, nothing fills.
        const bot = async (n: number) => {
          for (let i = 0; i < n; i += 100, placed += 100) {
            const orders = Array.from({ length: Math.min(100, n - i) }, (_, k) => ({
              symbol: 'BTC/USDT',
              side: 'buy',
              type: 'limit',
              price: (10_000 + (placed + k) / 100).toFixed(2),
              qty: '0.001',
            }));
            await backend.invoke('orders.placeBatch', { orders }, trader(user.userId));
          }
        };
        await bot(OPEN);
        const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
        await page.addInitScript(() => {
          window.longTaskMs = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) window.longTaskMs += e.duration;
          }).observe({ type: 'longtask' });
        });
        await signInInBrowser(page, url, user.email);
        const tab = (n: number) =>
          page.getByRole('tab', { name: new RegExp(`Open orders\\s*${n}$`) });
        const t0 = Date.now();
        await tab(OPEN).waitFor({ timeout: PATIENCE_MS });
        const firstShown = Date.now() - t0;
        if (screen === 'wallet') {
          await page.getByRole('link', { name: 'Wallet' }).click();
          await page.getByRole('heading', { name: 'Wallet' }).waitFor();
        }
        await page.waitForTimeout(500);
        await page.evaluate(() => (window.longTaskMs = 0));
        const t1 = Date.now();
        await bot(BURST);
        const botMs = Date.now() - t1;
        const shownMs = await shownAfter(page, screen, tab(OPEN + BURST), t1);
        await page.waitForTimeout(1000); // what the burst still costs after it is shown
        const longMs = await page.evaluate(() => window.longTaskMs);
        rows.push(
          `| ${rep + 1} | ${screen} | ${OPEN} | ${BURST} | ${botMs} | ${shownMs} | ${Math.round(longMs)} | ${screen === 'trade' ? firstShown : ''} |`,
        );
        console.error(`bench:ui ${screen} ${rep + 1} done`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await backend.cleanup();
  }
  console.log(
    `\nA bot placing ${BURST} orders while the user has ${OPEN} open — the renderer's cost (Chromium).\n`,
  );
  console.log(
    '| run | screen open | open orders | burst | bot placed in ms | shown after ms | long tasks ms | first load ms |',
  );
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
}

/** Ms from the burst's start until the screen shows it (Wallet: not applicable, "—"). */
async function shownAfter(
  page: Page,
  screen: 'wallet' | 'trade',
  shown: ReturnType<Page['getByRole']>,
  since: number,
): Promise<string> {
  if (screen === 'wallet') return '—';
  try {
    await shown.waitFor({ timeout: PATIENCE_MS });
    return String(Date.now() - since);
  } catch {
    return `> ${PATIENCE_MS}`;
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
