import type Database from 'better-sqlite3';

/** The SQL of every statement `sqlite` prepares while `work` runs. */
export async function preparedDuring(
  sqlite: Database.Database,
  work: () => unknown,
): Promise<string[]> {
  const prepared: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    prepared.push(source);
    return prepare(source);
  }) as typeof sqlite.prepare;
  try {
    await work();
  } finally {
    sqlite.prepare = prepare;
  }
  return prepared;
}

/** SQLite's query plan of `sql` (its parameters bound to NULL), one line joined by `; `. */
export function queryPlan(sqlite: Database.Database, sql: string): string {
  const params = Array<null>((sql.match(/\?/g) ?? []).length).fill(null);
  const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{
    detail: string;
  }>;
  return rows.map((r) => r.detail).join('; ');
}
