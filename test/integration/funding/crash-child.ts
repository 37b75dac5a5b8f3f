// The backend as a child process for the deposit crash test: it polls the chain once and, inside
// the credit's transaction (written, not committed), prints `mid-credit` and blocks until the
// parent kills it. Usage: tsx crash-child.ts <dataDir>
import fs from 'node:fs';
import { createBackend } from '../../../src-main/backend';
import { defaultConfig } from '../../../src-main/config';

const [dataDir = ''] = process.argv.slice(2);

async function main(): Promise<void> {
  const backend = await createBackend(
    defaultConfig({
      mode: 'headless',
      dataDir,
      port: 0,
      logLevel: 'silent',
      logToFile: false,
      secrets: 'plaintext-file',
    }),
  );
  backend.features.funding.insideCredit = () => {
    fs.writeSync(1, 'mid-credit\n');
    // Holds the open transaction (and the whole process) until SIGKILL arrives.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  };
  await backend.features.funding.pollAll();
  fs.writeSync(1, 'finished without credit\n');
  process.exit(3);
}

main().catch((e: unknown) => {
  fs.writeSync(2, `${String((e as Error).stack ?? e)}\n`);
  process.exit(2);
});
