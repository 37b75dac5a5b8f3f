import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  denyAllPermissions,
  devServerOrigin,
  isAllowedExternal,
  isAppUrl,
  lockDownWebContents,
  loopbackOrigin,
  rendererLocation,
} from '../../../src-main/desktop/security';
import { DESKTOP_CSP } from '../../../src-main/desktop/app-protocol';
import { mainWindowOptions } from '../../../src-main/desktop/window';

class FakeContents extends EventEmitter {
  openHandler?: (d: { url: string }) => { action: string };
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
}

/** Emits a navigation event as Electron 41 does: details on the event, the URL also positional. */
function navigate(contents: FakeContents, event: string, url: string, isMainFrame = true): boolean {
  let prevented = false;
  contents.emit(event, { url, isMainFrame, preventDefault: () => (prevented = true) }, url);
  return prevented;
}

const isApp = (url: string) => isAppUrl(url);

describe('window preferences', () => {
  it('keeps isolation, the sandbox and web security on', () => {
    const prefs = mainWindowOptions('/app/out/preload/index.js').webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/out/preload/index.js',
    });
    expect(mainWindowOptions('p').minWidth).toBe(1024);
  });
});

describe('navigation', () => {
  it('recognises only our own UI: the app origin, and the loopback dev server in development', () => {
    expect(isApp('app://bourse/index.html')).toBe(true);
    expect(isApp('app://bourse/index.html#/trade')).toBe(true);
    expect(isApp('app://bourse/')).toBe(true);
    for (const url of [
      'file:///app/out/renderer/index.html', // file:// no longer is the app
      'file:///etc/passwd',
      'https://evil.example/',
      'app://evil/index.html',
      'app://bourse.evil/index.html',
      'app://user@bourse/index.html',
      'app://bourse:1/index.html',
      'apps://bourse/index.html',
      'http://localhost:5173/x', // the dev server only when one is configured
      'not a url',
    ])
      expect(isApp(url), url).toBe(false);
    const dev = devServerOrigin('http://localhost:5173/');
    expect(dev).toBe('http://localhost:5173');
    expect(isAppUrl('http://localhost:5173/x', dev)).toBe(true);
    expect(isAppUrl('app://bourse/index.html', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/x', dev)).toBe(false);
    expect(isAppUrl('https://localhost:5173/x', dev)).toBe(false);
  });

  it('loads the UI from app:// unless an unpackaged app has a loopback dev server', () => {
    const app = { startUrl: 'app://bourse/index.html' };
    expect(rendererLocation(true, undefined)).toEqual(app);
    expect(rendererLocation(true, 'http://localhost:5173/')).toEqual(app);
    expect(rendererLocation(false, undefined)).toEqual(app);
    expect(rendererLocation(false, 'https://evil.example/')).toEqual(app);
    expect(rendererLocation(false, 'http://localhost:5173/')).toEqual({
      startUrl: 'http://localhost:5173/',
      devOrigin: 'http://localhost:5173',
    });
  });

  it('takes a dev server only on loopback http(s)', () => {
    expect(devServerOrigin(undefined)).toBeUndefined();
    expect(devServerOrigin('http://127.0.0.1:5173')).toBe('http://127.0.0.1:5173');
    expect(devServerOrigin('https://evil.example/')).toBeUndefined();
    expect(devServerOrigin('file:///tmp/x.html')).toBeUndefined();
    expect(devServerOrigin('nonsense')).toBeUndefined();
  });

  it('blocks navigation and redirects away from the app', () => {
    const contents = new FakeContents();
    lockDownWebContents(contents as never, isApp, vi.fn());
    expect(navigate(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'file:///app/out/renderer/index.html')).toBe(true);
    expect(navigate(contents, 'will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'app://bourse/index.html')).toBe(false);
    expect(navigate(contents, 'will-redirect', 'app://bourse/index.html')).toBe(false);
    expect(navigate(contents, 'will-attach-webview', 'x')).toBe(true);
  });

  it('blocks frame navigations off the app, and every subframe navigation', () => {
    const contents = new FakeContents();
    lockDownWebContents(contents as never, isApp, vi.fn());
    expect(navigate(contents, 'will-frame-navigate', 'app://bourse/index.html')).toBe(false);
    expect(navigate(contents, 'will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate(contents, 'will-frame-navigate', 'https://evil.example/', false)).toBe(true);
    expect(navigate(contents, 'will-frame-navigate', 'app://bourse/index.html', false)).toBe(true);
    expect(navigate(contents, 'will-frame-navigate', 'about:blank', false)).toBe(true);
  });

  it('reads the URL from the event when Electron no longer passes it positionally', () => {
    const contents = new FakeContents();
    lockDownWebContents(contents as never, isApp, vi.fn());
    let prevented = false;
    const event = { url: 'https://evil.example/', preventDefault: () => (prevented = true) };
    contents.emit('will-navigate', event);
    expect(prevented).toBe(true);
  });

  it('denies every new window and opens only allow-listed https links outside', () => {
    const contents = new FakeContents();
    const open = vi.fn();
    lockDownWebContents(contents as never, isApp, open);
    expect(contents.openHandler!({ url: 'https://www.tradingview.com/chart' })).toEqual({
      action: 'deny',
    });
    expect(contents.openHandler!({ url: 'http://www.tradingview.com/' })).toEqual({
      action: 'deny',
    });
    expect(contents.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(open).toHaveBeenCalledTimes(1);
    expect(open).toHaveBeenCalledWith('https://www.tradingview.com/chart');
    expect(isAllowedExternal('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternal('https://www.tradingview.com.evil.example/')).toBe(false);
  });

  it("opens the local backend's own API docs outside, and nothing else of it", () => {
    const origin = loopbackOrigin('http://0.0.0.0:8420');
    expect(origin).toBe('http://127.0.0.1:8420');
    expect(loopbackOrigin('http://127.0.0.1:51234')).toBe('http://127.0.0.1:51234');
    const allowed = (url: string) => isAllowedExternal(url, origin);
    expect(allowed('http://127.0.0.1:8420/docs')).toBe(true);
    expect(allowed('http://127.0.0.1:8420/docs/static/index.html')).toBe(true);
    expect(allowed('http://127.0.0.1:8420/')).toBe(false); // the UI itself stays in the app
    expect(allowed('http://127.0.0.1:8420/docsx')).toBe(false);
    expect(allowed('http://127.0.0.1:9999/docs')).toBe(false); // another local server
    expect(allowed('http://evil.example:8420/docs')).toBe(false);
    expect(isAllowedExternal('http://127.0.0.1:8420/docs')).toBe(false); // origin not known yet
    // Through the window-open handler, with the backend's origin known.
    const contents = new FakeContents();
    const open = vi.fn();
    lockDownWebContents(contents as never, isApp, open, allowed);
    expect(contents.openHandler!({ url: 'http://127.0.0.1:8420/docs' })).toEqual({
      action: 'deny',
    });
    contents.openHandler!({ url: 'http://127.0.0.1:8420/api/v1/balances' });
    expect(open.mock.calls).toEqual([['http://127.0.0.1:8420/docs']]);
  });
});

describe('permissions', () => {
  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    };
    denyAllPermissions(session as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const cb = vi.fn();
      request!(null, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(check!()).toBe(false);
  });

  it("allows desktop notifications to the app's own main frame only", () => {
    type Handler = (c: unknown, p: string, x?: unknown, d?: unknown) => boolean | void;
    let request: Handler | undefined;
    let check: Handler | undefined;
    const session = {
      setPermissionRequestHandler: (h: Handler) => (request = h),
      setPermissionCheckHandler: (h: Handler) => (check = h),
    };
    denyAllPermissions(session as never, isApp);
    // The WebContents shows the app in every case: what counts is who asks.
    const contents = { getURL: () => 'app://bourse/index.html' };
    const main = { requestingUrl: 'app://bourse/index.html', isMainFrame: true };
    const sub = { requestingUrl: 'app://bourse/index.html', isMainFrame: false };
    const evil = { requestingUrl: 'https://evil.example/', isMainFrame: true };
    const cb = vi.fn();
    request!(contents, 'notifications', cb, main);
    request!(contents, 'notifications', cb, sub);
    request!(contents, 'notifications', cb, evil);
    request!(contents, 'media', cb, main);
    request!(contents, 'notifications', cb, undefined);
    expect(cb.mock.calls).toEqual([[true], [false], [false], [false], [false]]);
    expect(check!(contents, 'notifications', 'app://bourse', main)).toBe(true);
    expect(check!(contents, 'notifications', 'app://bourse', { isMainFrame: true })).toBe(true);
    expect(check!(contents, 'notifications', 'app://bourse', sub)).toBe(false);
    expect(check!(contents, 'notifications', 'https://evil.example', evil)).toBe(false);
    expect(check!(contents, 'geolocation', 'app://bourse', main)).toBe(false);
  });
});

describe('content security policy', () => {
  it('the UI allows scripts and connections only from its own origin', () => {
    const html = fs.readFileSync(
      path.resolve(__dirname, '../../../src-renderer/index.html'),
      'utf8',
    );
    const csp = /Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    // No WebSocket (or anything) to any host: the page's own origin only (CSP3 'self' covers
    // the same-origin ws: of the headless server and of the dev server's HMR).
    expect(directive(csp, 'connect-src')).toEqual(["'self'"]);
  });

  it('the app:// responses carry a stricter policy: no connections at all, no framing', () => {
    expect(directive(DESKTOP_CSP, 'default-src')).toEqual(["'self'"]);
    expect(directive(DESKTOP_CSP, 'script-src')).toEqual(["'self'"]);
    expect(directive(DESKTOP_CSP, 'connect-src')).toEqual(["'none'"]);
    expect(directive(DESKTOP_CSP, 'object-src')).toEqual(["'none'"]);
    expect(directive(DESKTOP_CSP, 'base-uri')).toEqual(["'none'"]);
    expect(directive(DESKTOP_CSP, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directive(DESKTOP_CSP, 'form-action')).toEqual(["'none'"]);
    expect(directive(DESKTOP_CSP, 'img-src')).toEqual(["'self'", 'data:']);
    expect(DESKTOP_CSP).not.toMatch(/unsafe-eval|ws:|wss:|\*/);
  });
});

/** The sources of one CSP directive (undefined when absent). */
function directive(csp: string, name: string): string[] | undefined {
  for (const part of csp.split(';')) {
    const [key, ...values] = part.trim().split(/\s+/);
    if (key === name) return values;
  }
  return undefined;
}
