import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src-main/db/database';
import { WalSync } from '../../../src-main/db/durability';
import { tempDataDir } from '../../helpers/backend';

/** A controllable fsync: each call waits until the test releases (or fails) it. */
function heldFsync() {
  const calls: Array<{ file: FileHandle; release: () => void; fail: (e: Error) => void }> = [];
  const fsync = (file: FileHandle) =>
    new Promise<void>((release, fail) => calls.push({ file, release, fail }));
  return { calls, fsync };
}

/** Waits until the fsync has been called `n` times (opening the WAL runs on the thread pool). */
const calledTimes = (held: ReturnType<typeof heldFsync>, n: number) =>
  vi.waitFor(() => expect(held.calls).toHaveLength(n));

const settled = async <T>(p: Promise<T>): Promise<'pending' | 'resolved' | 'rejected'> => {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return state;
};

describe('deferred commits: the fsync off the event loop', () => {
  let store: DatabaseHandle | undefined;
  afterEach(() => {
    store?.close();
    store = undefined;
  });
  const open = (fsync?: (f: FileHandle) => Promise<void>) => {
    const dir = tempDataDir();
    const file = path.join(dir, 'bourse.sqlite');
    store = openDatabase({
      file,
      synchronous: 'FULL',
      migrationsDir: 'drizzle',
      ...(fsync ? { fsync } : {}),
    });
    const put = store.sqlite.prepare('INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)');
    return { store, file, put };
  };
  const syncMode = (s: DatabaseHandle) => s.sqlite.pragma('synchronous', { simple: true });

  it('durable() waits for an fsync of the WAL file itself, and the connection stays FULL', async () => {
    const held = heldFsync();
    const { store, file, put } = open(held.fsync);
    store.writeDeferred('t', () => put.run('a', '1'));
    expect(syncMode(store)).toBe(2); // FULL again right after the deferred commit
    const durable = store.durable();
    await calledTimes(held, 1);
    expect(await settled(durable)).toBe('pending');
    // The descriptor synced is the WAL SQLite wrote the commit to (same file, same size).
    const [call] = held.calls;
    const [mine, theirs] = [await call!.file.stat(), fs.statSync(`${file}-wal`)];
    expect([mine.ino, mine.size]).toEqual([theirs.ino, theirs.size]);
    call!.release();
    await durable;
    // Nothing pending: answered at once, no second fsync.
    await store.durable();
    expect(held.calls).toHaveLength(1);
  });

  it('one fsync covers every commit made before it; commits during it wait for the next', async () => {
    const held = heldFsync();
    const { store, put } = open(held.fsync);
    store.writeDeferred('t', () => put.run('a', '1'));
    store.writeDeferred('t', () => put.run('b', '1'));
    const first = [store.durable(), store.durable()];
    await calledTimes(held, 1);
    store.writeDeferred('t', () => put.run('c', '1'));
    const later = store.durable();
    held.calls[0]!.release();
    await Promise.all(first);
    await calledTimes(held, 2);
    expect(await settled(later)).toBe('pending');
    held.calls[1]!.release();
    await later;
  });

  it('a synchronous FULL commit makes earlier deferred commits durable (its fsync covers them)', async () => {
    const held = heldFsync();
    const { store, put } = open(held.fsync);
    store.writeDeferred('t', () => put.run('a', '1'));
    store.write('t', () => put.run('b', '1'));
    await store.durable();
    expect(held.calls).toHaveLength(0);
  });

  it('a FULL commit that changed nothing does not count as a sync (SQLite wrote no frame)', async () => {
    const held = heldFsync();
    const { store, put } = open(held.fsync);
    store.writeDeferred('t', () => put.run('a', '1'));
    const nothing = store.sqlite.prepare("UPDATE app_meta SET value = 'x' WHERE key = 'none'");
    store.write('sweep', () => nothing.run());
    const durable = store.durable();
    await calledTimes(held, 1);
    expect(await settled(durable)).toBe('pending');
    held.calls[0]!.release();
    await durable;
  });

  it('a failed fsync refuses its waiters; the next commit is synced afresh', async () => {
    const held = heldFsync();
    const { store, put } = open(held.fsync);
    store.writeDeferred('t', () => put.run('a', '1'));
    const first = store.durable();
    await calledTimes(held, 1);
    held.calls[0]!.fail(new Error('EIO'));
    await expect(first).rejects.toThrow('EIO');
    store.writeDeferred('t', () => put.run('b', '1'));
    const second = store.durable();
    await calledTimes(held, 2);
    held.calls[1]!.release();
    await second;
  });

  it('a deferred commit that throws rolls back and still restores FULL', () => {
    const { store, put } = open();
    expect(() =>
      store.writeDeferred('t', () => {
        put.run('a', '1');
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(syncMode(store)).toBe(2);
    expect(
      store.sqlite.prepare("SELECT value FROM app_meta WHERE key = 'a'").get(),
    ).toBeUndefined();
  });

  it('inside another transaction it joins it (no pragma change mid-transaction)', () => {
    const { store, put } = open();
    store.write('outer', () => {
      store.writeDeferred('inner', () => put.run('a', '1'));
      expect(syncMode(store)).toBe(2);
    });
    expect(store.sqlite.prepare("SELECT value FROM app_meta WHERE key = 'a'").get()).toEqual({
      value: '1',
    });
  });

  it('the real fsync: durable() resolves and the data is read back by a fresh connection', async () => {
    const { store, file, put } = open();
    store.writeDeferred('t', () => put.run('real', 'yes'));
    await store.durable();
    const other = openDatabase({
      file,
      synchronous: 'FULL',
      migrationsDir: 'drizzle',
      backgroundCheckpoints: false,
    });
    try {
      expect(other.sqlite.prepare("SELECT value FROM app_meta WHERE key = 'real'").get()).toEqual({
        value: 'yes',
      });
    } finally {
      other.close();
    }
  });

  it('in memory, or with synchronous=NORMAL, there is nothing to wait for', async () => {
    for (const options of [
      { file: ':memory:', synchronous: 'FULL' as const },
      { file: path.join(tempDataDir(), 'n.sqlite'), synchronous: 'NORMAL' as const },
    ]) {
      let fsyncs = 0;
      const s = openDatabase({
        ...options,
        migrationsDir: 'drizzle',
        fsync: async () => void fsyncs++,
      });
      try {
        s.writeDeferred('t', () =>
          s.sqlite.prepare("INSERT INTO app_meta (key, value) VALUES ('x', '1')").run(),
        );
        await s.durable();
        expect(fsyncs).toBe(0);
      } finally {
        s.close();
      }
    }
  });
});

describe('WalSync', () => {
  it('closing waits for the fsync in flight; later waits are refused', async () => {
    const file = path.join(tempDataDir(), 'x-wal');
    fs.writeFileSync(file, 'wal');
    let release: (() => void) | undefined;
    const sync = new WalSync(file, () => new Promise<void>((r) => (release = r)));
    sync.deferredCommit();
    const waiting = sync.durable();
    await vi.waitFor(() => expect(release).toBeDefined());
    const closing = sync.close();
    expect(await settled(closing)).toBe('pending');
    release!();
    await closing;
    await waiting;
    sync.deferredCommit();
    await expect(sync.durable()).rejects.toThrow('closed');
  });
});
