import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../../src-main/backend';
import { defaultConfig } from '../../../src-main/config';
import { openDatabase, type DatabaseHandle } from '../../../src-main/db/database';
import { tempDataDir } from '../../helpers/backend';

/**
 * WAL checkpoints run on a worker thread, never inside a commit on the event loop; if the
 * worker is gone, SQLite's own automatic checkpoints come back (the WAL never grows unbounded).
 */
describe('background WAL checkpoints', () => {
  let store: DatabaseHandle | undefined;
  let dir: string;
  afterEach(() => {
    store?.close();
    store = undefined;
  });
  const open = (
    o: {
      backgroundCheckpoints?: boolean;
      onCheckpointError?: (e: unknown) => void;
      checkpointRestartFrames?: number;
      checkpointIntervalMs?: number;
    } = {},
  ) => {
    dir = tempDataDir();
    store = openDatabase({
      file: path.join(dir, 'bourse.sqlite'),
      synchronous: 'FULL',
      migrationsDir: 'drizzle',
      ...o,
    });
    return store;
  };
  /** Commits about 8 MB of pages (SQLite alone would checkpoint inside two of these commits). */
  const fill = (s: DatabaseHandle) => {
    const put = s.sqlite.prepare('INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)');
    for (let i = 0; i < 400; i++) s.write('fill', () => put.run(`k${i}`, 'x'.repeat(20_000)));
  };
  const autocheckpoint = (s: DatabaseHandle) =>
    s.sqlite.pragma('wal_autocheckpoint', { simple: true });
  const size = (file: string) => fs.statSync(path.join(dir, file)).size;

  it('the main connection never checkpoints; the worker copies the WAL into the database', async () => {
    const s = open();
    expect(s.checkpointer?.running).toBe(true);
    expect(autocheckpoint(s)).toBe(0);
    const before = size('bourse.sqlite');
    fill(s);
    // Commits and passes ran side by side; one more pass, and all of it is in the file.
    const pass = await s.checkpointer!.passNow();
    expect(pass.busy).toBe(false);
    expect(pass.checkpointed).toBe(pass.log);
    expect(size('bourse.sqlite')).toBeGreaterThan(before + 7_000_000);
  });

  it('under steady writes the WAL still restarts: it stays bounded', async () => {
    // Commits land during every pass, as under load: with PASSIVE passes alone SQLite never
    // started the log over (it grew to 20 MB here, 336 MB in a minute of bench:engine's REST
    // rows); past `restartFrames` the worker runs RESTART and the next commit begins it again.
    const s = open({ checkpointRestartFrames: 256, checkpointIntervalMs: 3_600_000 });
    const put = s.sqlite.prepare('INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)');
    let written = 0;
    let restarts = 0;
    while (written < 10_000_000) {
      let done = false;
      const pass = s.checkpointer!.passNow().then((p) => {
        done = true;
        if (p.restart) restarts++;
      });
      // Commit while the pass runs (yielding so the worker's answer comes in), at most 64
      // commits per pass: how many land during one pass depends on how busy the machine is,
      // and the bound below must not (a loaded CI machine let 4.4 MB in with no cap).
      let commits = 0;
      do {
        s.write('fill', () => put.run(`k${written % 50}`, 'x'.repeat(8_000)));
        written += 8_000;
        commits++;
        await new Promise((r) => setImmediate(r));
      } while (!done && commits < 64);
      await pass;
    }
    expect(restarts).toBeGreaterThan(0);
    // 256 frames is 1 MB, 64 commits ~0.8 MB more; without RESTART it would hold all 10 MB.
    expect(size('bourse.sqlite-wal')).toBeLessThan(4_000_000);
  });

  it('a failed worker hands checkpoints back to SQLite, and says so', async () => {
    const errors: unknown[] = [];
    const s = open({ onCheckpointError: (e) => errors.push(e) });
    await s.checkpointer!.passNow();
    // The worker's thread ends (a crash of the thread, as far as the main side can tell).
    (s.checkpointer as unknown as { stop(): void }).stop();
    expect(autocheckpoint(s)).toBe(1000);
    expect(s.checkpointer!.running).toBe(false);
    expect(errors).toEqual([]); // a stop is not a failure
  });

  it('can be turned off, and an in-memory database has none', () => {
    const s = open({ backgroundCheckpoints: false });
    expect(s.checkpointer).toBeNull();
    expect(autocheckpoint(s)).toBe(1000);
    const mem = openDatabase({ file: ':memory:', synchronous: 'NORMAL', migrationsDir: 'drizzle' });
    expect(mem.checkpointer).toBeNull();
    mem.close();
  });

  it('a backend shutdown closes the worker first: the main close removes the WAL before it returns', async () => {
    const dataDir = tempDataDir();
    const backend = await createBackend(
      defaultConfig({ dataDir, port: 0, logLevel: 'silent', logToFile: false, secrets: 'memory' }),
    );
    const put = backend.store.sqlite.prepare(
      'INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)',
    );
    backend.store.write('fill', () => put.run('k', 'x'.repeat(50_000)));
    await backend.close();
    // The last connection's close checkpoints and deletes the WAL: nothing is left to write
    // into the data directory, which may be removed at once.
    expect(fs.existsSync(path.join(dataDir, 'bourse.sqlite-wal'))).toBe(false);
    fs.rmSync(dataDir, { recursive: true });
  });
});
