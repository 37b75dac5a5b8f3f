import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { appRoot } from '../../../src-main/paths';
import { createOwner, createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';

/** docs/api.md's curl + OpenSSL recipe, run as written, so the documentation cannot rot. */
function readmeRecipe(): string {
  const readme = fs.readFileSync(path.join(appRoot(), 'docs', 'api.md'), 'utf8');
  const block = /```sh\n(openssl genpkey[\s\S]*?)```/u.exec(readme);
  if (!block?.[1]) throw new Error('docs/api.md lost its curl/OpenSSL signing recipe');
  return block[1];
}

function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const missing = ['openssl', 'curl', 'base64'].filter((t) => !has(t));
let backend: TestBackend | undefined;
afterEach(async () => {
  await backend?.cleanup();
  backend = undefined;
});

it.skipIf(missing.length > 0)(
  `signs a request with the curl + OpenSSL recipe of docs/api.md${missing.length ? ` (skipped: ${missing.join(', ')} not installed)` : ''}`,
  async () => {
    backend = await startTestBackend();
    const url = await backend.listen();
    await createOwner(backend);
    const trader = await createUser(backend, 'trader');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-recipe-'));
    const lines = readmeRecipe().split('\n');
    // The first two lines make the key and print the public key to upload.
    const setup = lines.slice(0, 2).join('\n').replace(/#.*$/gmu, '');
    const publicKey = execFileSync('bash', ['-c', setup], { cwd: dir }).toString().trim();
    const created = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: trader.headers,
      payload: { label: 'recipe', publicKey },
    });
    expect(created.statusCode).toBe(200);
    const keyId = (created.json() as { id: string }).id;
    const rest = lines
      .slice(2)
      .join('\n')
      .replace('KEY=ak_...', `KEY=${keyId}`)
      .replace('http://localhost:8420', url);
    // Async on purpose: the server runs in this process, so a synchronous curl would deadlock.
    const { stdout: out } = await promisify(execFile)('bash', ['-c', rest], {
      cwd: dir,
      timeout: 20_000,
    });
    expect(JSON.parse(out)).toHaveProperty('updated');
    fs.rmSync(dir, { recursive: true, force: true });
  },
);
