import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Published } from '../../../src-main/events/hub';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import {
  createApiKey,
  createOwner,
  createUser,
  enableTwoFactor,
  signedHeaders,
  totpCode,
  type TestSession,
} from '../../helpers/auth';
import { fund } from '../../helpers/exchange';
import { configureChain } from '../../helpers/withdrawals';

/** A short cool-off (configurable): access tokens live 15 min of the test's clock. */
const COOL_OFF = 2 * 60_000;
// Two well-known addresses (EIP-55 test vectors) and a wrong-checksum copy of the first.
const GOOD = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const OTHER = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const BAD_CHECKSUM = '0x5aaEb6053F3E94C9b9A09f33669435E7Ef1BeAed';

let backend: TestBackend;
let clock = Date.UTC(2026, 5, 1, 12, 0, 0);
let owner: TestSession;
let admin2: TestSession;
let alice: TestSession;
const streamed: Published[] = [];

async function call(
  session: TestSession | Record<string, string>,
  method: 'GET' | 'POST',
  path: string,
  payload?: object,
) {
  const headers = 'headers' in session ? (session.headers as Record<string, string>) : session;
  const res = await backend.http.inject({ method, url: `/api/v1${path}`, payload, headers });
  return {
    status: res.statusCode,
    body: res.json() as Record<string, unknown> & { code?: string },
  };
}

const code = (s: TestSession) => totpCode(backend, s.totpSecret!);

async function balance(userId: string) {
  const { available, held } = backend.features.exchange.holdings(userId, 'ETH');
  return { available, held };
}

beforeAll(async () => {
  backend = await startTestBackend({ now: () => clock, withdrawalCoolOffMs: COOL_OFF });
  owner = await enableTwoFactor(backend, await createOwner(backend));
  admin2 = await createUser(backend, 'admin');
  alice = await enableTwoFactor(backend, await createUser(backend, 'trader', { twoFactor: false }));
  // ETH: fee 0.001, min 0.01, auto-approve ≤ 0.1, two admins above 1 (8-decimal minor units).
  await configureChain(backend, {
    fee: 100_000,
    min: 1_000_000,
    autoApproveLimit: 10_000_000,
    dualApprovalLimit: 100_000_000,
    hotWalletKey: `0x${'11'.repeat(32)}`,
  });
  await fund(backend, alice.userId, 'ETH', '10');
  backend.hub.subscribe((m) => {
    if (m.stream === 'withdrawals') streamed.push(m);
  });
});
afterAll(async () => backend.cleanup());

describe('address book', () => {
  it('checks format and EIP-55 checksum, and starts a cool-off', async () => {
    const bad = await call(alice, 'POST', '/withdrawals/addresses', {
      chainId: 31337,
      address: BAD_CHECKSUM,
      label: 'typo',
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'address_checksum' } });
    const short = await call(alice, 'POST', '/withdrawals/addresses', {
      chainId: 31337,
      address: '0x1234',
      label: 'short',
    });
    expect(short.body.code).toBe('address_invalid');

    // All lower case carries no checksum: accepted, stored checksummed.
    const added = await call(alice, 'POST', '/withdrawals/addresses', {
      chainId: 31337,
      address: GOOD.toLowerCase(),
      label: 'cold wallet',
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      address: GOOD,
      tsCreated: clock,
      tsUsable: clock + COOL_OFF,
    });
    const again = await call(alice, 'POST', '/withdrawals/addresses', {
      chainId: 31337,
      address: GOOD,
      label: 'dup',
    });
    expect(again.body.code).toBe('conflict');

    const notes = await call(alice, 'GET', '/notifications');
    expect(JSON.stringify(notes.body)).toContain('A withdrawal address was added');
    const audit = backend.store.sqlite
      .prepare("SELECT actor, target FROM audit_events WHERE action = 'withdrawal.addressAdd'")
      .all();
    expect(audit).toEqual([{ actor: alice.userId, target: added.body.id }]);
  });

  it('lists only your own addresses; removing hides one', async () => {
    const mine = await call(alice, 'GET', '/withdrawals/addresses');
    expect((mine.body.items as unknown[]).length).toBe(1);
    const theirs = await call(admin2, 'GET', '/withdrawals/addresses');
    expect(theirs.body.items).toEqual([]);
    const id = (mine.body.items as Array<{ id: string }>)[0]!.id;
    expect((await call(admin2, 'POST', '/withdrawals/addresses/remove', { id })).status).toBe(404);
  });
});

describe('requests, approvals and holds', () => {
  let addressId: string;
  const request = (body: object, session: TestSession = alice) =>
    call(session, 'POST', '/withdrawals', { asset: 'ETH', addressId, ...body });

  beforeAll(async () => {
    const list = await call(alice, 'GET', '/withdrawals/addresses');
    addressId = (list.body.items as Array<{ id: string }>)[0]!.id;
  });

  it('refuses an address still cooling off, then asks for 2FA', async () => {
    clock += 30_000; // a fresh TOTP step: enrolment used the current one
    const early = await request({ clientRequestId: 'r0', amount: '0.5', code: code(alice) });
    expect(early).toMatchObject({ status: 409, body: { code: 'address_cooling_off' } });
    clock += COOL_OFF;
    const noCode = await request({ clientRequestId: 'r0', amount: '0.5' });
    expect(noCode.body.code).toBe('two_factor_required');
    const wrong = await request({ clientRequestId: 'r0', amount: '0.5', code: '000000' });
    expect(wrong.body.code).toBe('invalid_code');
  });

  it('holds amount + fee in one move and answers a repeated request id with the same withdrawal', async () => {
    clock += 30_000;
    const first = await request({ clientRequestId: 'r1', amount: '0.5', code: code(alice) });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      amount: '0.50000000',
      fee: '0.00100000',
      status: 'pending_approval',
      approvalsRequired: 1,
      approvals: 0,
      toAddress: GOOD,
    });
    // 10 − 0.501 available, 0.501 held (minor units of 10^-8).
    expect(await balance(alice.userId)).toEqual({ available: 949_900_000n, held: 50_100_000n });
    const repeat = await request({ clientRequestId: 'r1', amount: '0.5' });
    expect(repeat.body.id).toBe(first.body.id);
    expect(await balance(alice.userId)).toEqual({ available: 949_900_000n, held: 50_100_000n });
    expect(streamed.at(-1)).toMatchObject({
      audience: { kind: 'user', userId: alice.userId },
      data: { id: first.body.id, status: 'pending_approval' },
    });
  });

  it.each([
    [{ amount: '0.009' }, 'below_minimum'],
    [{ amount: '9.5' }, 'insufficient_funds'],
    [{ amount: '0.5', asset: 'BTC' }, 'funding_unavailable'],
  ])('refuses %o with %s', async (body, expected) => {
    clock += 30_000;
    const r = await request({ clientRequestId: `x-${expected}`, code: code(alice), ...body });
    expect(r.body.code).toBe(expected);
  });

  it('says so when withdrawals of the asset are off', async () => {
    await configureChain(backend, {
      withdrawalsEnabled: false,
      hotWalletKey: `0x${'11'.repeat(32)}`,
      fee: 100_000,
      min: 1_000_000,
      autoApproveLimit: 10_000_000,
      dualApprovalLimit: 100_000_000,
    });
    clock += 30_000;
    const r = await request({ clientRequestId: 'off', amount: '0.5', code: code(alice) });
    expect(r).toMatchObject({ status: 403, body: { code: 'withdrawals_disabled' } });
    const assets = await call(alice, 'GET', '/withdrawals/assets');
    expect(assets.body.items).toEqual([
      {
        asset: 'ETH',
        chainId: 31337,
        enabled: false,
        ready: true,
        fee: '0.00100000',
        min: '0.01000000',
        confirmations: 2,
      },
    ]);
    await configureChain(backend, {
      hotWalletKey: `0x${'11'.repeat(32)}`,
      fee: 100_000,
      min: 1_000_000,
      autoApproveLimit: 10_000_000,
      dualApprovalLimit: 100_000_000,
    });
  });

  it('lets an admin approve (never twice, never a trader) and reject with a reason', async () => {
    const pending = await call(owner, 'GET', '/admin/withdrawals/pending');
    const [item] = pending.body.items as Array<{ withdrawal: { id: string }; userEmail: string }>;
    expect(item).toMatchObject({ userId: alice.userId, requestedVia: 'app', approvedBy: [] });
    expect((await call(alice, 'GET', '/admin/withdrawals/pending')).status).toBe(403);

    const approved = await call(owner, 'POST', '/admin/withdrawals/approve', {
      id: item!.withdrawal.id,
    });
    expect(approved.body).toMatchObject({ withdrawal: { status: 'approved', approvals: 1 } });
    const twice = await call(admin2, 'POST', '/admin/withdrawals/approve', {
      id: item!.withdrawal.id,
    });
    expect(twice.body.code).toBe('invalid_state');

    // Rejected before signing: the hold comes back.
    const rejected = await call(owner, 'POST', '/admin/withdrawals/reject', {
      id: item!.withdrawal.id,
      reason: 'unusual destination',
    });
    expect(rejected.body).toMatchObject({
      withdrawal: { status: 'rejected', reason: 'unusual destination' },
    });
    expect(await balance(alice.userId)).toEqual({ available: 1_000_000_000n, held: 0n });
  });

  it('needs two different admins above the dual limit, and never the requester', async () => {
    clock += 30_000;
    const big = await request({ clientRequestId: 'big', amount: '2', code: code(alice) });
    expect(big.body).toMatchObject({ status: 'pending_approval', approvalsRequired: 2 });
    const id = big.body.id as string;
    const one = await call(owner, 'POST', '/admin/withdrawals/approve', { id });
    expect(one.body).toMatchObject({
      approvedBy: [owner.userId],
      withdrawal: { status: 'pending_approval' },
    });
    const same = await call(owner, 'POST', '/admin/withdrawals/approve', { id });
    expect(same.body.code).toBe('conflict');
    const two = await call(admin2, 'POST', '/admin/withdrawals/approve', { id });
    expect(two.body).toMatchObject({ withdrawal: { status: 'approved', approvals: 2 } });

    // An admin's own request: refused to them, approvable by another.
    await fund(backend, admin2.userId, 'ETH', '1');
    const addr = await call(admin2, 'POST', '/withdrawals/addresses', {
      chainId: 31337,
      address: OTHER,
      label: 'mine',
    });
    clock += COOL_OFF;
    const own = await call(admin2, 'POST', '/withdrawals', {
      asset: 'ETH',
      addressId: addr.body.id,
      amount: '0.5',
      clientRequestId: 'own',
      code: code(admin2),
    });
    expect(own.body.status).toBe('pending_approval');
    const self = await call(admin2, 'POST', '/admin/withdrawals/approve', { id: own.body.id });
    expect(self).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('lets the user cancel before signing, and reconciliation counts the holds', async () => {
    clock += 30_000;
    const w = await request({ clientRequestId: 'cancel-me', amount: '0.05', code: code(alice) });
    // At or below the auto limit: approved at once.
    expect(w.body).toMatchObject({ status: 'approved', approvalsRequired: 0 });
    const rec = await call(owner, 'POST', '/admin/ledger/reconcile', {});
    expect(rec.body).toMatchObject({ ok: true });
    const cancelled = await call(alice, 'POST', '/withdrawals/cancel', { id: w.body.id });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    const other = await call(admin2, 'POST', '/withdrawals/cancel', { id: w.body.id });
    expect(other.status).toBe(404);
    const mine = await call(alice, 'GET', '/withdrawals');
    expect((mine.body.items as Array<{ status: string }>).map((x) => x.status)).toEqual([
      'cancelled',
      'approved',
      'rejected',
    ]);
  });
});

describe('API keys', () => {
  it('withdraw only with the withdraw scope, from an allowlisted address', async () => {
    const list = await call(alice, 'GET', '/withdrawals/addresses');
    const addressId = (list.body.items as Array<{ id: string }>)[0]!.id;
    const send = async (key: Awaited<ReturnType<typeof createApiKey>>, id: string) => {
      const body = JSON.stringify({ asset: 'ETH', addressId, amount: '0.02', clientRequestId: id });
      const res = await backend.http.inject({
        method: 'POST',
        url: '/api/v1/withdrawals',
        payload: body,
        headers: signedHeaders(key, 'POST', '/api/v1/withdrawals', body, { timestamp: clock }),
      });
      return { status: res.statusCode, body: res.json() as Record<string, unknown> };
    };
    const tradeOnly = await createApiKey(backend, alice, { scopes: ['read', 'trade'] });
    expect((await send(tradeOnly, 'k1')).status).toBe(403);
    const elsewhere = await createApiKey(backend, alice, {
      scopes: ['withdraw'],
      ipAllowlist: ['10.1.2.3'],
    });
    expect((await send(elsewhere, 'k2')).body.code).toBe('ip_not_allowed');
    const good = await createApiKey(backend, alice, {
      scopes: ['withdraw'],
      ipAllowlist: ['127.0.0.1'],
    });
    const ok = await send(good, 'k3');
    expect(ok).toMatchObject({ status: 200, body: { status: 'approved' } });
    const row = backend.store.sqlite
      .prepare('SELECT requested_via AS via FROM withdrawals WHERE id = ?')
      .get(ok.body.id) as { via: string };
    expect(row.via).toBe(`apiKey:${good.id}`);
  });
});

describe('the hot wallet key', () => {
  it('goes to the secret store only; the answer and the audit trail carry the address', async () => {
    // Hardhat's dev mnemonic, account 1' (the default path): a well-known test key.
    const mnemonic = 'test test test test test test test test test test test junk';
    const set = await call(owner, 'POST', '/admin/withdrawals/hot-wallet', {
      chainId: 31337,
      mnemonic,
    });
    expect(set.status).toBe(200);
    const { mnemonicToAccount } = await import('viem/accounts');
    const expected = mnemonicToAccount(mnemonic, { path: "m/44'/60'/1'/0/0" });
    expect(set.body).toEqual({ chainId: 31337, address: expected.address });
    const stored = await backend.secrets.get('chain.31337.hotWallet');
    expect(stored).toBe(`0x${Buffer.from(expected.getHdKey().privateKey!).toString('hex')}`);
    const audit = backend.store.sqlite
      .prepare("SELECT details FROM audit_events WHERE action = 'withdrawal.hotWallet'")
      .all() as Array<{ details: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).not.toContain(stored!.slice(2, 20));
    const chainRow = backend.store.sqlite
      .prepare('SELECT hot_wallet_secret AS s, hot_wallet_address AS a FROM chain_networks')
      .get() as { s: string; a: string };
    expect(chainRow).toEqual({ s: 'chain.31337.hotWallet', a: expected.address.toLowerCase() });
    const bad = await call(owner, 'POST', '/admin/withdrawals/hot-wallet', {
      chainId: 31337,
      privateKey: 'zz'.repeat(32),
    });
    expect(bad.body.code).toBe('invalid_key');
    expect(JSON.stringify(bad.body)).not.toContain('zzzz');
    const trader = await call(alice, 'POST', '/admin/withdrawals/hot-wallet', {
      chainId: 31337,
      mnemonic,
    });
    expect(trader.status).toBe(403);
  });
});
