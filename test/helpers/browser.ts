import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { BackendConfig } from '../../src-main/config';
import { builtRendererDir } from '../../src-main/paths';
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
