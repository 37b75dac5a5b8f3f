import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { appRoot } from '../../src-main/paths';

/** The built headless entry (`npm run serve` runs it). */
export const HEADLESS_ENTRY = path.join(appRoot(), 'out/main/headless.js');

export interface HeadlessChild {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first match of `re` in its output; fails after `ms`, with the output. */
  waitFor(re: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL if it has not exited within `ms`; resolves with its exit code. */
  stop(ms?: number): Promise<number | null>;
}

/**
 * Starts the built headless entry as a user would, reading both its streams: a child whose
 * stderr nobody reads blocks once the pipe fills, and a test waiting on it would hang with
 * nothing to say. Every wait is bounded and a failure carries what the child printed.
 */
export function spawnHeadless(args: string[], env: NodeJS.ProcessEnv = {}): HeadlessChild {
  const child = spawn(process.execPath, [HEADLESS_ENTRY, ...args], {
    env: { ...process.env, ...env },
  });
  let out = '';
  const listeners = new Set<() => void>();
  const append = (d: Buffer) => {
    out += String(d);
    for (const l of listeners) l();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    output: () => out,
    waitFor(re, ms = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (!m) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`headless child: no ${re} within ${ms} ms; it printed:\n${out}`));
        }, ms);
        listeners.add(check);
        void exited.then((code) => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`headless child exited (${code}) before ${re}; it printed:\n${out}`));
        });
        check();
      });
    },
    async stop(ms = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
