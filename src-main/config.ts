import net from 'node:net';
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
  /** `FULL` (default): a commit survives power loss. See docs/operations.md "Durability". */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /**
   * WAL checkpoints on a worker thread instead of inside commits (src-main/db/checkpointer.ts).
   * On by default; off only to measure the difference (bench:webhook).
   */
  sqliteBackgroundCheckpoints: boolean;
  /** Path to a better-sqlite3 binary built for this runtime (Electron); Node's is the default. */
  sqliteNativeBinding?: string;
  /**
   * Request budget per minute, per client address and per signed-in account; `false`
   * disables (benchmarks).
   */
  rateLimitPerMinute: number | false;
  /**
   * Open WebSocket connections per client address and in all (`BOURSE_WS_CONNECTIONS_PER_ADDRESS`,
   * `BOURSE_WS_CONNECTIONS_TOTAL`); `false` disables (benchmarks). docs/security.md.
   */
  wsConnections: { perAddress: number; total: number } | false;
  /**
   * Open TCP connections per peer address and in all (`BOURSE_CONNECTIONS_PER_ADDRESS`,
   * `BOURSE_CONNECTIONS_TOTAL`), trusted proxies exempt; `false` disables (benchmarks).
   */
  connections: { perAddress: number; total: number } | false;
  /**
   * Time a client has to send a whole request, headers and body (HTTP 408 after it; the
   * socket closes). Node's own default is 300 s, which Fastify turns off.
   */
  requestTimeoutMs: number;
  /**
   * Addresses or CIDR ranges of reverse proxies whose `X-Forwarded-For` names the client
   * (`--trusted-proxy`, `BOURSE_TRUSTED_PROXIES`). Empty by default: the client is the
   * socket's peer and the header is ignored.
   */
  trustedProxies: string[];
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
  /**
   * Days of webhook log, refusal counters and read notifications kept by the hourly
   * `automation.retention` job (`BOURSE_WEBHOOK_LOG_DAYS`, default 30).
   */
  webhookLogDays: number;
  /** Webhook log rows kept at most in total (each user keeps a tenth); the oldest go first. */
  webhookLogMaxRows: number;
  /**
   * Webhook deliveries per minute per verified token, and per client address for anything
   * without a known token; `false` disables (benchmarks).
   */
  webhookRatePerMinute: { token: number; address: number } | false;
  /**
   * A scrape token for `/metrics` (`Authorization: Bearer <token>`), from `BOURSE_METRICS_TOKEN`
   * only (a flag would show it in the process list). Without it, only `admin.system` may scrape.
   */
  metricsToken?: string;
  /**
   * How long a new withdrawal address waits before it may be used (ms; default 24 h,
   * `BOURSE_WITHDRAWAL_COOL_OFF_HOURS`): a stolen session cannot add an address and drain at once.
   */
  withdrawalCoolOffMs: number;
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

/**
 * One address may hold 256 open WebSocket connections (a browser tab or a bot needs one or a
 * few: a connection carries up to 256, or on the Binance doors 1,024, streams), the server
 * 2,048: half of the smallest hard open-file limit common on Linux (4,096; Node raises its soft
 * limit to the hard one), so sockets cannot take the descriptors the database and logs need.
 */
const DEFAULT_WS_CONNECTIONS = { perAddress: 256, total: 2048 } as const;

/**
 * TCP connections, WebSocket ones included: 512 per peer address (a browser opens about six, a
 * bot a handful, a load test of 100 connections fits), 4,096 in all.
 */
const DEFAULT_CONNECTIONS = { perAddress: 512, total: 4096 } as const;

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
    sqliteBackgroundCheckpoints: true,
    rateLimitPerMinute: 6000,
    wsConnections: DEFAULT_WS_CONNECTIONS,
    connections: DEFAULT_CONNECTIONS,
    // Long enough for the largest upload (a 32 MB simulator replay) at ~300 KB/s.
    requestTimeoutMs: 120_000,
    trustedProxies: [],
    secrets: 'keychain',
    now: Date.now,
    simulator: false,
    simulatorSeed: 20_260_101,
    simulatorHistoryHours: 48,
    demoFunds: true,
    smtpFrom: 'Bourse <bourse@localhost>',
    webhookLogDays: 30,
    webhookLogMaxRows: 200_000,
    webhookRatePerMinute: { token: 600, address: 60 },
    withdrawalCoolOffMs: 24 * 3_600_000,
    ...overrides,
  };
}

const FLAGS: Record<string, keyof BackendConfig> = {
  '--port': 'port',
  '--host': 'host',
  '--data-dir': 'dataDir',
  '--log-level': 'logLevel',
  '--trusted-proxy': 'trustedProxies',
};

const ENV: Record<string, keyof BackendConfig> = {
  BOURSE_PORT: 'port',
  BOURSE_HOST: 'host',
  BOURSE_DATA_DIR: 'dataDir',
  BOURSE_LOG_LEVEL: 'logLevel',
  BOURSE_TRUSTED_PROXIES: 'trustedProxies',
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
  if (env.BOURSE_WEBHOOK_LOG_DAYS) config.webhookLogDays = logDays(env.BOURSE_WEBHOOK_LOG_DAYS);
  if (env.BOURSE_WITHDRAWAL_COOL_OFF_HOURS) {
    const hours = Number(env.BOURSE_WITHDRAWAL_COOL_OFF_HOURS);
    if (!Number.isFinite(hours) || hours < 0) {
      throw new Error('BOURSE_WITHDRAWAL_COOL_OFF_HOURS must be a number of hours (0 or more)');
    }
    config.withdrawalCoolOffMs = Math.round(hours * 3_600_000);
  }
  if (env.BOURSE_WS_CONNECTIONS_PER_ADDRESS || env.BOURSE_WS_CONNECTIONS_TOTAL) {
    const limits = config.wsConnections || DEFAULT_WS_CONNECTIONS;
    config.wsConnections = {
      perAddress: connectionCount(env, 'BOURSE_WS_CONNECTIONS_PER_ADDRESS', limits.perAddress),
      total: connectionCount(env, 'BOURSE_WS_CONNECTIONS_TOTAL', limits.total),
    };
  }
  if (env.BOURSE_CONNECTIONS_PER_ADDRESS || env.BOURSE_CONNECTIONS_TOTAL) {
    const limits = config.connections || DEFAULT_CONNECTIONS;
    config.connections = {
      perAddress: connectionCount(env, 'BOURSE_CONNECTIONS_PER_ADDRESS', limits.perAddress),
      total: connectionCount(env, 'BOURSE_CONNECTIONS_TOTAL', limits.total),
    };
  }
  if (env.BOURSE_METRICS_TOKEN) {
    if (env.BOURSE_METRICS_TOKEN.length < 16) {
      throw new Error('BOURSE_METRICS_TOKEN must be at least 16 characters (a random secret)');
    }
    config.metricsToken = env.BOURSE_METRICS_TOKEN;
  }
  if (values.host) config.host = values.host;
  if (values.dataDir) config.dataDir = path.resolve(values.dataDir);
  if (values.logLevel) config.logLevel = values.logLevel as BackendConfig['logLevel'];
  if (values.trustedProxies !== undefined) {
    config.trustedProxies = parseTrustedProxies(values.trustedProxies);
  }
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`Invalid port "${values.port}": expected an integer from 0 to 65535`);
    }
    config.port = port;
  }
  return config;
}

/**
 * Addresses and CIDR ranges (`10.0.0.1`, `fd00::/8`, already validated) as one `BlockList`,
 * for the lists a client address is checked against: trusted proxies, API-key allowlists.
 */
export function addressList(entries: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const entry of entries) {
    const [addr, prefix] = entry.split('/') as [string, string | undefined];
    const type = net.isIPv6(addr) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(prefix), type);
  }
  return list;
}

/** Whether `entry` is an IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`), nothing more. */
export function isAddressOrRange(entry: string): boolean {
  const [addr = '', prefix, extra] = entry.split('/');
  const family = net.isIP(addr);
  const bits = family === 6 ? 128 : 32;
  const okPrefix = prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= bits);
  return family !== 0 && okPrefix && extra === undefined;
}

/** `10.0.0.1,fd00::/8` → its entries, each an IP address or a CIDR range (else an error). */
export function parseTrustedProxies(text: string): string[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const entry of entries) {
    if (!isAddressOrRange(entry)) {
      throw new Error(
        `Invalid trusted proxy "${entry}": expected an IP address or a CIDR range such as 10.0.0.0/8`,
      );
    }
  }
  return entries;
}

/** `BOURSE_WEBHOOK_LOG_DAYS`: whole days from 1 to 3650. */
function logDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error(
      `Invalid BOURSE_WEBHOOK_LOG_DAYS "${value}": expected whole days from 1 to 3650`,
    );
  }
  return days;
}

/** A connection limit from the environment: a whole number from 1 to 1,000,000. */
function connectionCount(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (!text) return fallback;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 1_000_000) {
    throw new Error(`Invalid ${name} "${text}": expected a whole number from 1 to 1000000`);
  }
  return n;
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
