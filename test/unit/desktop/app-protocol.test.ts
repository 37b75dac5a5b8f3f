import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  DESKTOP_CSP,
  appProtocolHandler,
  mimeTypeOf,
  safeSegments,
} from '../../../src-main/desktop/app-protocol';

// The `app://` handler against a real folder: a built renderer with a secret file next to it
// (outside the served folder) and symlinks inside it that point out.
let base: string;
let serve: ReturnType<typeof appProtocolHandler>;
const SECRET = 'top-secret-canary';

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-app-protocol-'));
  const root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Bourse</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'export const x = 1;');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
  fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(base, 'secret.txt'), SECRET);
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link.txt'));
  fs.symlinkSync(base, path.join(root, 'up'));
  serve = appProtocolHandler(root);
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

// Plain objects, not `Request`s: undici refuses URLs with credentials, Chromium may pass them.
const get = (url: string, method = 'GET') => serve({ url, method });

describe('app:// scheme privileges', () => {
  it('is standard and secure, never bypasses CSP, never CORS-readable, no service workers', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toEqual({
      standard: true,
      secure: true,
      supportFetchAPI: true,
    });
    expect(APP_ENTRY_URL).toBe('app://bourse/index.html');
  });
});

describe('app:// protocol handler', () => {
  it('serves the built files with their MIME types and the CSP', async () => {
    const index = await get('app://bourse/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    await expect(index.text()).resolves.toContain('<title>Bourse</title>');
    const root = await get('app://bourse/');
    await expect(root.text()).resolves.toContain('<title>Bourse</title>');
    const script = await get('app://bourse/assets/index-abc.js?v=1#x');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    await expect(script.text()).resolves.toBe('export const x = 1;');
    expect((await get('app://bourse/assets/index-abc.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    expect((await get('app://bourse/favicon.svg')).headers.get('content-type')).toBe(
      'image/svg+xml',
    );
    const head = await get('app://bourse/index.html', 'HEAD');
    expect(head.status).toBe(200);
    await expect(head.text()).resolves.toBe('');
    expect(mimeTypeOf('x.WOFF2')).toBe('font/woff2');
    expect(mimeTypeOf('x.unknown')).toBe('application/octet-stream');
  });

  it('refuses every way out of the folder, with the CSP still on the answer', async () => {
    const attempts = [
      'app://bourse/../secret.txt',
      'app://bourse/assets/../../secret.txt',
      'app://bourse/%2e%2e/secret.txt',
      'app://bourse/%2E%2E/%2e%2E/secret.txt',
      'app://bourse/..%2fsecret.txt',
      'app://bourse/assets/..%2f..%2fsecret.txt',
      'app://bourse/..%5csecret.txt',
      'app://bourse/%2f' + encodeURIComponent(path.join(base, 'secret.txt')),
      'app://bourse/' + path.join(base, 'secret.txt'), // an absolute path stays under the root
      'app://bourse//' + path.join(base, 'secret.txt'),
      'app://bourse/C:%5csecret.txt',
      'app://bourse/link.txt', // a symlink to the secret
      'app://bourse/up/secret.txt', // a symlink to the parent folder
      'app://bourse/index.html%00.js',
      'app://bourse/%E0%A4%A',
    ];
    for (const url of attempts) {
      const res = await get(url);
      expect([400, 403, 404], url).toContain(res.status);
      expect(res.headers.get('content-security-policy'), url).toBe(DESKTOP_CSP);
      await expect(res.text(), url).resolves.not.toContain(SECRET);
    }
    expect((await get('app://bourse/link.txt')).status).toBe(403);
    expect((await get('app://bourse/..%2fsecret.txt')).status).toBe(400);
  });

  it('answers only for its own host, without credentials or port, and only reads', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://evil@bourse/index.html')).status).toBe(404);
    expect((await get('app://bourse:8080/index.html')).status).toBe(404);
    expect((await get('app://bourse/assets')).status).toBe(404); // a folder is not a file
    expect((await get('app://bourse/missing.js')).status).toBe(404);
    const post = await get('app://bourse/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
  });

  it('refuses dot segments and separators even when the URL parser left them in', () => {
    expect(safeSegments('/assets/index.js')).toEqual(['assets', 'index.js']);
    expect(safeSegments('//a///b')).toEqual(['a', 'b']);
    for (const bad of ['/../x', '/a/./b', '/%2e%2e/x', '/a%2Fb', '/a%5Cb', '/a%00', '/c:', '/%zz'])
      expect(safeSegments(bad), bad).toBeNull();
  });
});
