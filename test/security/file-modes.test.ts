import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../helpers/auth';
import { startTestBackend, tempDataDir, type TestBackend } from '../helpers/backend';
import { until } from '../helpers/ws-client';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const logFiles = (dir: string) =>
  fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.log')) : [];

/** A backend that writes its logs to `<dataDir>/logs` (and not to stdout). */
const start = (dataDir: string) =>
  startTestBackend({ dataDir, mode: 'desktop', logToFile: true, logLevel: 'info' });

// POSIX modes only: Windows folders inherit the user's ACLs.
const posix = process.platform === 'win32' ? describe.skip : describe;

let root: string;
let umask: number;
beforeAll(() => {
  root = tempDataDir('bourse-modes-');
  // The most permissive umask: every mode below comes from Bourse, none from the umask.
  umask = process.umask(0);
});
afterAll(() => {
  process.umask(umask);
  fs.rmSync(root, { recursive: true, force: true });
});

posix('files Bourse keeps on disk are owner-only', () => {
  let backend: TestBackend | undefined;
  afterAll(async () => backend?.close());

  it('creates the data directory 0700, the database, WAL, shm and logs 0600', async () => {
    const dataDir = path.join(root, 'fresh', 'data');
    backend = await start(dataDir);
    await createUser(backend, 'trader'); // writes: the WAL and shared memory exist now
    const db = path.join(dataDir, 'bourse.sqlite');
    const logs = path.join(dataDir, 'logs');
    await until(() => logFiles(logs).length > 0, 10_000);
    expect({
      dataDir: modeOf(dataDir),
      db: modeOf(db),
      wal: modeOf(`${db}-wal`),
      shm: modeOf(`${db}-shm`),
      logsDir: modeOf(logs),
      logs: logFiles(logs).map((f) => modeOf(path.join(logs, f))),
    }).toEqual({
      dataDir: 0o700,
      db: 0o600,
      wal: 0o600,
      shm: 0o600,
      logsDir: 0o700,
      logs: logFiles(logs).map(() => 0o600),
    });
    await backend.close();
    backend = undefined;
  });

  it('tightens an existing data directory, database and logs, and logs that it did', async () => {
    const dataDir = path.join(root, 'loose');
    const logs = path.join(dataDir, 'logs');
    const db = path.join(dataDir, 'bourse.sqlite');
    const oldLog = path.join(logs, 'bourse.1.log');
    fs.mkdirSync(logs, { recursive: true });
    const first = await startTestBackend({ dataDir });
    await first.close();
    fs.writeFileSync(oldLog, '{"msg":"from an older version"}\n');
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(logs, 0o777);
    fs.chmodSync(db, 0o644);
    fs.chmodSync(oldLog, 0o666);

    backend = await start(dataDir);
    expect([modeOf(dataDir), modeOf(logs), modeOf(db), modeOf(oldLog)]).toEqual([
      0o700, 0o700, 0o600, 0o600,
    ]);
    await backend.close();
    backend = undefined;
    const text = () =>
      logFiles(logs)
        .map((f) => fs.readFileSync(path.join(logs, f), 'utf8'))
        .join('');
    const warned = () =>
      text()
        .split('\n')
        .filter((l) => l.includes('tightened permissions'))
        .map((l) => (JSON.parse(l) as { file: string }).file);
    await until(() => warned().length >= 4, 10_000);
    expect(warned().sort()).toEqual([dataDir, db, logs, oldLog].sort());
  });
});
