import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend, type BackendOptions } from '../../src-main/backend';
import { defaultConfig, type BackendConfig } from '../../src-main/config';

/** A fresh data directory under the OS temp folder, removed by `cleanup`. */
export function tempDataDir(prefix = 'bourse-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestBackend extends Backend {
  cleanup(): Promise<void>;
}

/**
 * A backend on a temporary database with silent logs, in-memory secrets and output
 * validation on — what every integration test starts from.
 */
export async function startTestBackend(
  overrides: Partial<BackendConfig> = {},
  options: BackendOptions = {},
): Promise<TestBackend> {
  const dataDir = overrides.dataDir ?? tempDataDir();
  const backend = await createBackend(
    defaultConfig({
      mode: 'headless',
      dataDir,
      port: 0,
      logLevel: 'silent',
      logToFile: false,
      secrets: 'memory',
      ...overrides,
    }),
    { checkOutputs: true, ...options },
  );
  return Object.assign(backend, {
    async cleanup() {
      await backend.close();
      if (!overrides.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
