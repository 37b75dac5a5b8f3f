import type { Session, WebContents } from 'electron';

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
 * Is this URL our own UI? The packaged renderer is a file inside the app; in development
 * electron-vite serves it from a loopback dev server (ELECTRON_RENDERER_URL).
 */
export function isAppUrl(url: string, rendererFile: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (devServerUrl) {
    const dev = new URL(devServerUrl);
    if (parsed.origin === dev.origin) return true;
  }
  if (parsed.protocol !== 'file:') return false;
  return decodeURIComponent(parsed.pathname) === rendererFile.replaceAll('\\', '/');
}

/** No navigation away from the app, no new windows; allow-listed links open outside. */
export function lockDownWebContents(
  contents: WebContents,
  isApp: (url: string) => boolean,
  openExternal: (url: string) => void,
  allowExternal: (url: string) => boolean = (url) => isAllowedExternal(url),
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isApp(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isApp(url)) event.preventDefault();
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
  // One exception: the app's own pages may show desktop notifications (fills, risk hits,
  // emergency stops). Everything else (camera, location, clipboard, …) is refused.
  const allowed = (permission: string, url: string | undefined) =>
    permission === 'notifications' && url !== undefined && isApp(url);
  session.setPermissionRequestHandler((contents, permission, callback) =>
    callback(allowed(permission, contents?.getURL())),
  );
  session.setPermissionCheckHandler((contents, permission) =>
    allowed(permission, contents?.getURL()),
  );
}
