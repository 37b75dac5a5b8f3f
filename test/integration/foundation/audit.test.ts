import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogue,
  httpRouteOf,
  type AuditAction,
  type AuditEvent,
} from '../../../src-shared/contract';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import {
  createApiKey,
  createOwner,
  createUser,
  enableTwoFactor,
  signedHeaders,
  type TestSession,
} from '../../helpers/auth';
import { SOL_USDT, exchangeOf } from '../../helpers/exchange';
import { preparedDuring, queryPlan } from '../../helpers/query-plans';
import { configureChain, cooledAddress, requestWithdrawal } from '../../helpers/withdrawals';
import { DEFAULT_INSTRUMENTS } from '../../../src-main/domain/paper';

let backend: TestBackend;
let clock = Date.UTC(2026, 0, 5, 12, 0, 0);
let owner: TestSession;
let trader: TestSession;
/** Two withdrawals of the trader waiting for admins: one to approve, one to reject. */
const withdrawalIds: string[] = [];

beforeAll(async () => {
  backend = await startTestBackend({ now: () => clock });
  owner = await enableTwoFactor(backend, await createOwner(backend));
  trader = await createUser(backend, 'trader', { email: 'trader@example.test' });
  // Two approvals needed, so the owner's one leaves the broadcast job nothing to do.
  await configureChain(backend, {
    autoApproveLimit: 0,
    dualApprovalLimit: 0,
    hotWalletKey: `0x${'22'.repeat(32)}`,
  });
  const addressId = cooledAddress(
    backend,
    trader.userId,
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  );
  for (const amount of ['0.1', '0.2']) {
    const w = await requestWithdrawal(
      backend,
      trader.userId,
      { addressId, amount },
      amount === '0.1' ? '1' : undefined,
    );
    withdrawalIds.push(w.id);
  }
});
afterAll(async () => backend.cleanup());

/** Calls an operation over REST the way an external client would. */
async function call(name: string, input: Record<string, unknown>, headers = owner.headers) {
  const spec = catalogue.find((s) => s.name === name);
  if (!spec) throw new Error(`no operation ${name}`);
  const { method } = httpRouteOf(spec);
  const rest = { ...input };
  const path = httpRouteOf(spec).path.replace(/:([A-Za-z0-9_]+)/g, (_m, key: string) => {
    const value = String(rest[key]);
    delete rest[key];
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams(
    Object.entries(rest).map(([k, v]) => [k, String(v)] as [string, string]),
  ).toString();
  return method === 'GET'
    ? backend.http.inject({ method, url: `/api/v1${path}?${query}`, headers })
    : backend.http.inject({ method, url: `/api/v1${path}`, payload: rest, headers });
}

async function audit(query: Record<string, unknown> = {}, headers = owner.headers) {
  const res = await call('admin.audit.list', query, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: AuditEvent[]; nextCursor?: string };
}

async function newest(): Promise<AuditEvent | undefined> {
  return (await audit({ limit: 1 })).items[0];
}

const candles = [
  'Date,Open,High,Low,Close,Volume',
  '2024-01-01,100,110,95,105,10',
  '2024-01-02,105,112,101,108,12',
  '2024-01-03,108,109,99,100,9',
].join('\n');

describe('the audit trail', () => {
  it('records every admin change in the catalogue: who, what, on what, and the request id', async () => {
    const user = () => trader.userId;
    // In the order they run (unban after ban). A new admin operation that changes something
    // fails this test until it has a row here, i.e. until it is audited.
    const changes: Array<{
      op: string;
      input: () => Record<string, unknown>;
      action: AuditAction;
      target: () => string | null;
      details?: Record<string, unknown>;
    }> = [
      {
        op: 'admin.assets.create',
        input: () => ({ code: 'SOL', scale: 8, name: 'Solana' }),
        action: 'asset.create',
        target: () => 'SOL',
        details: { code: 'SOL', scale: 8, name: 'Solana' },
      },
      {
        op: 'admin.markets.create',
        input: () => SOL_USDT,
        action: 'market.create',
        target: () => 'SOL/USDT',
        details: { tickSize: '0.01', status: 'trading' },
      },
      {
        op: 'admin.markets.update',
        input: () => ({ symbol: 'SOL/USDT', makerFeePpm: 0, status: 'halted' }),
        action: 'market.update',
        target: () => 'SOL/USDT',
        details: {
          makerFeePpm: { from: 500, to: 0 },
          status: { from: 'trading', to: 'halted' },
        },
      },
      {
        op: 'admin.ledger.fund',
        input: () => ({
          userId: user(),
          asset: 'USDT',
          amount: '250.5',
          direction: 'credit',
          reason: 'wire 42',
        }),
        action: 'ledger.fund',
        target: user,
        details: { asset: 'USDT', amount: '250.5', direction: 'credit', reason: 'wire 42' },
      },
      {
        op: 'admin.ledger.correct',
        input: () => ({ userId: user(), asset: 'USDT', amount: '-0.5', reason: 'fee refund' }),
        action: 'ledger.correct',
        target: user,
        details: { asset: 'USDT', amount: '-0.5', reason: 'fee refund' },
      },
      {
        op: 'admin.ledger.reconcile',
        input: () => ({}),
        action: 'ledger.reconcile',
        target: () => null,
        details: { ok: true, problems: 0 },
      },
      {
        op: 'admin.funding.chainSet',
        input: () => ({ chainId: 31337, name: 'Local', rpcUrl: 'http://127.0.0.1:9/key/SECRET' }),
        action: 'funding.chainSet',
        target: () => '31337',
        details: { name: 'Local', rpcUrlChanged: true },
      },
      {
        op: 'admin.funding.assetSet',
        input: () => ({ asset: 'ETH', chainId: 31337, tokenDecimals: 18, confirmations: 12 }),
        action: 'funding.assetSet',
        target: () => 'ETH',
        details: { chainId: 31337, confirmations: 12, depositsEnabled: false },
      },
      {
        op: 'admin.funding.depositResolve',
        input: () => {
          // A reversed deposit, as the listener leaves one after a deep reorg (nothing frozen).
          backend.store.sqlite
            .prepare(
              `INSERT INTO deposits (id, chain_id, tx_hash, log_index, asset, user_id, address, chain_amount,
                 amount, remainder, block_number, block_hash, status, note, ts_seen, ts_updated)
               VALUES (77, 31337, '0xabc', -1, 'ETH', ?, '0x00000000000000000000000000000000000000aa', '1', 0, '1', 5, '0x5', 'reversed',
                 'reorg_after_credit', 0, 0)`,
            )
            .run(user());
          return { id: 77, action: 'write_off', reason: 'never re-mined' };
        },
        action: 'funding.depositResolve',
        target: () => '77',
        details: { action: 'write_off', frozen: '0' },
      },
      {
        op: 'admin.funding.reconcile',
        input: () => ({}),
        action: 'funding.reconcile',
        target: () => null,
        details: { ok: false },
      },
      {
        op: 'admin.paper.instruments.save',
        input: () => ({
          ...DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTC-FUT')!,
          spreadPpm: 150,
        }),
        action: 'paperInstrument.save',
        target: () => 'BTC-FUT',
      },
      {
        op: 'admin.simulator.pause',
        input: () => ({ symbol: 'BTC/USDT' }),
        action: 'simulator.pause',
        target: () => 'BTC/USDT',
      },
      {
        op: 'admin.simulator.tune',
        input: () => ({ symbol: 'BTC/USDT', spreadBps: 12 }),
        action: 'simulator.tune',
        target: () => 'BTC/USDT',
        details: { spreadBps: 12 },
      },
      {
        op: 'admin.simulator.replay',
        input: () => ({ symbol: 'BTC/USDT', name: 'three days.csv', content: candles }),
        action: 'simulator.replay',
        target: () => 'BTC/USDT',
        details: { name: 'three days.csv', bytes: candles.length, candles: 3 },
      },
      {
        op: 'admin.simulator.resume',
        input: () => ({}),
        action: 'simulator.resume',
        target: () => null,
      },
      {
        op: 'jobs.trigger',
        input: () => ({ name: 'ledger.reconcile' }),
        action: 'job.trigger',
        target: () => 'ledger.reconcile',
      },
      {
        op: 'withdrawals.approve',
        input: () => ({ id: withdrawalIds[0] }),
        action: 'withdrawal.approve',
        target: () => withdrawalIds[0]!,
        details: { approvals: 1, required: 2 },
      },
      {
        op: 'withdrawals.reject',
        input: () => ({ id: withdrawalIds[1], reason: 'unknown destination' }),
        action: 'withdrawal.reject',
        target: () => withdrawalIds[1]!,
        details: { reason: 'unknown destination' },
      },
      {
        op: 'withdrawals.setHotWallet',
        input: () => ({ chainId: 31337, privateKey: `0x${'33'.repeat(32)}` }),
        action: 'withdrawal.hotWallet',
        target: () => '31337',
        details: { address: '0x5CbDd86a2FA8Dc4bDdd8a8f69dBa48572EeC07FB' },
      },
      {
        op: 'admin.users.setRole',
        input: () => ({ userId: user(), role: 'viewer' }),
        action: 'user.setRole',
        target: user,
        details: { from: 'trader', to: 'viewer' },
      },
      {
        op: 'admin.users.endSessions',
        input: () => ({ userId: user() }),
        action: 'user.endSessions',
        target: user,
      },
      {
        op: 'admin.users.ban',
        input: () => ({ userId: user() }),
        action: 'user.ban',
        target: user,
      },
      {
        op: 'admin.users.unban',
        input: () => ({ userId: user() }),
        action: 'user.unban',
        target: user,
      },
    ];
    const adminChanges = catalogue
      .filter((s) => s.mutates && String(s.access).startsWith('admin.'))
      .map((s) => s.name)
      .sort();
    expect(changes.map((c) => c.op).sort()).toEqual(adminChanges);

    for (const change of changes) {
      clock += 1_000;
      const res = await call(change.op, change.input());
      expect(res.statusCode, `${change.op}: ${res.body}`).toBe(200);
      const event = await newest();
      expect(event, change.op).toMatchObject({
        ts: clock,
        actor: owner.userId,
        actorEmail: 'owner@example.test',
        action: change.action,
        target: change.target(),
        correlationId: res.headers['x-correlation-id'],
      });
      if (change.details) expect(event?.details, change.op).toMatchObject(change.details);
      if (change.target() === trader.userId) expect(event?.targetEmail).toBe('trader@example.test');
    }
  });

  it('leaves no event for a refused change, nor for a change whose commit failed', async () => {
    const before = await newest();
    const fund = {
      userId: trader.userId,
      asset: 'USDT',
      amount: '1',
      direction: 'credit',
      reason: 'x',
    };
    const refused = await call('admin.ledger.fund', { ...fund, asset: 'NOPE' });
    expect(refused.statusCode).toBe(404);
    expect((await newest())?.id).toBe(before?.id);

    const entries = () =>
      (
        backend.store.sqlite.prepare('SELECT count(*) AS n FROM ledger_entries').get() as {
          n: number;
        }
      ).n;
    const entriesBefore = entries();
    exchangeOf(backend).injectCommitFailure();
    const failed = await call('admin.ledger.fund', fund);
    expect(failed.statusCode).toBe(503);
    expect(entries()).toBe(entriesBefore);
    expect((await newest())?.id).toBe(before?.id);

    // …and the same change, committed, is audited once.
    expect((await call('admin.ledger.fund', fund)).statusCode).toBe(200);
    expect(await newest()).toMatchObject({ action: 'ledger.fund', target: trader.userId });
  });

  it('filters by action, actor, target and date, and pages newest first without gaps', async () => {
    const all: AuditEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await audit({ limit: 4, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    const count = backend.store.sqlite.prepare('SELECT count(*) AS n FROM audit_events').get() as {
      n: number;
    };
    expect(all).toHaveLength(count.n);

    const funds = await audit({ action: 'ledger.fund' });
    expect(funds.items.length).toBeGreaterThanOrEqual(2);
    expect(funds.items.every((e) => e.action === 'ledger.fund')).toBe(true);

    const byTrader = await audit({ actor: trader.userId });
    expect(byTrader.items.length).toBeGreaterThan(0);
    expect(byTrader.items.every((e) => e.actor === trader.userId)).toBe(true);
    expect(byTrader.items.map((e) => e.action)).toContain('session.login');

    const onMarket = await audit({ target: 'SOL/USDT' });
    expect(onMarket.items.map((e) => e.action)).toEqual(['market.update', 'market.create']);

    const combined = await audit({
      actor: owner.userId,
      target: trader.userId,
      action: 'user.ban',
    });
    expect(combined.items).toHaveLength(1);

    const middle = all[Math.floor(all.length / 2)];
    const earlier = await audit({ until: middle?.ts, limit: 200 });
    expect(earlier.items.length).toBeGreaterThan(0);
    expect(earlier.items.every((e) => e.ts < (middle?.ts ?? 0))).toBe(true);
    expect(earlier.items.length).toBe(all.filter((e) => e.ts < (middle?.ts ?? 0)).length);

    for (const wrong of [
      { action: 'made.up' },
      { limit: 0 },
      { limit: 201 },
      { cursor: 'abc' },
      { cursor: '-5' },
      { until: -1 },
      { actor: '' },
      { target: 'x'.repeat(129) },
    ]) {
      const bad = await call('admin.audit.list', wrong);
      expect(bad.statusCode, JSON.stringify(wrong)).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.json()).toMatchObject({ code: 'validation_failed' });
    }
  });

  it('reads every filter from an index, never by sorting or scanning the trail', async () => {
    const queries = [
      {},
      { action: 'ledger.fund' },
      { actor: owner.userId },
      { target: 'SOL/USDT' },
      { until: clock },
      { cursor: '5', action: 'user.ban', actor: owner.userId },
    ];
    for (const q of queries) {
      const sqls = await preparedDuring(backend.store.sqlite, () =>
        backend.invoke('admin.audit.list', q, {
          kind: 'user',
          userId: owner.userId,
          role: 'owner',
          permissions: new Set(['audit.read']),
        }),
      );
      const select = sqls.filter((s) => s.includes('FROM audit_events'));
      expect(select.length, JSON.stringify(q)).toBeGreaterThan(0);
      for (const sql of select) {
        const plan = queryPlan(backend.store.sqlite, sql);
        expect(plan, `${JSON.stringify(q)}: ${plan}`).not.toMatch(
          /SCAN e\b|SCAN audit_events|TEMP B-TREE/,
        );
      }
    }
  });

  it('records what users do to their trading accounts and automation, and the key they used', async () => {
    const me = await createUser(backend, 'trader');
    const mine = async (action: AuditAction) => {
      const event = (await audit({ actor: me.userId, action, limit: 1 })).items[0];
      expect(event, action).toBeDefined();
      return event!;
    };
    const ok = async (res: Awaited<ReturnType<typeof call>>) => {
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Record<string, unknown>;
    };
    const created = await ok(
      await call('accounts.create', { venue: 'paper', name: 'Swing' }, me.headers),
    );
    const id = (created.account as { id: string }).id;
    expect(await mine('tradingAccount.create')).toMatchObject({
      target: id,
      details: { venue: 'paper', name: 'Swing', mode: 'demo' },
    });

    await ok(await call('accounts.update', { id, name: 'Swing main', enabled: false }, me.headers));
    expect((await mine('tradingAccount.update')).details).toEqual({
      name: { from: 'Swing', to: 'Swing main' },
      enabled: { from: true, to: false },
    });

    const token = await ok(await call('accounts.regenerateToken', { id }, me.headers));
    const webhookToken = String(token.webhookToken);
    const replaced = await mine('tradingAccount.token');
    expect(replaced.details).toEqual({ tokenHint: webhookToken.slice(-4) });
    expect(JSON.stringify(replaced)).not.toContain(webhookToken);

    const risk = await ok(await call('automation.risk.get', { accountId: id }, me.headers));
    const settings = risk.settings as Record<string, unknown>;
    await ok(
      await call(
        'automation.risk.set',
        { accountId: id, settings: { ...settings, maxTradesPerDay: 7 } },
        me.headers,
      ),
    );
    expect(await mine('automation.risk')).toMatchObject({
      target: id,
      details: { maxTradesPerDay: { from: settings.maxTradesPerDay, to: 7 } },
    });

    await ok(
      await call(
        'automation.receiver.set',
        { tvAllowlist: false, trustedProxy: null, dedupeWindowSec: 120 },
        me.headers,
      ),
    );
    expect((await mine('automation.receiver')).details).toMatchObject({
      dedupeWindowSec: { to: 120 },
    });

    await ok(await call('automation.emergencyStop', { reason: 'fat finger' }, me.headers));
    expect((await mine('automation.emergencyStop')).details).toMatchObject({
      reason: 'fat finger',
    });
    await ok(await call('automation.rearm', {}, me.headers));
    expect((await mine('automation.rearm')).details).toEqual({ rearmed: 1 });

    await ok(await call('accounts.delete', { id }, me.headers));
    expect(await mine('tradingAccount.delete')).toMatchObject({
      target: id,
      details: { name: 'Swing main', venue: 'paper' },
    });

    // Through a signed API key request: the trail names the key as well as its owner. (A key
    // may not create accounts, which carry webhook tokens: it renames one made in a session.)
    const bot = await ok(
      await call('accounts.create', { venue: 'paper', name: 'Bot' }, me.headers),
    );
    const url = `/api/v1/accounts/${(bot.account as { id: string }).id}`;
    const key = await createApiKey(backend, me, { scopes: ['read', 'trade'] });
    const body = JSON.stringify({ name: 'Bot 2' });
    const res = await backend.http.inject({
      method: 'PATCH',
      url,
      payload: body,
      headers: signedHeaders(key, 'PATCH', url, body, { timestamp: clock }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await mine('tradingAccount.update')).toMatchObject({
      details: { name: { from: 'Bot', to: 'Bot 2' }, apiKey: key.id },
      correlationId: res.headers['x-correlation-id'],
    });
  });

  it('is readable by auditors and support, not by traders', async () => {
    const auditor = await createUser(backend, 'auditor');
    const support = await createUser(backend, 'support');
    const viewer = await createUser(backend, 'viewer');
    expect((await call('admin.audit.list', {}, auditor.headers)).statusCode).toBe(200);
    expect((await call('admin.audit.list', {}, support.headers)).statusCode).toBe(200);
    expect((await call('admin.audit.list', {}, viewer.headers)).statusCode).toBe(403);
    // The trail names people and their addresses: reading it needs 2FA, as admin actions do.
    const unprotected = await createUser(backend, 'auditor', { twoFactor: false });
    const refused = await call('admin.audit.list', {}, unprotected.headers);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'two_factor_required' });
  });
});
