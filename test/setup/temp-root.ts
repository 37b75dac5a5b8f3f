/**
 * Every temporary file of a test run under one directory, removed when the run ends.
 *
 * Tests make data directories, keys, Chromium profiles and fake EA folders under the OS temp
 * folder; some are removed by their test, some cannot be (a crash test kills the process that
 * would clean up; a failing test skips its `finally`). Pointing TMPDIR at a directory of this
 * run, before any worker starts, gathers all of them — the workers' and their children's, which
 * inherit the variable — and one removal at the end leaves the machine as it was.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-tests-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    try {
      fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    } catch (err) {
      // A child still writing there must not fail a run whose tests passed; say what is left.
      console.warn(`temporary files left in ${root}: ${(err as Error).message}`);
    }
  };
}
