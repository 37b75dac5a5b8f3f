import fs from 'node:fs';
import path from 'node:path';
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
