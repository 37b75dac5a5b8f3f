// The backend as a child process for the withdrawal crash test: it runs one broadcast pass
// and, at the named step, prints `step <name>` and stops dead until the parent SIGKILLs it.
// Usage: tsx kill-child.ts <dataDir> <signed|persisted|sent|settled>
import fs from 'node:fs';
import { createBackend } from '../../../src-main/backend';
import { defaultConfig } from '../../../src-main/config';

const [dataDir = '', target = ''] = process.argv.slice(2);

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
  backend.features.withdrawals.broadcaster.onStep((step) => {
    if (step !== target) return;
    fs.writeSync(1, `step ${step}\n`);
    // Block the whole process right here: nothing after this step may run before the kill.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  });
  await backend.features.withdrawals.broadcaster.runOnce();
  fs.writeSync(1, 'done\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
