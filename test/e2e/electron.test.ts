/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../src-main/paths';

/** The Electron binary is downloaded by Electron's installer, which cannot run everywhere. */
function electronBinary(): { path?: string; reason?: string } {
  const pathFile = path.join(appRoot(), 'node_modules/electron/path.txt');
  if (!fs.existsSync(pathFile)) {
    return {
      reason: 'the Electron binary is not installed (its download is blocked on this machine)',
    };
  }
  const bin = path.join(
    appRoot(),
    'node_modules/electron/dist',
    fs.readFileSync(pathFile, 'utf8').trim(),
  );
  if (!fs.existsSync(bin)) return { reason: `the Electron binary is missing at ${bin}` };
  if (process.platform === 'linux' && !process.env.DISPLAY)
    return { reason: 'no display (run under xvfb-run)' };
  return { path: bin };
}

describe('desktop app (Playwright _electron)', () => {
  it('opens a sandboxed window showing the shell', async (ctx) => {
    const found = electronBinary();
    if (!found.path) {
      console.log(`[e2e] Electron smoke test skipped: ${found.reason}`);
      ctx.skip(true, found.reason);
    }
    const app = await electron.launch({ executablePath: found.path, args: [appRoot()] });
    try {
      const window = await app.firstWindow();
      await window.getByRole('navigation', { name: 'Main' }).waitFor();
      const sandboxed = await window.evaluate(
        () => typeof (globalThis as { require?: unknown }).require,
      );
      expect(sandboxed).toBe('undefined');
      // Served from the app's own origin, whose CSP lets the page connect nowhere (IPC only).
      expect(window.url()).toMatch(/^app:\/\/bourse\//);
      const blocked = await window.evaluate(
        () =>
          new Promise<string>((resolve) => {
            document.addEventListener('securitypolicyviolation', (e) =>
              resolve(e.effectiveDirective),
            );
            fetch('http://127.0.0.1:9/').catch(() => undefined);
          }),
      );
      expect(blocked).toBe('connect-src');
    } finally {
      await app.close();
    }
  });
});
