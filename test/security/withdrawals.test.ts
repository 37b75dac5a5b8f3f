import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import {
  createOwner,
  createUser,
  enableTwoFactor,
  totpCode,
  type TestSession,
} from '../helpers/auth';
import { fund } from '../helpers/exchange';
import { configureChain, cooledAddress } from '../helpers/withdrawals';

/**
 * Attacks on the way money leaves (issue #25): someone else's address, a missing or wrong
 * second factor, a replayed code, approving one's own withdrawal, and the hot wallet's key
 * leaking into the database or the audit trail. Each must be refused with nothing held or sent.
 */
const HOT_KEY = `0x${'3c'.repeat(32)}`;
let backend: TestBackend;
let owner: TestSession;
let mallory: TestSession;
let alice: TestSession;
let aliceAddress = '';

async function call(s: TestSession, method: 'GET' | 'POST', path: string, payload?: object) {
  const res = await backend.http.inject({
    method,
    url: `/api/v1${path}`,
    payload,
    headers: s.headers,
  });
  return {
    status: res.statusCode,
    body: res.json() as Record<string, unknown> & { code?: string },
  };
}
const held = (userId: string) => backend.features.exchange.holdings(userId, 'ETH').held;

beforeAll(async () => {
  backend = await startTestBackend();
  owner = await enableTwoFactor(backend, await createOwner(backend));
  alice = await enableTwoFactor(backend, await createUser(backend, 'trader', { twoFactor: false }));
  mallory = await enableTwoFactor(
    backend,
    await createUser(backend, 'trader', { email: 'mallory@example.test', twoFactor: false }),
  );
  await configureChain(backend, { autoApproveLimit: 0, hotWalletKey: HOT_KEY });
  await fund(backend, alice.userId, 'ETH', '5');
  await fund(backend, mallory.userId, 'ETH', '5');
  aliceAddress = cooledAddress(backend, alice.userId, '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
});
afterAll(async () => backend.cleanup());

/** 1 ETH to an address-book entry, with a fresh 2FA code of the requester. */
const withdrawOneEth = (who: typeof alice, addressId: string, clientRequestId: string) =>
  call(who, 'POST', '/withdrawals', {
    asset: 'ETH',
    amount: '1',
    addressId,
    clientRequestId,
    code: totpCode(backend, who.totpSecret!, 1),
  });

describe('withdrawal attacks', () => {
  it("refuses a withdrawal to another user's address-book entry, holding nothing", async () => {
    const r = await withdrawOneEth(mallory, aliceAddress, 'steal');
    expect(r.body.code, JSON.stringify(r.body)).toBe('not_found');
    expect(r.status).toBe(404);
    expect(held(mallory.userId)).toBe(0n);
  });

  it('refuses a request without the second factor, or with a wrong one, holding nothing', async () => {
    const base = { asset: 'ETH', amount: '1', addressId: aliceAddress };
    const none = await call(alice, 'POST', '/withdrawals', { ...base, clientRequestId: 'n' });
    expect(none.body.code).toBe('two_factor_required');
    const wrong = await call(alice, 'POST', '/withdrawals', {
      ...base,
      clientRequestId: 'w',
      code: '000000',
    });
    expect(wrong).toMatchObject({ status: 403, body: { code: 'invalid_code' } });
    expect(held(alice.userId)).toBe(0n);
  });

  it('accepts a code once: the same code replayed for a second withdrawal is refused', async () => {
    const code = totpCode(backend, alice.totpSecret!, 1);
    const base = { asset: 'ETH', amount: '1', addressId: aliceAddress, code };
    const first = await call(alice, 'POST', '/withdrawals', { ...base, clientRequestId: 'r1' });
    expect(first.status).toBe(200);
    const replay = await call(alice, 'POST', '/withdrawals', { ...base, clientRequestId: 'r2' });
    expect(replay).toMatchObject({ status: 403, body: { code: 'invalid_code' } });
    // Only the first holds (1 ETH + 0.001 fee, 8 decimals).
    expect(held(alice.userId)).toBe(100_100_000n);
  });

  it('never lets the requester approve their own withdrawal, an owner included', async () => {
    await fund(backend, owner.userId, 'ETH', '2');
    const mine = cooledAddress(backend, owner.userId, '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359');
    const w = await withdrawOneEth(owner, mine, 'own');
    expect(w.body.status).toBe('pending_approval');
    const self = await call(owner, 'POST', '/admin/withdrawals/approve', { id: w.body.id });
    expect(self).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const row = backend.store.sqlite
      .prepare('SELECT status FROM withdrawals WHERE id = ?')
      .get(w.body.id) as { status: string };
    expect(row.status).toBe('pending_approval');
  });

  it("keeps the hot wallet's key out of the database and the audit trail", async () => {
    const set = await call(owner, 'POST', '/admin/withdrawals/hot-wallet', {
      chainId: 31337,
      privateKey: `0x${'5e'.repeat(32)}`,
    });
    expect(set.status).toBe(200);
    expect(JSON.stringify(set.body)).not.toContain('5e5e5e5e');
    const db = backend.store.sqlite;
    for (const { name } of db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all() as Array<{ name: string }>) {
      const rows = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
      expect(rows, name).not.toContain('5e5e5e5e5e5e');
      expect(rows, name).not.toContain('3c3c3c3c3c3c');
    }
  });
});
