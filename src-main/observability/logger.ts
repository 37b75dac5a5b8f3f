import path from 'node:path';
import pino, { type Logger } from 'pino';
import { PRIVATE_FILE_MODE, ensurePrivateDir, tightenFilesIn } from '../file-modes';
import { currentScope } from './context';

export type { Logger };

/**
 * Paths redacted from every log line. Secrets must never reach a log file: credentials,
 * tokens, signatures, keys, TOTP material.
 */
export const REDACT_PATHS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'refreshToken',
  'accessToken',
  'secret',
  'privateKey',
  'code',
  'totp',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.refreshToken',
  '*.accessToken',
  '*.secret',
  '*.privateKey',
  '*.totp',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-bourse-signature"]',
  'headers.authorization',
];

export interface LoggerOptions {
  level: string;
  /** Directory for rotated log files; stdout only when absent. */
  dir?: string;
  /** Also write to stdout (headless mode). */
  stdout?: boolean;
}

/** JSON logs with the correlation id of the current scope on every line. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin: () => {
      const scope = currentScope();
      return scope ? { correlationId: scope.correlationId } : {};
    },
  };
  if (options.level === 'silent') return pino({ ...base, enabled: false });
  const targets: pino.TransportTargetOptions[] = [];
  const tightened: string[] = [];
  if (options.dir) {
    // Logs name users and addresses: owner-only, like the database (file-modes.ts).
    if (ensurePrivateDir(options.dir)) tightened.push(options.dir);
    tightened.push(...tightenFilesIn(options.dir));
    // pino-roll rotates daily and at 10 MB, keeping a week of files.
    targets.push({
      target: 'pino-roll',
      level: options.level,
      options: {
        file: path.join(options.dir, 'bourse'),
        extension: '.log',
        frequency: 'daily',
        size: '10m',
        limit: { count: 7 },
        mkdir: true,
        // Passed to the file stream's open(): each new or rotated file is created 0600.
        mode: PRIVATE_FILE_MODE,
      },
    });
  }
  if (options.stdout !== false) {
    targets.push({ target: 'pino/file', level: options.level, options: { destination: 1 } });
  }
  const transport = pino.transport({ targets });
  // A log file that cannot be written (its directory removed, a full disk) must not end the
  // process: the transport's worker reports it as an 'error', which nobody else listens for.
  let reported = false;
  transport.on('error', (err: unknown) => {
    if (reported) return;
    reported = true;
    process.stderr.write(`bourse: log file not writable: ${String(err)}\n`);
  });
  const logger = pino(base, transport);
  for (const file of tightened) logger.warn({ file }, 'tightened permissions to owner-only');
  return logger;
}
