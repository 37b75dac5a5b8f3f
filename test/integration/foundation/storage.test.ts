import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createBackend, DATABASE_OPTIMIZE_SCHEDULE } from '../../../src-main/backend';
import { defaultConfig } from '../../../src-main/config';
import { startTestBackend, tempDataDir } from '../../helpers/backend';

describe('database', () => {
  it('applies migrations with WAL, synchronous=FULL and foreign keys on', async () => {
    const backend = await startTestBackend();
    try {
      const { sqlite } = backend.store;
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(backend.store.schemaVersion()).toBeGreaterThanOrEqual(1);
    } finally {
      await backend.cleanup();
    }
  });

  it('rolls back a write transaction that throws', async () => {
    const backend = await startTestBackend();
    try {
      const count = () =>
        (
          backend.store.sqlite.prepare("SELECT count(*) n FROM app_meta WHERE key = 'a'").get() as {
            n: number;
          }
        ).n;
      expect(() =>
        backend.store.write('t', () => {
          backend.store.sqlite.prepare("INSERT INTO app_meta VALUES ('a', '1')").run();
          throw new Error('crash in the middle');
        }),
      ).toThrow('crash in the middle');
      expect(count()).toBe(0);
    } finally {
      await backend.cleanup();
    }
  });
});

describe('query-planner statistics', () => {
  /** Rows of `app_meta`, read through its primary key so the connection has used the table. */
  function grow(sqlite: Database.Database, rows: number): void {
    const insert = sqlite.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?)');
    sqlite.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(`k${i}`, String(i));
    })();
    sqlite.prepare('SELECT value FROM app_meta WHERE key = ?').get('k1');
  }
  const analysed = (sqlite: Database.Database): string[] =>
    (sqlite.prepare('SELECT DISTINCT tbl FROM sqlite_stat1').all() as Array<{ tbl: string }>).map(
      (r) => r.tbl,
    );

  it('are refreshed by the hourly job, bounded by analysis_limit', async () => {
    const backend = await startTestBackend();
    try {
      const { sqlite } = backend.store;
      expect(sqlite.pragma('analysis_limit', { simple: true })).toBe(400);
      const job = backend.scheduler.definitions().find((d) => d.name === 'database.optimize');
      expect(job?.schedule).toBe(DATABASE_OPTIMIZE_SCHEDULE);
      grow(sqlite, 5_000);
      expect(analysed(sqlite)).not.toContain('app_meta');
      await job?.run({} as never);
      expect(analysed(sqlite)).toContain('app_meta');
    } finally {
      await backend.cleanup();
    }
  });

  it('are refreshed when the database closes', async () => {
    const dataDir = tempDataDir();
    const config = defaultConfig({
      dataDir,
      port: 0,
      logLevel: 'silent',
      logToFile: false,
      secrets: 'memory',
    });
    const backend = await createBackend(config);
    grow(backend.store.sqlite, 5_000);
    await backend.close();
    const file = new Database(path.join(dataDir, 'bourse.sqlite'), { readonly: true });
    try {
      expect(analysed(file)).toContain('app_meta');
    } finally {
      file.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('logs', () => {
  it('writes rotated JSON files in the data directory with secrets redacted', async () => {
    const dataDir = tempDataDir();
    const backend = await createBackend(
      defaultConfig({
        dataDir,
        port: 0,
        logLevel: 'info',
        logToFile: true,
        secrets: 'memory',
        mode: 'desktop',
      }),
    );
    backend.log.info(
      { user: { password: 'hunter2-hunter2' }, token: 'tok-XYZ', note: 'visible' },
      'login',
    );
    await backend.close();
    // The transport thread flushes as it exits: read until the line is there (bounded), rather
    // than sleeping a fixed time that a busy machine overruns.
    const dir = path.join(dataDir, 'logs');
    const read = () =>
      fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .filter((f) => f.startsWith('bourse'))
            .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
            .join('')
        : '';
    const deadline = Date.now() + 10_000;
    while (!read().includes('visible') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const text = read();
    expect(text).toContain('visible');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('tok-XYZ');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('graceful shutdown', () => {
  it('stops listening, stops jobs and closes the database within the timeout', async () => {
    const backend = await startTestBackend();
    const url = await backend.listen();
    backend.scheduler.register({
      name: 'stubborn',
      description: 'ignores nothing: waits for cancellation',
      run: (ctx) => new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r())),
    });
    backend.scheduler.enqueue('stubborn', null);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await backend.cleanup();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(backend.store.sqlite.open).toBe(false);
    await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow();
  });
});
