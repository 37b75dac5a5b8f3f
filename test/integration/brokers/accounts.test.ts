import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { rejects, trader } from '../../helpers/exchange';
import { MemoryBroker } from '../../fakes/memory-broker';

/**
 * Broker accounts above the broker port (the memory broker stands in for a connector):
 * creation tests the connection before anything is saved, credentials go to the secret
 * store only, alerts become broker orders through the journal, and outages are refused or
 * queued as the user chose.
 */

let backend: TestBackend;
let broker: MemoryBroker;
let me: Principal;

const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;

interface Created {
  account: { id: string; venue: string; settings: Record<string, string> | null };
  webhookToken: string;
  connection?: { permissions: { withdraw: boolean | null }; account: { id: string } };
}

const create = (extra: Record<string, unknown> = {}) =>
  invoke<Created>('accounts.create', {
    venue: 'memory',
    name: 'Broker',
    settings: { server: 'DEMO-1' },
    credentials: { apiKey: 'good' },
    ...extra,
  });

const alert = async (token: string, body: Record<string, unknown>) => {
  const res = await backend.http.inject({
    method: 'POST',
    url: `/hooks/tv/${token}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
};

/** A fill as the broker's stream pushes it. */
const aFill = () =>
  ({
    type: 'fill',
    fill: {
      fillId: 'F1',
      orderId: 'M1',
      clientOrderId: null,
      symbol: 'EURUSD',
      side: 'buy',
      qty: '0.1',
      price: '1.1',
      time: Date.now(),
    },
  }) as const;

beforeEach(async () => {
  broker = new MemoryBroker();
  backend = await startTestBackend({}, { extraBrokers: [broker.definition()] });
  const user = await createUser(backend, 'trader');
  me = trader(user.userId);
});
afterEach(async () => {
  await backend.cleanup();
});

describe('broker accounts', () => {
  it('lists the venue with its form', async () => {
    const { items } = await invoke<{
      items: Array<{
        venue: string;
        external: boolean;
        fields: Array<{ name: string; masked: boolean }>;
      }>;
    }>('accounts.venues', {});
    const v = items.find((x) => x.venue === 'memory')!;
    expect(v.external).toBe(true);
    expect(v.fields.map((f) => [f.name, f.masked])).toEqual([
      ['server', false],
      ['apiKey', true],
    ]);
    expect(items.find((x) => x.venue === 'paper')!.external).toBe(false);
  });

  it('tests the connection on creation and keeps credentials out of the database', async () => {
    const created = await create();
    expect(created.connection?.account.id).toBe('ACC-1');
    expect(created.account.settings).toEqual({ server: 'DEMO-1' });
    const row = backend.store.sqlite
      .prepare('SELECT * FROM trading_accounts WHERE id = ?')
      .get(created.account.id) as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain('good');
    expect(row.credentials_ref).toBe(`broker:${created.account.id}`);
    expect(await backend.secrets.get(`broker:${created.account.id}`)).toBe(
      JSON.stringify({ apiKey: 'good' }),
    );
  });

  it('refuses wrong credentials and leaves nothing behind', async () => {
    await rejects(create({ credentials: { apiKey: 'bad' } }), 'broker_auth_failed');
    const n = backend.store.sqlite.prepare('SELECT count(*) AS n FROM trading_accounts').get() as {
      n: number;
    };
    expect(n.n).toBe(0);
  });

  it('refuses a key that can withdraw for a trade-only account, accepts it when allowed', async () => {
    await rejects(create({ credentials: { apiKey: 'withdraw' } }), 'broker_key_too_powerful');
    const ok = await create({ credentials: { apiKey: 'withdraw' }, tradeOnly: false });
    expect(ok.connection?.permissions.withdraw).toBe(true);
  });

  it('validates the form: required, misplaced and unknown fields', async () => {
    await rejects(create({ settings: {} }), 'validation_failed');
    await rejects(
      create({ settings: { server: 'X', apiKey: 'good' }, credentials: {} }),
      'validation_failed',
    );
    await rejects(create({ settings: { server: 'X', colour: 'red' } }), 'validation_failed');
    await rejects(
      create({ settings: { server: 'X', baseUrl: 'http://example.com' } }),
      'validation_failed',
    );
  });

  it('an alert becomes a broker order, journaled with its client id', async () => {
    const { account, webhookToken } = await create();
    const r = await alert(webhookToken, { ticker: 'EURUSD', action: 'buy', quantity: '0.10' });
    expect(r.status).toBe(200);
    expect(broker.placed).toBe(1);
    const [o] = [...broker.orders.values()];
    const row = backend.store.sqlite
      .prepare('SELECT * FROM broker_orders WHERE account_id = ?')
      .get(account.id) as Record<string, unknown>;
    expect(row.client_order_id).toBe(o!.clientOrderId);
    expect(row.venue_order_id).toBe(o!.orderId);
    expect(row.status).toBe('filled');
    const state = await invoke<{ positions: Array<{ symbol: string; qty: string }> }>(
      'brokers.state',
      { id: account.id },
    );
    expect(state.positions).toEqual([expect.objectContaining({ symbol: 'EURUSD', qty: '0.1' })]);
  });

  it('the order leaves only once its journal row (and the alert claim) is on disk', async () => {
    const { account, webhookToken } = await create();
    await invoke('brokers.state', { id: account.id });
    const durable = backend.store.durable;
    const held: Array<() => void> = [];
    backend.store.durable = () => new Promise<void>((r) => held.push(r)).then(() => durable());
    const pending = alert(webhookToken, { ticker: 'EURUSD', action: 'buy', quantity: '0.10' });
    await vi.waitFor(() => expect(held.length).toBeGreaterThan(0));
    const row = backend.store.sqlite
      .prepare('SELECT status FROM broker_orders WHERE account_id = ?')
      .get(account.id);
    expect(row).toEqual({ status: 'sending' });
    const claims = backend.store.sqlite
      .prepare('SELECT count(*) AS n FROM automation_dedupe')
      .get();
    expect(claims).toEqual({ n: 1 });
    expect(broker.placed).toBe(0);
    backend.store.durable = durable;
    for (const release of held.splice(0)) release();
    expect((await pending).status).toBe(200);
    expect(broker.placed).toBe(1);
  });

  it('resolves an order whose answer was lost by its client id, placing it once', async () => {
    const { account, webhookToken } = await create();
    broker.loseNextPlaceAnswer = true;
    const r = await alert(webhookToken, { ticker: 'EURUSD', action: 'buy', quantity: '0.10' });
    expect(r.status).toBe(200);
    expect(broker.placed).toBe(1);
    const row = backend.store.sqlite
      .prepare('SELECT status FROM broker_orders WHERE account_id = ?')
      .get(account.id) as { status: string };
    expect(row.status).toBe('filled');
  });

  it('refuses an alert with the reason when the broker is down and no wait was allowed', async () => {
    const { account, webhookToken } = await create();
    await invoke('brokers.state', { id: account.id });
    broker.down = true;
    const r = await alert(webhookToken, { ticker: 'EURUSD', action: 'buy', quantity: '0.10' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(r.body)).toContain('broker_unavailable');
    const row = backend.store.sqlite
      .prepare('SELECT status, error FROM broker_orders WHERE account_id = ?')
      .get(account.id) as { status: string; error: string };
    expect(row.status).toBe('not_placed');
    expect(row.error).toContain('cannot reach');
  });

  it('queues an order for an unreachable broker when the user allowed a wait', async () => {
    const { account, webhookToken } = await create({ outageQueueSec: 60 });
    await invoke('brokers.state', { id: account.id });
    broker.down = true;
    const r = await alert(webhookToken, { ticker: 'EURUSD', action: 'buy', quantity: '0.10' });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).toContain('queued');
    const row = backend.store.sqlite
      .prepare('SELECT status FROM broker_orders WHERE account_id = ?')
      .get(account.id) as { status: string };
    expect(row.status).toBe('queued');
  });

  it('places from the API with a client id exactly once', async () => {
    const { account } = await create();
    const req = {
      id: account.id,
      symbol: 'EURUSD',
      side: 'buy',
      type: 'limit',
      qty: '0.10',
      price: '1.0500',
      clientOrderId: 'my-order-1',
    };
    const a = await invoke<{ orderId: string; status: string }>('brokers.place', req);
    const b = await invoke<{ orderId: string }>('brokers.place', req);
    expect(b.orderId).toBe(a.orderId);
    expect(a.status).toBe('open');
    expect(broker.placed).toBe(1);
    await rejects(
      invoke('brokers.place', { ...req, clientOrderId: 'x2', symbol: 'NOPE' }),
      'unknown_symbol',
    );
    const c = await invoke<{ cancelled: number }>('brokers.cancel', {
      id: account.id,
      orderId: a.orderId,
    });
    expect(c.cancelled).toBe(1);
  });

  it('reads balances again after a fill (brokers that do not stream them)', async () => {
    const { account } = await create();
    await invoke('brokers.state', { id: account.id });
    broker.balances = [{ asset: 'USD', total: '9890', available: '9890' }];
    broker.emit(aFill());
    const end = Date.now() + 5_000;
    let balances: Array<{ total: string }> = [];
    while (Date.now() < end) {
      ({ balances } = await invoke<{ balances: Array<{ total: string }> }>('brokers.state', {
        id: account.id,
      }));
      if (balances[0]?.total === '9890') break;
      await new Promise((r) => setImmediate(r));
    }
    expect(balances[0]?.total).toBe('9890');
  });

  it('does not re-read balances after a fill when the stream pushes them (request budget)', async () => {
    broker.streamsBalances = true;
    const { account } = await create();
    await invoke('brokers.state', { id: account.id });
    const read = broker.balancesRead;
    broker.emit(aFill());
    broker.emit({
      type: 'balances',
      balances: [{ asset: 'USD', total: '9890', available: '9890' }],
    });
    const state = await invoke<{ balances: Array<{ total: string }> }>('brokers.state', {
      id: account.id,
    });
    expect(state.balances[0]?.total).toBe('9890');
    await new Promise((r) => setImmediate(r));
    expect(broker.balancesRead).toBe(read);
  });

  it('emergency stop flattens at the broker and reports per account', async () => {
    const { account, webhookToken } = await create();
    await alert(webhookToken, { ticker: 'EURUSD', action: 'buy', quantity: '0.10' });
    const manager = { ...me, permissions: new Set(['automation.manage']) } as Principal;
    const stopped = await invoke<{ accounts: Array<{ accountId: string; closed: number }> }>(
      'automation.emergencyStop',
      { accountId: account.id, reason: 'test' },
      manager,
    );
    expect(stopped.accounts).toEqual([
      expect.objectContaining({ accountId: account.id, closed: 1 }),
    ]);
    expect(broker.positions.size).toBe(0);
  });

  it('shows positions of every account in one table', async () => {
    const { account, webhookToken } = await create();
    await alert(webhookToken, { ticker: 'EURUSD', action: 'sell', quantity: '0.20' });
    const all = await invoke<{
      items: Array<{ accountId: string; side: string; qty: string }>;
      accounts: Array<{ accountId: string; connection: string; positions: number }>;
    }>('brokers.positions', {});
    expect(all.items).toEqual([
      expect.objectContaining({ accountId: account.id, side: 'short', qty: '0.2' }),
    ]);
    expect(all.accounts).toEqual([
      expect.objectContaining({ accountId: account.id, connection: 'up', positions: 1 }),
    ]);
  });

  it('brokers.candles refuses bad input and venues without history', async () => {
    const { account } = await create();
    await rejects(
      invoke('brokers.candles', { id: account.id, symbol: 'EURUSD', interval: 7 }),
      'validation_failed',
    );
    await rejects(
      invoke('brokers.candles', { id: account.id, symbol: 'EURUSD', interval: 60 }),
      'unsupported_by_venue',
    );
    const paper = await invoke<Created>('accounts.create', { venue: 'paper', name: 'Paper' });
    await rejects(
      invoke('brokers.candles', { id: paper.account.id, symbol: 'BTC/USDT', interval: 60 }),
      'unknown_venue',
    );
  });

  it('delete removes the credentials from the secret store', async () => {
    const { account } = await create();
    await invoke('accounts.delete', { id: account.id });
    expect(await backend.secrets.get(`broker:${account.id}`)).toBeNull();
  });
});

describe('live prices of broker positions', () => {
  interface Portfolio {
    items: Array<{ symbol: string; markPrice: string | null; unrealisedPnl: string | null }>;
    accounts: Array<{ unrealisedPnl: string | null }>;
  }
  const mnq = () => invoke<Portfolio>('brokers.positions', {});
  /** An account whose session has done its first read (a later push is not overwritten by it). */
  const live = async () => {
    const { account } = await create();
    await invoke('brokers.state', { id: account.id });
  };

  it('watches the held symbols, values a position the broker gives no P&L for, and forgets closed ones', async () => {
    await live();
    expect(broker.watched).toEqual([]);
    broker.setPosition({
      symbol: 'MNQ',
      side: 'long',
      qty: '2',
      avgPrice: '21000',
      unrealisedPnl: null,
    });
    expect(broker.watched).toEqual(['MNQ']);
    // No price yet: no mark, no P&L (never a made-up zero).
    expect((await mnq()).items[0]).toMatchObject({ markPrice: null, unrealisedPnl: null });

    // A long is worth the bid: (21010.25 − 21000) × 2 contracts × $0.50 per 0.25 tick = $41.
    broker.quote('MNQ', '21010.25', '21010.5');
    let p = await mnq();
    expect(p.items[0]).toMatchObject({ markPrice: '21010.25', unrealisedPnl: '41' });
    expect(p.accounts[0]!.unrealisedPnl).toBe('41');

    // A short is worth the ask; the loss rounds half-even to cents.
    broker.setPosition({
      symbol: 'MNQ',
      side: 'short',
      qty: '3',
      avgPrice: '21000.1',
      unrealisedPnl: null,
    });
    broker.quote('MNQ', '21010', '21010.25');
    p = await mnq();
    expect(p.items[0]).toMatchObject({ markPrice: '21010.25', unrealisedPnl: '-60.9' });

    // The broker's own figure wins when it sends one (it knows swaps and conversions).
    broker.setPosition({
      symbol: 'MNQ',
      side: 'short',
      qty: '3',
      avgPrice: '21000.1',
      unrealisedPnl: '-61.2',
    });
    expect((await mnq()).items[0]).toMatchObject({ markPrice: '21010.25', unrealisedPnl: '-61.2' });

    // Closed: the session stops watching and drops the price (a stale one would mislead).
    broker.positions.delete('MNQ');
    broker.emit({ type: 'position_closed', symbol: 'MNQ' });
    expect(broker.watched).toEqual([]);
    broker.setPosition({
      symbol: 'MNQ',
      side: 'long',
      qty: '1',
      avgPrice: '21000',
      unrealisedPnl: null,
    });
    expect((await mnq()).items[0]).toMatchObject({ markPrice: null, unrealisedPnl: null });
  });

  it('a forex position in a currency other than the account is not valued as if it were', async () => {
    await live();
    broker.setPosition({
      symbol: 'EURUSD',
      side: 'long',
      qty: '1',
      avgPrice: '1.1',
      unrealisedPnl: null,
    });
    broker.quote('EURUSD', '1.1050', '1.1052');
    const p = await mnq();
    // The memory broker's EURUSD has no quote currency: the mark shows, the P&L stays unknown.
    expect(p.items[0]).toMatchObject({ markPrice: '1.1050', unrealisedPnl: null });
  });
});

describe('alerts that name their account', () => {
  it('the unify path routes by its broker to the owner’s account there', async () => {
    const { account } = await create();
    const paper = await invoke<Created>('accounts.create', { venue: 'paper', name: 'Paper' });
    const res = await backend.http.inject({
      method: 'POST',
      url: '/api/unify/v1/webhook/memory',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${paper.webhookToken}`,
      },
      payload: JSON.stringify({
        version: 'unify.v1',
        intent: { side: 'buy', type: 'market', symbol: 'EURUSD', qty: '0.3' },
      }),
    });
    expect(res.statusCode).toBe(200);
    expect(broker.placed).toBe(1);
    const row = backend.store.sqlite.prepare('SELECT account_id FROM broker_orders').get() as {
      account_id: string;
    };
    expect(row.account_id).toBe(account.id);
  });

  it('intent.account picks an account by name; another user’s account is never reached', async () => {
    const mine = await create({ name: 'Prop 50K' });
    const paper = await invoke<Created>('accounts.create', { venue: 'paper', name: 'Paper' });
    const other = await createUser(backend, 'trader', { email: 'someone-else@example.com' });
    const theirs = await invoke<Created>(
      'accounts.create',
      {
        venue: 'memory',
        name: 'Theirs',
        settings: { server: 'D' },
        credentials: { apiKey: 'good' },
      },
      trader(other.userId),
    );
    const send = (accountRef: string) =>
      alert(paper.webhookToken, {
        version: 'unify.v1',
        intent: { side: 'buy', type: 'market', symbol: 'EURUSD', qty: '0.1', account: accountRef },
      });
    expect((await send('prop 50k')).status).toBe(200);
    expect(broker.placed).toBe(1);
    const refused = await send(theirs.account.id);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(refused.body)).toContain('unknown_account');
    expect(broker.placed).toBe(1);
    expect(mine.account.id).toBeTruthy();
  });

  it("the broker's own day P&L counts, and is asked only when a daily rule needs it", async () => {
    broker.dayPnl = '250';
    const { account, webhookToken } = await create();
    // Different quantities: the same body twice would be a duplicate delivery.
    const buy = (quantity: string) =>
      alert(webhookToken, { ticker: 'EURUSD', action: 'buy', quantity });
    expect((await buy('0.10')).status).toBe(200);
    expect(broker.dayPnlAsked).toBe(0);
    const manager = { ...me, permissions: new Set(['automation.manage']) } as Principal;
    const risk = await invoke<{ settings: Record<string, unknown> }>(
      'automation.risk.get',
      { accountId: account.id },
      manager,
    );
    await invoke(
      'automation.risk.set',
      { accountId: account.id, settings: { ...risk.settings, dailyProfitTarget: '200' } },
      manager,
    );
    const r = await buy('0.20');
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toContain('profit target');
    expect(broker.dayPnlAsked).toBe(1);
  });

  it('a daily profit target stops entries once reached', async () => {
    const { account, webhookToken } = await create();
    const manager = { ...me, permissions: new Set(['automation.manage']) } as Principal;
    const risk = await invoke<{ settings: Record<string, unknown> }>(
      'automation.risk.get',
      { accountId: account.id },
      manager,
    );
    await invoke(
      'automation.risk.set',
      { accountId: account.id, settings: { ...risk.settings, dailyProfitTarget: '100' } },
      manager,
    );
    broker.setPosition({
      symbol: 'MNQ',
      side: 'long',
      qty: '1',
      avgPrice: '21000',
      unrealisedPnl: '150',
    });
    const r = await alert(webhookToken, { ticker: 'EURUSD', action: 'buy', quantity: '0.10' });
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toContain('profit target');
    expect(broker.placed).toBe(0);
  });
});

describe('restart recovery', () => {
  it('orders a crash left unresolved are settled by client id when the session starts', async () => {
    await backend.cleanup();
    const { tempDataDir } = await import('../../helpers/backend');
    const dataDir = tempDataDir();
    const config = { dataDir, secrets: 'plaintext-file' as const };
    backend = await startTestBackend(config, { extraBrokers: [broker.definition()] });
    const user = await createUser(backend, 'trader');
    me = trader(user.userId);
    const { account } = await create();
    // The broker has one order Bourse never heard back about; a second never reached it.
    const reached = await broker.connector('memory', {}, { apiKey: 'good' }).place({
      clientOrderId: 'crash-1',
      symbol: 'EURUSD',
      side: 'buy',
      type: 'limit',
      qty: '0.1',
      price: '1.0',
    });
    const insert = backend.store.sqlite.prepare(
      `INSERT INTO broker_orders (account_id, client_order_id, symbol, side, type, qty, status, created_at, updated_at)
       VALUES (?, ?, 'EURUSD', 'buy', 'limit', '0.1', 'sending', 0, 0)`,
    );
    insert.run(account.id, 'crash-1');
    insert.run(account.id, 'crash-2');
    await backend.close();

    backend = await startTestBackend(config, { extraBrokers: [broker.definition()] });
    await invoke('brokers.state', { id: account.id });
    const rows = Object.fromEntries(
      (
        backend.store.sqlite
          .prepare('SELECT client_order_id, status, venue_order_id FROM broker_orders')
          .all() as Array<{ client_order_id: string; status: string; venue_order_id: string }>
      ).map((r) => [r.client_order_id, r]),
    );
    expect(rows['crash-1']).toMatchObject({ status: 'open', venue_order_id: reached.orderId });
    expect(rows['crash-2']).toMatchObject({ status: 'not_placed' });
    expect(broker.placed).toBe(1);
  });
});
