import type { TSchema } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, permissionsOfKey, type OperationSpec } from '../../src-shared/contract';
import type { Principal } from '../../src-main/operations/principal';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import {
  createApiKey,
  createOwner,
  createUser,
  enableTwoFactor,
  signedHeaders,
  type TestApiKey,
  type TestSession,
} from '../helpers/auth';
import { exchangeOf, fund } from '../helpers/exchange';
import { openOrders, setUpTrading } from '../integration/automation/setup';

/**
 * Issue #22, item 4: credentials stay in their lane. An API key never creates or replaces a
 * credential (so nothing it makes can outlive its revocation, expiry or IP allowlist), a
 * banned user's webhook tokens stop, and money is only booked to users who exist.
 */

let backend: TestBackend;
let owner: TestSession;
let trader: TestSession;
let key: TestApiKey;
let accountId: string;

beforeAll(async () => {
  backend = await startTestBackend();
  owner = await enableTwoFactor(backend, await createOwner(backend));
  trader = await createUser(backend, 'trader');
  key = await createApiKey(backend, trader, {
    scopes: ['read', 'trade', 'withdraw'],
    ipAllowlist: ['127.0.0.1'],
  });
  const created = await send('POST', '/api/v1/accounts', { venue: 'paper', name: 'Mine' }, trader);
  expect(created.statusCode, created.body).toBe(200);
  accountId = created.json().account.id as string;
});
afterAll(async () => backend.cleanup());

/** A JSON request over the HTTP door: as a session (bearer) or signed with an API key. */
async function send(method: string, url: string, body: unknown, as: TestSession | TestApiKey) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> =
    'headers' in as ? { ...as.headers } : signedHeaders(as, method, url, payload);
  if (payload) headers['content-type'] = 'application/json';
  return backend.http.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}

describe('only a signed-in session creates or replaces credentials', () => {
  const attempts = () =>
    [
      ['accounts.create', 'POST', '/api/v1/accounts', { venue: 'paper', name: 'By key' }],
      ['accounts.register', 'POST', '/api/v1/register/paper', { name: 'By key' }],
      ['accounts.regenerateToken', 'POST', `/api/v1/accounts/${accountId}/token`, undefined],
      [
        'apiKeys.create',
        'POST',
        '/api/v1/api-keys',
        { label: 'child', publicKey: key.publicKeyRaw, scopes: ['trade'] },
      ],
      ['apiKeys.update', 'PATCH', `/api/v1/api-keys/${key.id}`, { ipAllowlist: ['0.0.0.0/0'] }],
    ] as const;

  it('refuses a trade API key with 403 session_required on every credential operation', async () => {
    const accountsBefore = backend.store.sqlite
      .prepare('SELECT count(*) AS n FROM trading_accounts')
      .get() as { n: number };
    for (const [name, method, url, body] of attempts()) {
      const res = await send(method, url, body, key);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(403);
      expect(res.json(), name).toMatchObject({ code: 'session_required' });
    }
    // Nothing was made or changed: no account, the key's allowlist as it was.
    expect(
      backend.store.sqlite.prepare('SELECT count(*) AS n FROM trading_accounts').get(),
    ).toEqual(accountsBefore);
    const keys = await send('GET', '/api/v1/api-keys', undefined, trader);
    expect(keys.json().items).toEqual([
      expect.objectContaining({ id: key.id, ipAllowlist: ['127.0.0.1'] }),
    ]);
  });

  it('still lets the same key trade, and the session do all of the above', async () => {
    const list = await send('GET', '/api/v1/accounts', undefined, key);
    expect(list.statusCode, list.body).toBe(200);
    const renamed = await send('PATCH', `/api/v1/accounts/${accountId}`, { name: 'Renamed' }, key);
    expect(renamed.statusCode, renamed.body).toBe(200);
    const token = await send('POST', `/api/v1/accounts/${accountId}/token`, undefined, trader);
    expect(token.statusCode, token.body).toBe(200);
    expect(token.json().webhookToken).toEqual(expect.any(String));
  });

  it('is enforced by the catalogue for every door, not by a transport', async () => {
    const apiKey: Principal = {
      kind: 'apiKey',
      userId: trader.userId,
      keyId: key.id,
      role: 'trader',
      permissions: permissionsOfKey(['read', 'trade'], 'trader'),
    };
    for (const door of ['ipc', 'http', 'ws'] as const) {
      await expect(
        backend.invoke('accounts.create', { venue: 'paper', name: 'x' }, apiKey, door),
      ).rejects.toMatchObject({ code: 'session_required', status: 403 });
    }
  });

  it('marks every non-public operation that answers a secret as session-only', () => {
    // A token or secret in an answer is a credential being handed out. The one exception is
    // the listen token: short-lived, bound to the key that asked, re-checked on every use.
    const exempt = new Set(['apiKeys.listenToken']);
    const handsOutSecret = (schema: TSchema): boolean => {
      const props = (schema.properties ?? {}) as Record<string, TSchema>;
      const nested = [
        ...Object.values(props),
        ...((schema.anyOf ?? schema.oneOf ?? []) as TSchema[]),
        ...(schema.items ? [schema.items as TSchema] : []),
      ];
      return (
        Object.keys(props).some((k) => /^(token|secret|recoveryCodes)$|(Token|Secret)$/.test(k)) ||
        nested.some(handsOutSecret)
      );
    };
    const unmarked = (catalogue as readonly OperationSpec[])
      .filter((s) => s.access !== 'public' && !exempt.has(s.name) && handsOutSecret(s.output))
      .filter((s) => !s.sessionOnly)
      .map((s) => s.name);
    expect(unmarked).toEqual([]);
    const marked = (catalogue as readonly OperationSpec[]).filter((s) => s.sessionOnly);
    expect(marked.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'accounts.create',
        'accounts.register',
        'accounts.regenerateToken',
        'apiKeys.create',
        'apiKeys.update',
      ]),
    );
  });
});

describe("a banned user's webhook tokens stop", () => {
  it('refuses and logs deliveries while the owner is banned, and honours them after unban', async () => {
    const user = await createUser(backend, 'trader');
    const t = await setUpTrading(backend, user.userId);
    const hook = (id: string) =>
      backend.http.inject({
        method: 'POST',
        url: `/hooks/tv/${t.token}`,
        payload: JSON.stringify({ ticker: 'BTCUSDT', action: 'buy', quantity: '0.01', id }),
        headers: { 'content-type': 'application/json' },
      });
    expect((await hook('before')).statusCode).toBe(200);
    const balance = await t.baseBalance();
    const orders = await openOrders(backend, t);

    const ban = await send('POST', `/api/v1/admin/users/${user.userId}/ban`, {}, owner);
    expect(ban.statusCode, ban.body).toBe(200);
    const refused = await hook('while-banned');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'owner_banned' });
    expect(await t.baseBalance()).toBe(balance);
    expect(await openOrders(backend, t)).toBe(orders);
    // The refusal is in the webhook log, on the account, with its reason.
    const row = backend.store.sqlite
      .prepare(
        'SELECT status, error_code AS code, account_id AS account FROM automation_webhook_log WHERE id = ?',
      )
      .get(refused.json().details.logId) as { status: string; code: string; account: string };
    expect(row).toEqual({ status: 'rejected', code: 'owner_banned', account: t.accountId });

    const unban = await send('POST', `/api/v1/admin/users/${user.userId}/unban`, {}, owner);
    expect(unban.statusCode, unban.body).toBe(200);
    expect((await hook('after-unban')).statusCode).toBe(200);
  });
});

describe('admin funding and corrections refuse unknown owners', () => {
  it('answers 404 unknown_user for an id that is no user, and books nothing', async () => {
    const entries = () =>
      (
        backend.store.sqlite.prepare('SELECT count(*) AS n FROM ledger_entries').get() as {
          n: number;
        }
      ).n;
    await exchangeOf(backend).flush();
    const before = entries();
    for (const [url, body] of [
      [
        '/api/v1/admin/ledger/fund',
        { userId: 'a', asset: 'USDT', amount: '1000', direction: 'credit', reason: 'typo' },
      ],
      ['/api/v1/admin/ledger/correct', { userId: 'a', asset: 'USDT', amount: '5', reason: 'typo' }],
    ] as const) {
      const res = await send('POST', url, body, owner);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json()).toMatchObject({ code: 'unknown_user', details: { userId: 'a' } });
    }
    await exchangeOf(backend).flush();
    expect(entries()).toBe(before);
    expect(exchangeOf(backend).holdings('a', 'USDT').available).toBe(0n);
  });

  it('still funds a user who exists', async () => {
    const res = await send(
      'POST',
      '/api/v1/admin/ledger/fund',
      { userId: trader.userId, asset: 'USDT', amount: '10', direction: 'credit', reason: 'ok' },
      owner,
    );
    expect(res.statusCode, res.body).toBe(200);
    // The test helper's funding of named traders goes through the same check.
    await expect(fund(backend, 'carol', 'USDT', '1')).resolves.toBeTruthy();
  });
});
