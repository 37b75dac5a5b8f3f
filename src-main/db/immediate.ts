import type Database from 'better-sqlite3';

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction, or in a savepoint when one is already open
 * (its rollback undoes only `fn`'s work) — what better-sqlite3's `transaction(fn).immediate()`
 * does, with the statements prepared once. That call builds four wrapper functions and
 * defines five properties on each every time (about 2 KB of garbage per transaction, three
 * transactions per webhook alert); this allocates nothing.
 */
export function immediateRunner(sqlite: Database.Database): <T>(fn: () => T) => T {
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');
  // A name no caller's own SQL uses; nesting reuses it (SQLite stacks savepoints by name).
  const savepoint = sqlite.prepare('SAVEPOINT "bourse.nested"');
  const release = sqlite.prepare('RELEASE "bourse.nested"');
  const rollbackTo = sqlite.prepare('ROLLBACK TO "bourse.nested"');
  return <T>(fn: () => T): T => {
    const nested = sqlite.inTransaction;
    (nested ? savepoint : begin).run();
    try {
      const result = fn();
      if (result && typeof (result as { then?: unknown }).then === 'function') {
        throw new TypeError('Transaction function cannot return a promise');
      }
      (nested ? release : commit).run();
      return result;
    } catch (error) {
      // A failed COMMIT (a full disk) can leave the transaction open: undo it all the same.
      if (sqlite.inTransaction) {
        if (nested) {
          rollbackTo.run();
          release.run();
        } else rollback.run();
      }
      throw error;
    }
  };
}
