import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../../helpers/backend';
import { HEADLESS_ENTRY, spawnHeadless } from '../../helpers/headless-child';

const entry = HEADLESS_ENTRY;
const missing = fs.existsSync(entry)
  ? undefined
  : 'out/main/headless.js is not built (npm run build)';

describe('npm run serve (the built headless entry)', () => {
  it('serves the API, the UI and /docs on loopback, and stops on SIGTERM', async (ctx) => {
    if (missing) ctx.skip(true, missing);
    const dataDir = tempDataDir();
    const headless = spawnHeadless(['--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
      BOURSE_HOST: '',
    });
    try {
      const [, url] = await headless.waitFor(/running at (http:\/\/localhost:\d+)/);
      expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
      const page = await fetch(`${url}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      // A browser asks for /favicon.ico unless the page names its icon; a 404 there is the
      // first thing a new user's console showed.
      const icon = /<link rel="icon"[^>]*href="\.\/([^"]+)"/.exec(await page.text())?.[1];
      expect(icon).toBe('favicon.svg');
      const iconReply = await fetch(`${url}/${icon}`);
      expect(iconReply.status).toBe(200);
      expect(iconReply.headers.get('content-type')).toContain('image/svg+xml');
      expect((await fetch(`${url}/docs/json`)).status).toBe(200);
      expect(fs.existsSync(path.join(dataDir, 'bourse.sqlite'))).toBe(true);
    } finally {
      expect(await headless.stop(), headless.output()).toBe(0);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses unknown flags with a one-line explanation', async (ctx) => {
    if (missing) ctx.skip(true, missing);
    const child = spawn(process.execPath, [entry, '--prot', '1']);
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(err).toContain('Unknown option --prot');
  });
});
