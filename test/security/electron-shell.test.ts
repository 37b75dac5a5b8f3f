import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  DESKTOP_CSP,
  appProtocolHandler,
} from '../../src-main/desktop/app-protocol';
import { isTrustedSender } from '../../src-main/desktop/ipc-main';
import {
  denyAllPermissions,
  isAppUrl,
  lockDownWebContents,
  rendererLocation,
} from '../../src-main/desktop/security';
import { mainWindowOptions } from '../../src-main/desktop/window';

// Issue #22, item 7: the Electron shell. The same functions the entry wires into Electron,
// driven with the events and requests Electron 41 would send (no Electron binary here).

const isApp = (url: string) => isAppUrl(url);
const APP = 'app://bourse/index.html';

function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name, sources);
  }
  return out;
}

describe('the UI has an origin of its own, with its own CSP', () => {
  it('loads from app://bourse, never file://, even when the environment names another page', () => {
    expect(rendererLocation(true, 'https://evil.example/').startUrl).toBe(APP);
    expect(isApp('file:///app/out/renderer/index.html')).toBe(false);
  });

  it('registers the scheme standard and secure, without bypassing CSP or allowing CORS reads', () => {
    const p = APP_SCHEME_PRIVILEGES.privileges!;
    expect(p.standard && p.secure).toBe(true);
    for (const off of ['bypassCSP', 'corsEnabled', 'allowServiceWorkers', 'stream'] as const)
      expect(p[off], off).toBeFalsy();
  });

  it('sends a CSP that allows no connection anywhere (the desktop UI talks over IPC only)', () => {
    const csp = directives(DESKTOP_CSP);
    expect(csp.get('connect-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    for (const name of ['object-src', 'base-uri', 'frame-ancestors', 'form-action', 'frame-src'])
      expect(csp.get(name), name).toEqual(["'none'"]);
    expect(DESKTOP_CSP).not.toMatch(/unsafe-eval|ws:|wss:|https?:|\*/);
  });

  it('keeps isolation, the sandbox and no Node integration in the window', () => {
    expect(mainWindowOptions('/p/index.js').webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
    });
  });
});

describe('app:// serves the renderer folder and nothing else', () => {
  let base: string;
  let serve: ReturnType<typeof appProtocolHandler>;
  const CANARY = 'canary-that-must-not-leak';

  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-shell-sec-'));
    fs.mkdirSync(path.join(base, 'renderer'));
    fs.writeFileSync(path.join(base, 'renderer', 'index.html'), '<title>Bourse</title>');
    fs.writeFileSync(path.join(base, 'secrets.json'), CANARY);
    fs.symlinkSync(path.join(base, 'secrets.json'), path.join(base, 'renderer', 'sneaky.json'));
    serve = appProtocolHandler(path.join(base, 'renderer'));
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('refuses traversal: dot segments, encoded, separators, absolute paths, symlinks', async () => {
    const secret = path.join(base, 'secrets.json');
    for (const url of [
      'app://bourse/../secrets.json',
      'app://bourse/%2e%2e/secrets.json',
      'app://bourse/..%2fsecrets.json',
      'app://bourse/..%5csecrets.json',
      `app://bourse/${encodeURIComponent(secret)}`,
      `app://bourse/${secret}`,
      'app://bourse/sneaky.json',
    ]) {
      const res = await serve({ url, method: 'GET' });
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      await expect(res.text(), url).resolves.not.toContain(CANARY);
      expect(res.headers.get('content-security-policy'), url).toBe(DESKTOP_CSP);
    }
    const ok = await serve({ url: APP, method: 'GET' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
  });
});

describe('IPC is answered only for the main frame of our own UI', () => {
  const frame = (url: string, routingId: number, parent: unknown = null) => ({
    url,
    parent,
    detached: false,
    processId: 5,
    routingId,
    isDestroyed: () => false,
  });
  const sentBy = (senderFrame: ReturnType<typeof frame>, mainFrame = frame(APP, 1)) =>
    ({ senderFrame, sender: { mainFrame, isDestroyed: () => false } }) as never;

  it('trusts the app main frame and refuses a subframe or a foreign page', () => {
    const main = frame(APP, 1);
    expect(isTrustedSender(sentBy(main, main), isApp)).toBe(true);
    expect(isTrustedSender(sentBy(frame(APP, 2, main), main), isApp)).toBe(false);
    expect(isTrustedSender(sentBy(frame('https://evil.example/', 2, main), main), isApp)).toBe(
      false,
    );
    const evilMain = frame('https://evil.example/', 1);
    expect(isTrustedSender(sentBy(evilMain, evilMain), isApp)).toBe(false);
    expect(isTrustedSender(sentBy({ ...main, detached: true }, main), isApp)).toBe(false);
  });
});

describe('navigation and permissions', () => {
  class Contents extends EventEmitter {
    openHandler?: (d: { url: string }) => { action: string };
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.openHandler = h;
    }
  }
  const attempt = (c: Contents, name: string, url: string, isMainFrame = true) => {
    let prevented = false;
    c.emit(name, { url, isMainFrame, preventDefault: () => (prevented = true) }, url);
    return prevented;
  };

  it('refuses navigations off the app in the main frame and every subframe navigation', () => {
    const c = new Contents();
    const open = vi.fn();
    lockDownWebContents(c as never, isApp, open);
    expect(attempt(c, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(attempt(c, 'will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(attempt(c, 'will-frame-navigate', 'https://evil.example/', false)).toBe(true);
    expect(attempt(c, 'will-frame-navigate', 'file:///etc/passwd', false)).toBe(true);
    expect(attempt(c, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(attempt(c, 'will-attach-webview', 'https://evil.example/')).toBe(true);
    expect(attempt(c, 'will-navigate', APP)).toBe(false);
    expect(c.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(c.openHandler!({ url: APP })).toEqual({ action: 'deny' });
    expect(open).not.toHaveBeenCalled();
  });

  it('denies permissions to subframes and foreign pages', () => {
    let request: ((...a: unknown[]) => void) | undefined;
    const session = { setPermissionRequestHandler: (h: never) => (request = h) };
    denyAllPermissions({ ...session, setPermissionCheckHandler: () => undefined } as never, isApp);
    const cb = vi.fn();
    request!(null, 'notifications', cb, { requestingUrl: APP, isMainFrame: false });
    request!(null, 'notifications', cb, {
      requestingUrl: 'https://evil.example/',
      isMainFrame: true,
    });
    request!(null, 'media', cb, { requestingUrl: APP, isMainFrame: true });
    expect(cb.mock.calls).toEqual([[false], [false], [false]]);
  });
});
