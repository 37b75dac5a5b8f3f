import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../src-main/db/database';
import { tempDataDir } from './backend';

/**
 * A migrations folder holding the migrations up to and including `last`, as an older Bourse
 * shipped them (for upgrade tests). The folder is added to `dirs` for the caller to remove.
 */
export function migrationsUpTo(last: string, dirs: string[]): string {
  const dir = tempDataDir('bourse-migrations-');
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'meta'));
  const journal = JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
    entries: Array<{ tag: string }>;
  };
  const upTo = journal.entries.findIndex((e) => e.tag === last);
  if (upTo < 1) throw new Error(`no migration ${last}`);
  journal.entries = journal.entries.slice(0, upTo + 1);
  for (const e of journal.entries) {
    fs.copyFileSync(`drizzle/${e.tag}.sql`, path.join(dir, `${e.tag}.sql`));
  }
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  return dir;
}

/**
 * A database file opened at an older migration and then at today's (upgrade tests). Closing
 * awaits the WAL checkpoint worker, which has a connection of its own and ends after close()
 * returns: removing the directory before it ended raced its last writes (ENOTEMPTY).
 */
export class UpgradeFixture {
  private readonly dirs: string[] = [];
  private readonly open: DatabaseHandle[] = [];
  readonly file: string;

  constructor() {
    const dir = tempDataDir();
    this.dirs.push(dir);
    this.file = path.join(dir, 'bourse.sqlite');
  }

  /** The file with migrations up to `last` applied, or all of them without it. */
  openAt(last?: string): DatabaseHandle {
    const migrationsDir = last === undefined ? 'drizzle' : migrationsUpTo(last, this.dirs);
    const db = openDatabase({ file: this.file, synchronous: 'FULL', migrationsDir });
    this.open.push(db);
    return db;
  }

  async close(db: DatabaseHandle): Promise<void> {
    this.open.splice(this.open.indexOf(db), 1);
    const ended = db.checkpointer?.stop();
    db.close();
    await ended;
  }

  async cleanup(): Promise<void> {
    for (const db of [...this.open]) await this.close(db);
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  }
}
