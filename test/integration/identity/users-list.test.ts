import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permission } from '../../../src-shared/contract';
import type { Principal } from '../../../src-main/operations/principal';
import { identityOf, TEST_PASSWORD } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { preparedDuring, queryPlan } from '../../helpers/query-plans';
import { rejects } from '../../helpers/exchange';

interface Page {
  items: Array<{ id: string; email: string; role: string; banned: boolean }>;
  total: number;
  nextCursor?: string;
}

const ADMIN: Principal = {
  kind: 'user',
  userId: 'admin',
  role: 'admin',
  permissions: new Set<Permission>(['admin.users']),
};

let backend: TestBackend;
const joined: string[] = [];

const list = async (input: object) =>
  (await backend.invoke('admin.users.list', input, ADMIN)) as Page;

/** Every page of a query, followed by its cursors. */
async function all(input: object, limit: number): Promise<Page['items']> {
  const out: Page['items'] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ ...input, limit, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  backend = await startTestBackend();
  const accounts = identityOf(backend).accounts;
  const emails = [
    ...Array.from({ length: 9 }, (_, i) => `trader-${i}@example.test`),
    'viewer@example.test',
    'a_b@example.test',
    'x%y@example.test',
  ];
  for (const [i, email] of emails.entries()) {
    const u = await accounts.createUser(email, TEST_PASSWORD, i === 9 ? 'viewer' : 'trader', 't');
    joined.push(u.email);
  }
  for (const email of ['trader-3@example.test', 'trader-7@example.test']) {
    const id = identityOf(backend).users.byEmail(email)!.id;
    await backend.invoke('admin.users.ban', { userId: id }, { ...ADMIN, userId: 'someone' });
  }
}, 60_000);
afterAll(async () => {
  await backend.cleanup();
});

describe('admin.users.list', () => {
  it('pages through every account in the order they joined, none twice', async () => {
    const everyone = await all({}, 5);
    expect(everyone.map((u) => u.email)).toEqual(joined);
    const first = await list({ limit: 5 });
    expect(first.total).toBe(12);
    expect(first.nextCursor).toMatch(/^[0-9]+$/);
    const last = await list({ limit: 12 });
    expect(last.items).toHaveLength(12);
    expect(last.nextCursor).toBeUndefined();
  });

  it('filters by part of the email (any case, % and _ literal), role and status', async () => {
    expect((await all({ search: 'TRADER-' }, 4)).map((u) => u.email)).toHaveLength(9);
    expect((await list({ search: '_' })).items.map((u) => u.email)).toEqual(['a_b@example.test']);
    expect((await list({ search: '%' })).items.map((u) => u.email)).toEqual(['x%y@example.test']);
    expect((await list({ role: 'viewer' })).items.map((u) => u.email)).toEqual([
      'viewer@example.test',
    ]);
    const banned = await list({ status: 'banned' });
    expect(banned.items.map((u) => u.email)).toEqual([
      'trader-3@example.test',
      'trader-7@example.test',
    ]);
    expect(banned.items.every((u) => u.banned)).toBe(true);
    const combined = await list({ search: 'trader', status: 'active', limit: 2 });
    expect(combined.total).toBe(7);
    expect(combined.items.map((u) => u.email)).toEqual([
      'trader-0@example.test',
      'trader-1@example.test',
    ]);
    expect(await list({ search: 'nobody' })).toEqual({ items: [], total: 0 });
    const exact = await list({ email: 'Trader-1@Example.test' });
    expect(exact.items.map((u) => u.email)).toEqual(['trader-1@example.test']);
    expect(exact.total).toBe(1);
  });

  it('refuses bad input with the field named', async () => {
    await rejects(list({ limit: 0 }), 'validation_failed');
    await rejects(list({ limit: 501 }), 'validation_failed');
    await rejects(list({ cursor: '12; DROP TABLE users' }), 'validation_failed');
    await rejects(list({ role: 'emperor' }), 'validation_failed');
    await rejects(list({ status: 'sleeping' }), 'validation_failed');
  });

  it('reads a page as a range of the table key, not a sort', async () => {
    const sqlite = backend.store.sqlite;
    const statements = await preparedDuring(sqlite, () => list({ cursor: '3', limit: 2 }));
    const pageSql = statements.find((s) => /\blimit\b/i.test(s) && /rowid/i.test(s));
    expect(pageSql).toBeDefined();
    const plan = queryPlan(sqlite, pageSql!);
    expect(plan).toMatch(/USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
