/**
 * Headless entry: the same backend as the desktop app, in a plain Node process, serving the
 * built UI over HTTP. `npm run serve -- --port 8420 --host 127.0.0.1 --data-dir ./data`
 */
import { createBackend } from './backend';
import { configFromCli } from './config';
import { builtRendererDir } from './paths';
import { secretsStatusOf } from './features/secrets/feature';

async function main(): Promise<void> {
  const config = configFromCli(process.argv.slice(2), process.env, {
    mode: 'headless',
    rendererDir: builtRendererDir(),
  });
  const backend = await createBackend(config);
  const url = await backend.listen();
  const shown = url.replace('127.0.0.1', 'localhost');
  backend.log.info({ url, dataDir: config.dataDir }, 'Bourse is running');
  process.stdout.write(
    `\nBourse is running at ${shown}\n  API docs: ${shown}/docs\n  data: ${config.dataDir}\n\n`,
  );
  // First run: no owner yet. The link carries a one-time token; it is printed, never logged.
  const setup = backend.features.identity.setupLink(shown);
  if (setup) process.stdout.write(`Set up the owner account: ${setup}\n\n`);
  const secrets = secretsStatusOf(backend.secrets).state;
  if (secrets === 'locked' || secrets === 'uninitialized') {
    process.stdout.write(
      `Secrets are kept in an encrypted file (no OS keychain): ${secrets === 'locked' ? 'unlock it' : 'the owner chooses its passphrase'} in the UI, or start with BOURSE_SECRETS_PASSPHRASE set.\n\n`,
    );
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void backend.close().then(() => process.exit(0));
    });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
