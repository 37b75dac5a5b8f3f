import fs from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme } from 'electron';

/**
 * The desktop UI is served from `app://bourse/`, not `file://`. A file URL's origin is opaque
 * and any file on the disk shares it; our own scheme gives the UI a real origin of its own, which
 * sender checks, navigation rules and the CSP can name, and serves nothing but the built
 * renderer folder.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bourse';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Registered before `app.ready` (Electron allows it only then, and only once).
 * - standard: relative URLs resolve and the scheme has a (scheme, host) origin with its own
 *   storage (the UI keeps its theme and session in web storage);
 * - secure: a secure context, which desktop notifications require;
 * - supportFetchAPI: Chromium loads module scripts and `import()` chunks through fetch; the CSP's
 *   `connect-src 'none'` still forbids the page's own fetch/XHR/WebSocket.
 * Deliberately absent: bypassCSP (our CSP must apply), corsEnabled (no cross-origin reads of
 * our files), allowServiceWorkers, stream.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/**
 * The CSP sent with every `app://` response. The desktop renderer reaches the backend only over
 * IPC (the preload bridge), so it may connect nowhere: no HTTP, no WebSocket, not even to the
 * embedded server. Inline styles stay because the chart library injects a <style> element; the
 * 2FA QR code is a data: image.
 */
export const DESKTOP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function respond(status: number, body: BodyInit | null, contentType: string): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': contentType,
      'content-security-policy': DESKTOP_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
  });
}

const refuse = (status: 400 | 403 | 404 | 405, text: string) =>
  respond(status, text, 'text/plain; charset=utf-8');

/**
 * The request path as a list of decoded segments, or null when any segment could leave the
 * folder: `.`/`..` (also percent-encoded), encoded separators, NUL, or a drive/stream colon.
 * Chromium already collapses dot segments of a standard URL; this does not rely on it.
 */
export function safeSegments(pathname: string): string[] | null {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[/\\\0:]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

/** True when `target` is `root` itself or inside it. */
function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The file a request maps to, or an HTTP status explaining why not. Symlinks are resolved and
 * must stay inside the (resolved) root, so a link planted in the folder leads nowhere else.
 */
async function resolveFile(root: string, url: URL): Promise<string | 400 | 403 | 404> {
  if (url.host !== APP_HOST || url.username || url.password || url.port) return 404;
  const segments = safeSegments(url.pathname);
  if (segments === null) return 400;
  const wanted = path.join(root, ...(segments.length ? segments : ['index.html']));
  if (!isInside(root, wanted)) return 403;
  let real: string;
  try {
    real = await fs.realpath(wanted);
  } catch {
    return 404;
  }
  if (!isInside(await fs.realpath(root), real)) return 403;
  const stat = await fs.stat(real);
  return stat.isFile() ? real : 404;
}

/**
 * The `protocol.handle` handler for `app://`: GET/HEAD of files under `rendererDir`, each with
 * its MIME type and the desktop CSP; anything else is refused without touching the disk outside.
 */
export function appProtocolHandler(
  rendererDir: string,
): (request: Pick<Request, 'method' | 'url'>) => Promise<Response> {
  const root = path.resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Read only');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400, 'Bad URL');
    }
    const file = await resolveFile(root, url);
    if (file === 400) return refuse(400, 'Bad path');
    if (file === 403) return refuse(403, 'Outside the app');
    if (file === 404) return refuse(404, 'Not found');
    const body = request.method === 'HEAD' ? null : await fs.readFile(file);
    return respond(200, body, mimeTypeOf(file));
  };
}
