import type { Session, WebContents } from 'electron';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME } from './app-protocol';

/** The only external sites the app may open (in the user's browser, never in-app). */
export const EXTERNAL_ALLOWLIST = [
  'https://www.tradingview.com',
  'https://developers.cloudflare.com',
  'https://ngrok.com',
  'https://github.com',
];

/**
 * True for https URLs whose origin is allow-listed, and for the local backend's own API
 * documentation (`<backendOrigin>/docs…`, plain http on loopback): the Settings and API keys
 * screens link to it, and the browser is where Swagger UI is useful.
 */
export function isAllowedExternal(url: string, backendOrigin?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return EXTERNAL_ALLOWLIST.includes(parsed.origin);
  return (
    backendOrigin !== undefined &&
    parsed.protocol === 'http:' &&
    parsed.origin === backendOrigin &&
    ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname) &&
    (parsed.pathname === '/docs' || parsed.pathname.startsWith('/docs/'))
  );
}

/**
 * The origin a browser on this machine reaches the backend at, from the address it listens on
 * (a wildcard address is reached through loopback).
 */
export function loopbackOrigin(listenUrl: string): string {
  const u = new URL(listenUrl);
  if (u.hostname === '0.0.0.0' || u.hostname === '[::]') u.hostname = '127.0.0.1';
  return u.origin;
}

/**
 * The dev server's origin, only when it is plain http(s) on loopback: electron-vite serves the
 * renderer there during development. Anything else in ELECTRON_RENDERER_URL is ignored, so an
 * environment variable cannot turn a remote page into "our UI".
 */
export function devServerOrigin(devServerUrl: string | undefined): string | undefined {
  if (!devServerUrl) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(devServerUrl);
  } catch {
    return undefined;
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname);
  return loopback && ['http:', 'https:'].includes(parsed.protocol) ? parsed.origin : undefined;
}

/**
 * Where the window loads the UI from: `app://bourse/index.html`, or in development (never in a
 * packaged app) electron-vite's loopback dev server, whose origin then counts as the app's.
 */
export function rendererLocation(
  isPackaged: boolean,
  devServerUrl: string | undefined,
): { startUrl: string; devOrigin?: string } {
  const devOrigin = isPackaged ? undefined : devServerOrigin(devServerUrl);
  return devOrigin !== undefined && devServerUrl !== undefined
    ? { startUrl: devServerUrl, devOrigin }
    : { startUrl: APP_ENTRY_URL };
}

/**
 * Is this URL our own UI? It is when it is on the app's origin (`app://bourse`, the only thing
 * our protocol handler serves) or, in development, on the loopback dev server's origin. Node's
 * URL gives custom schemes an opaque origin, so scheme and host are compared; credentials or a
 * port make it someone else's URL.
 */
export function isAppUrl(url: string, devOrigin?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (devOrigin !== undefined && parsed.origin === devOrigin) return true;
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === ''
  );
}

type Preventable = { preventDefault(): void };

/**
 * No navigation away from the app, in any frame; no new windows (allow-listed links open in the
 * system browser); no <webview>. The UI routes by hash, which is an in-page navigation and fires
 * none of these events. It has no iframes, and our pages refuse to be framed
 * (`frame-ancestors 'none'`), so a subframe navigation is refused wherever it goes.
 */
export function lockDownWebContents(
  contents: WebContents,
  isApp: (url: string) => boolean,
  openExternal: (url: string) => void,
  allowExternal: (url: string) => boolean = (url) => isAllowedExternal(url),
): void {
  contents.on('will-navigate', (event: Preventable & { url: string }, url?: string) => {
    if (!isApp(url ?? event.url)) event.preventDefault();
  });
  contents.on(
    'will-frame-navigate',
    (event: Preventable & { url: string; isMainFrame: boolean }) => {
      if (!event.isMainFrame || !isApp(event.url)) event.preventDefault();
    },
  );
  contents.on('will-redirect', (event: Preventable & { url: string }, url?: string) => {
    if (!isApp(url ?? event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (allowExternal(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Camera, microphone, geolocation, clipboard…: the UI needs none; notifications only for itself. */
export function denyAllPermissions(
  session: Session,
  isApp: (url: string) => boolean = () => false,
): void {
  // One exception: the app's own main frame may show desktop notifications (fills, risk hits,
  // emergency stops). Everything else (camera, location, clipboard, …) is refused, and so is
  // any request from a subframe. The requesting URL comes from Electron's details, not from
  // the WebContents' current URL, which may be the app while a subframe asks.
  const allowed = (permission: string, url: string | undefined, isMainFrame: boolean) =>
    permission === 'notifications' && isMainFrame && url !== undefined && isApp(url);
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details?.requestingUrl, details?.isMainFrame === true)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    allowed(permission, details?.requestingUrl ?? requestingOrigin, details?.isMainFrame === true),
  );
}
