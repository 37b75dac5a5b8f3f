import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KdfParams } from './secrets/encrypted-file';

/** Everything `createBackend` needs. Tests build one with a temporary data directory. */
export interface BackendConfig {
  mode: 'desktop' | 'headless';
  dataDir: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Write rotated JSON logs to `<dataDir>/logs`; off in tests. */
  logToFile: boolean;
  /** Built renderer served at `/` (headless mode); absent when not built. */
  rendererDir?: string;
  /** Extra Host header names accepted besides loopback names and IP literals. */
  allowedHosts: string[];
  /** Extra Origins accepted for browser requests and WebSocket upgrades. */
  allowedOrigins: string[];
  /** `FULL` (default): a commit survives power loss. See README "Durability". */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** Path to a better-sqlite3 binary built for this runtime (Electron); Node's is the default. */
  sqliteNativeBinding?: string;
  /** Per-client request budget per minute; `false` disables (benchmarks). */
  rateLimitPerMinute: number | false;
  /**
   * `keychain` falls back to the passphrase-encrypted file when no OS keychain works;
   * `encrypted-file` (`--encrypted-secrets`) uses that file even when a keychain exists.
   */
  secrets: 'keychain' | 'memory' | 'plaintext-file' | 'encrypted-file';
  /**
   * Hands over `BOURSE_SECRETS_PASSPHRASE` (or the content of the file named by
   * `BOURSE_SECRETS_PASSPHRASE_FILE`, e.g. a systemd or Docker credential) once, then forgets
   * it, to create or unlock the encrypted file at start. A function, so the value never shows
   * when a config is printed.
   */
  takeSecretsPassphrase?: () => string | undefined;
  /** argon2id cost of a new encrypted file (tests lower it); the desktop default otherwise. */
  secretsKdf?: KdfParams;
  /** Clock, injectable so tests control time. */
  now: () => number;
  /**
   * Start the market simulator of every default market at boot. On in the app (so a new
   * user sees a moving market), off for programmatic backends (tests stay deterministic).
   */
  simulator: boolean;
  /** Seed of the simulator's random numbers (same seed, same market). */
  simulatorSeed: number;
  /**
   * Hours of the simulator's own orders, trades and ledger entries kept before the hourly
   * `simulator.compact` job removes them (its trades with people are always kept).
   */
  simulatorHistoryHours: number;
  /**
   * Let users top their balances up to the demo allowance (`balances.demoTopUp`), so a new
   * user can trade on the local exchange at once. Turn off (`--no-demo-funds`,
   * `BOURSE_DEMO_FUNDS=off`) once balances stand for real money.
   */
  demoFunds: boolean;
  /**
   * Optional SMTP server for password reset links (`smtp://user:pass@host:587` or
   * `smtps://…:465`), from `BOURSE_SMTP_URL` only — never a flag, which would show the
   * password in the process list. Without it an administrator hands links over.
   */
  smtpUrl?: string;
  /** Sender address of those e-mails (`BOURSE_SMTP_FROM`). */
  smtpFrom: string;
}

export const DEFAULT_PORT = 8420;

/** The per-user data directory used when none is given. */
export function defaultDataDir(): string {
  if (process.platform === 'win32') {
    return path.join(
      process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'),
      'Bourse',
    );
  }
  if (process.platform === 'darwin') {
    return path.join(os.homedir(), 'Library', 'Application Support', 'Bourse');
  }
  const base = process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'bourse');
}

export function defaultConfig(overrides: Partial<BackendConfig> = {}): BackendConfig {
  return {
    mode: 'headless',
    dataDir: defaultDataDir(),
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    logLevel: 'info',
    logToFile: true,
    allowedHosts: [],
    allowedOrigins: [],
    sqliteSynchronous: 'FULL',
    rateLimitPerMinute: 6000,
    secrets: 'keychain',
    now: Date.now,
    simulator: false,
    simulatorSeed: 20_260_101,
    simulatorHistoryHours: 48,
    demoFunds: true,
    smtpFrom: 'Bourse <bourse@localhost>',
    ...overrides,
  };
}

const FLAGS: Record<string, keyof BackendConfig> = {
  '--port': 'port',
  '--host': 'host',
  '--data-dir': 'dataDir',
  '--log-level': 'logLevel',
};

const ENV: Record<string, keyof BackendConfig> = {
  BOURSE_PORT: 'port',
  BOURSE_HOST: 'host',
  BOURSE_DATA_DIR: 'dataDir',
  BOURSE_LOG_LEVEL: 'logLevel',
};

/** Flags win over environment variables, which win over defaults. Unknown flags are errors. */
export function configFromCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  base: Partial<BackendConfig> = {},
): BackendConfig {
  const values: Partial<Record<keyof BackendConfig, string>> = {};
  for (const [name, key] of Object.entries(ENV)) if (env[name]) values[key] = env[name];
  const extra: Partial<BackendConfig> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    if (flag === '--allow-plaintext-secrets') {
      extra.secrets = 'plaintext-file';
      continue;
    }
    if (flag === '--encrypted-secrets') {
      extra.secrets = 'encrypted-file';
      continue;
    }
    if (flag === '--no-simulator') {
      extra.simulator = false;
      continue;
    }
    if (flag === '--no-demo-funds') {
      extra.demoFunds = false;
      continue;
    }
    const key = FLAGS[flag];
    if (!key) throw new Error(`Unknown option ${flag}. Options: ${Object.keys(FLAGS).join(', ')}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`Option ${flag} needs a value`);
    values[key] = value;
  }
  const simulator = env.BOURSE_SIMULATOR !== 'off';
  const demoFunds = env.BOURSE_DEMO_FUNDS !== 'off';
  const config = defaultConfig({ simulator, demoFunds, ...base, ...extra });
  if (env.BOURSE_SECRETS_PASSPHRASE !== undefined) {
    config.takeSecretsPassphrase = takeOnce(env.BOURSE_SECRETS_PASSPHRASE);
    // Out of the environment at once: child processes and crash reports must not inherit it.
    delete env.BOURSE_SECRETS_PASSPHRASE;
  } else if (env.BOURSE_SECRETS_PASSPHRASE_FILE) {
    // One trailing newline is what `echo` and editors add; it is not part of the passphrase.
    const text = fs.readFileSync(env.BOURSE_SECRETS_PASSPHRASE_FILE, 'utf8');
    config.takeSecretsPassphrase = takeOnce(text.replace(/\r?\n$/, ''));
  }
  if (env.BOURSE_SMTP_URL) config.smtpUrl = env.BOURSE_SMTP_URL;
  if (env.BOURSE_SMTP_FROM) config.smtpFrom = env.BOURSE_SMTP_FROM;
  if (values.host) config.host = values.host;
  if (values.dataDir) config.dataDir = path.resolve(values.dataDir);
  if (values.logLevel) config.logLevel = values.logLevel as BackendConfig['logLevel'];
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`Invalid port "${values.port}": expected an integer from 0 to 65535`);
    }
    config.port = port;
  }
  return config;
}

/** A value that can be read once; later reads get undefined. */
function takeOnce(value: string): () => string | undefined {
  let held: string | undefined = value;
  return () => {
    const v = held;
    held = undefined;
    return v;
  };
}
