import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  denyAllPermissions,
  isAllowedExternal,
  isAppUrl,
  lockDownWebContents,
  loopbackOrigin,
} from '../../../src-main/desktop/security';
import { mainWindowOptions } from '../../../src-main/desktop/window';

class FakeContents extends EventEmitter {
  openHandler?: (d: { url: string }) => { action: string };
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
}

function navigate(contents: FakeContents, event: string, url: string): boolean {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

const rendererFile = '/app/out/renderer/index.html';
const isApp = (url: string) => isAppUrl(url, rendererFile);

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
  it('recognises only our own UI', () => {
    expect(isApp('file:///app/out/renderer/index.html')).toBe(true);
    expect(isApp('file:///app/out/renderer/index.html#/trade')).toBe(true);
    expect(isApp('file:///etc/passwd')).toBe(false);
    expect(isApp('https://evil.example/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', rendererFile, 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/x', rendererFile, 'http://localhost:5173')).toBe(false);
  });

  it('blocks navigation and redirects away from the app', () => {
    const contents = new FakeContents();
    lockDownWebContents(contents as never, isApp, vi.fn());
    expect(navigate(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate(contents, 'will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'file:///app/out/renderer/index.html')).toBe(false);
    expect(navigate(contents, 'will-attach-webview', 'x')).toBe(true);
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

  it("allows desktop notifications to the app's own pages only", () => {
    type Handler = (c: unknown, p: string, cb?: (ok: boolean) => void) => boolean | void;
    let request: Handler | undefined;
    let check: Handler | undefined;
    const session = {
      setPermissionRequestHandler: (h: Handler) => (request = h),
      setPermissionCheckHandler: (h: Handler) => (check = h),
    };
    denyAllPermissions(session as never, (url) => url.startsWith('file:///app/'));
    const app = { getURL: () => 'file:///app/index.html' };
    const evil = { getURL: () => 'https://evil.example/' };
    const cb = vi.fn();
    request!(app, 'notifications', cb);
    request!(evil, 'notifications', cb);
    request!(app, 'media', cb);
    expect(cb.mock.calls).toEqual([[true], [false], [false]]);
    expect(check!(app, 'notifications')).toBe(true);
    expect(check!(evil, 'notifications')).toBe(false);
    expect(check!(app, 'geolocation')).toBe(false);
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
  });
});
