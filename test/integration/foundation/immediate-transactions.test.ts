import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { immediateRunner } from '../../../src-main/db/immediate';

/**
 * The transaction runner behind every `store.write`: all or nothing, nested writes as
 * savepoints that roll back alone, and a COMMIT that fails leaves nothing open.
 */
describe('immediate transactions', () => {
  let db: Database.Database;
  afterEach(() => db.close());
  const setUp = () => {
    db = new Database(':memory:');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE t (x INTEGER,
        p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    db.pragma('foreign_keys = ON');
    return immediateRunner(db);
  };
  const rows = () => db.prepare('SELECT x FROM t ORDER BY x').pluck().all() as number[];
  const insert = (x: number, p: number | null = null) =>
    db.prepare('INSERT INTO t (x, p) VALUES (?, ?)').run(x, p);

  it('commits what the function wrote and returns its result', () => {
    const run = setUp();
    expect(run(() => (insert(1), insert(2), 'done'))).toBe('done');
    expect(rows()).toEqual([1, 2]);
    expect(db.inTransaction).toBe(false);
  });

  it('rolls everything back when the function throws, and rethrows', () => {
    const run = setUp();
    insert(0);
    expect(() =>
      run(() => {
        insert(1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(rows()).toEqual([0]);
    expect(db.inTransaction).toBe(false);
  });

  it('takes the write lock at BEGIN (IMMEDIATE): another writer is refused before any write', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-immediate-')), 'db');
    const a = new Database(file);
    a.pragma('journal_mode = WAL');
    const b = new Database(file);
    b.pragma('busy_timeout = 0');
    try {
      immediateRunner(a)(() => {
        // Nothing written yet: a DEFERRED transaction would not hold the lock at this point.
        expect(() => b.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/i);
      });
      b.exec('BEGIN IMMEDIATE; COMMIT');
    } finally {
      a.close();
      b.close();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    db = new Database(':memory:');
  });

  it('nests as savepoints: an inner failure undoes only the inner work', () => {
    const run = setUp();
    run(() => {
      insert(1);
      expect(() =>
        run(() => {
          insert(2);
          throw new Error('inner');
        }),
      ).toThrow('inner');
      run(() => insert(3));
      expect(db.inTransaction).toBe(true);
    });
    expect(rows()).toEqual([1, 3]);
    // An outer failure undoes the committed inner work too.
    expect(() =>
      run(() => {
        run(() => insert(4));
        throw new Error('outer');
      }),
    ).toThrow('outer');
    expect(rows()).toEqual([1, 3]);
    expect(db.inTransaction).toBe(false);
  });

  it('refuses a function that returns a promise, writing nothing', () => {
    const run = setUp();
    expect(() => run(() => Promise.resolve(insert(1)))).toThrow(TypeError);
    expect(rows()).toEqual([]);
    expect(db.inTransaction).toBe(false);
  });

  it('leaves no transaction open when COMMIT itself fails', () => {
    const run = setUp();
    // A deferred foreign key is checked at COMMIT, which fails and keeps the transaction open
    // in SQLite: the runner must roll it back, or every later write would nest inside it.
    expect(() => run(() => insert(1, 42))).toThrow(/FOREIGN KEY/);
    expect(db.inTransaction).toBe(false);
    expect(rows()).toEqual([]);
    run(() => insert(2));
    expect(rows()).toEqual([2]);
  });
});
