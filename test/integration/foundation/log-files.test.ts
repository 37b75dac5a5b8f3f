import path from 'node:path';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src-main/observability/logger';
import { tempDataDir } from '../../helpers/backend';

describe('log files', () => {
  it('a log file that cannot be written is reported once, never ends the process', () => {
    const log = createLogger({
      level: 'info',
      dir: path.join(tempDataDir(), 'logs'),
      stdout: false,
    });
    // What the transport's worker reports when pino-roll cannot open its file (seen when a
    // test removed the data directory while the worker was opening bourse.1.log).
    const stream = (log as unknown as Record<symbol, NodeJS.EventEmitter>)[pino.symbols.streamSym]!;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => stream.emit('error', new Error('ENOENT: bourse.1.log'))).not.toThrow();
      expect(() => stream.emit('error', new Error('ENOENT: bourse.1.log'))).not.toThrow();
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([
        'bourse: log file not writable: Error: ENOENT: bourse.1.log\n',
      ]);
    } finally {
      stderr.mockRestore();
    }
  });
});
