import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
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
  if (options.dir) {
    fs.mkdirSync(options.dir, { recursive: true });
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
      },
    });
  }
  if (options.stdout !== false) {
    targets.push({ target: 'pino/file', level: options.level, options: { destination: 1 } });
  }
  return pino(base, pino.transport({ targets }));
}
