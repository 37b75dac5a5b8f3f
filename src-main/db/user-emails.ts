import type Database from 'better-sqlite3';

/**
 * Users' emails by id, for the screens that name people to an administrator (deposits,
 * withdrawals): one query for any number of ids. An id whose account was deleted is absent.
 */
export function userEmails(
  sqlite: Database.Database,
  userIds: readonly string[],
): Map<string, string> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const rows = sqlite
    .prepare(`SELECT id, email FROM users WHERE id IN (${unique.map(() => '?').join(', ')})`)
    .all(...unique) as Array<{ id: string; email: string }>;
  return new Map(rows.map((r) => [r.id, r.email]));
}
