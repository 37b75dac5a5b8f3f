import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser, type TestSession } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { admin, exchangeOf, fund, rejects, trader } from '../../helpers/exchange';

let backend: TestBackend;
let user: TestSession;
let me: Principal;

const MAKER = 'paper-test-maker';

interface AccountView {
  id: string;
  name: string;
  venue: string;
  enabled: boolean;
  tokenHint: string;
  summary: null | {
    balance: string;
    equity: string;
    unrealisedPnl: string;
    marginUsed: string;
    freeMargin: string;
    marginLevelPct: string | null;
    marginState: string;
    openPositions: number;
  };
}
interface Created {
  account: AccountView;
  webhookToken: string;
  webhookPath: string;
}
interface Position {
  symbol: string;
  side: string;
  qty: string;
  entryPrice: string;
  margin: string;
  unrealisedPnl: string | null;
  realisedPnl: string;
  stopLoss: string | null;
  takeProfit: string | null;
}
interface Fill {
  id: number;
  side: string;
  qty: string;
  price: string;
  touchPrice: string;
  commission: string;
  realisedPnl: string;
  reason: string;
}

const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;

/** The maker's quotes on BTC/USDT: one bid and one ask of `depth` BTC. */
async function quote(bid: string, ask: string, depth = '20') {
  const x = exchangeOf(backend);
  await invoke('orders.cancelAll', { symbol: 'BTC/USDT' }, trader(MAKER));
  await invoke(
    'orders.place',
    { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: bid, qty: depth },
    trader(MAKER),
  );
  await invoke(
    'orders.place',
    { symbol: 'BTC/USDT', side: 'sell', type: 'limit', price: ask, qty: depth },
    trader(MAKER),
  );
  await x.flush();
}

const ledger = (owner: string, asset = 'USDT') =>
  exchangeOf(backend).holdings(owner, asset).available;

beforeEach(async () => {
  backend = await startTestBackend();
  user = await createUser(backend, 'trader');
  me = trader(user.userId);
  await fund(backend, MAKER, 'BTC', '1000');
  await fund(backend, MAKER, 'USDT', '100000000');
  await quote('29990.00', '30000.00');
});
afterEach(async () => {
  await backend.cleanup();
});

const createPaper = (extra: Record<string, unknown> = {}) =>
  invoke<Created>('accounts.create', { venue: 'paper', name: 'Paper', ...extra });
const positions = (id: string) =>
  invoke<{ items: Position[]; summary: AccountView['summary'] }>('accounts.positions', { id });

describe('trading accounts', () => {
  it('answers the webhook token once and keeps only its hash', async () => {
    const created = await createPaper();
    expect(created.webhookToken).toMatch(/^tv_[A-Za-z0-9_-]{32}$/);
    expect(created.webhookPath).toBe(`/hooks/tv/${created.webhookToken}`);
    expect(created.account.tokenHint).toBe(created.webhookToken.slice(-4));
    const list = await invoke<{ items: AccountView[] }>('accounts.list', {});
    expect(JSON.stringify(list)).not.toContain(created.webhookToken);
    const row = backend.store.sqlite
      .prepare('SELECT * FROM trading_accounts WHERE id = ?')
      .get(created.account.id) as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(created.webhookToken);
    expect(row.token_hash).toBe(
      crypto.createHash('sha256').update(created.webhookToken).digest('hex'),
    );

    // Regenerating: the old token stops working at once, the new one works.
    const again = await invoke<Created>('accounts.regenerateToken', { id: created.account.id });
    const hook = (token: string) =>
      backend.http.inject({
        method: 'POST',
        url: `/hooks/tv/${token}`,
        payload: JSON.stringify({ ticker: 'BTCUSDT', action: 'buy', quantity: '0.01' }),
        headers: { 'content-type': 'application/json' },
      });
    expect((await hook(created.webhookToken)).statusCode).toBe(401);
    const ok = await hook(again.webhookToken);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await positions(created.account.id)).items).toMatchObject([
      { symbol: 'BTC/USDT', side: 'long', qty: '0.01000000' },
    ]);
  });

  it('funds a paper account through the ledger and refuses bad input with clear codes', async () => {
    const created = await createPaper({ initialBalance: '2500' });
    expect(created.account.summary).toMatchObject({
      balance: '2500.000000',
      equity: '2500.000000',
      marginUsed: '0.000000',
      marginLevelPct: null,
      openPositions: 0,
    });
    expect(ledger(`paper:${created.account.id}`)).toBe(2_500_000_000n);
    expect(ledger('system:paper-broker')).toBe(-2_500_000_000n);

    await rejects(createPaper(), 'conflict'); // same name
    await rejects(invoke('accounts.create', { venue: 'nowhere', name: 'X' }), 'unknown_venue');
    await rejects(
      invoke('accounts.create', { venue: 'paper', name: 'Y', baseCurrency: 'XYZ' }),
      'unknown_asset',
    );
    await rejects(
      invoke('accounts.create', { venue: 'paper', name: 'Z', paperConfig: { maxLeverage: 0 } }),
      'validation_failed',
    );
    await rejects(
      invoke('accounts.create', {
        venue: 'paper',
        name: 'Z',
        paperConfig: { maxLeverage: 5, defaultLeverage: 10 },
      }),
      'invalid_paper_config',
    );
    await rejects(
      invoke('accounts.create', { venue: 'paper', name: 'Z', mode: 'live' }),
      'validation_failed',
    );
    // Another user cannot see or touch the account.
    const other = trader('someone-else');
    await rejects(
      invoke('accounts.positions', { id: created.account.id }, other),
      'unknown_account',
    );
  });

  it('keeps the original design route: POST /register/{broker} over HTTP', async () => {
    for (const url of ['/register/paper', '/api/v1/register/paper']) {
      const res = await backend.http.inject({
        method: 'POST',
        url,
        payload: { name: `Registered ${url.length}` },
        headers: { ...user.headers, 'content-type': 'application/json' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as Created & { token: string };
      expect(body.token).toBe(body.webhookToken);
      expect(body.account.venue).toBe('paper');
    }
    const anonymous = await backend.http.inject({
      method: 'POST',
      url: '/register/paper',
      payload: { name: 'Nobody' },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('the paper broker', () => {
  it('opens, adds, partially closes and flips, with every cash effect in the ledger', async () => {
    const { account } = await createPaper({
      paperConfig: { spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 1000, maxLeverage: 20 },
    });
    const owner = `paper:${account.id}`;
    const open = await invoke<{ fill: Fill; position: Position }>('accounts.placeOrder', {
      id: account.id,
      symbol: 'BTC/USDT',
      side: 'buy',
      qty: '1',
      leverage: 10,
    });
    // At the ask, no spread or slippage configured; 0.1 % commission = 30 USDT.
    expect(open.fill).toMatchObject({
      price: '30000.00',
      touchPrice: '30000.00',
      commission: '30.000000',
    });
    expect(open.position).toMatchObject({ side: 'long', qty: '1.00000000', margin: '3000.000000' });
    // Marked at the bid: 1 × (29990 − 30000) = −10.
    expect(open.position.unrealisedPnl).toBe('-10.000000');
    expect(ledger(owner)).toBe(100_000_000_000n - 30_000_000n);

    await quote('31000.00', '31010.00');
    const partial = await invoke<{ fill: Fill; position: Position }>('accounts.closePosition', {
      id: account.id,
      symbol: 'BTC/USDT',
      qty: '0.4',
    });
    // 0.4 × (31000 − 30000) = 400 realised; commission 0.4 × 31000 × 0.1 % = 12.4.
    expect(partial.fill).toMatchObject({
      side: 'sell',
      realisedPnl: '400.000000',
      commission: '12.400000',
    });
    expect(partial.position).toMatchObject({ qty: '0.60000000', realisedPnl: '400.000000' });
    expect(ledger(owner)).toBe(100_000_000_000n - 30_000_000n + 400_000_000n - 12_400_000n);

    // Sell 1.6: closes 0.6 (+600) and opens a 1.0 short at the bid.
    const flip = await invoke<{ fill: Fill; position: Position }>('accounts.placeOrder', {
      id: account.id,
      symbol: 'BTC/USDT',
      side: 'sell',
      qty: '1.6',
    });
    expect(flip.fill.realisedPnl).toBe('600.000000');
    expect(flip.position).toMatchObject({
      side: 'short',
      qty: '1.00000000',
      entryPrice: '31000.00',
    });

    const fills = await invoke<{ items: Fill[] }>('accounts.fills', { id: account.id });
    expect(fills.items.map((f) => f.reason)).toEqual(['order', 'close', 'order']);
    const entries = backend.store.sqlite
      .prepare("SELECT kind FROM ledger_entries WHERE kind LIKE 'paper_%' ORDER BY id")
      .all() as Array<{ kind: string }>;
    expect(entries.map((e) => e.kind)).toEqual([
      'paper_funding',
      'paper_settlement',
      'paper_settlement',
      'paper_settlement',
    ]);
    const report = await invoke<{ ok: boolean }>('admin.ledger.reconcile', {}, admin());
    expect(report.ok).toBe(true);
  });

  it('refuses an order its margin cannot carry, and names the numbers', async () => {
    const { account } = await createPaper({
      initialBalance: '1000',
      paperConfig: { maxLeverage: 5 },
    });
    const err = await rejects(
      invoke('accounts.placeOrder', {
        id: account.id,
        symbol: 'BTC/USDT',
        side: 'buy',
        qty: '1',
        leverage: 5,
      }),
      'insufficient_margin',
    );
    expect(err.message).toMatch(
      /^margin needed 6\d{3}\.\d+ USDT at leverage 5 exceeds the \d+\.\d+ USDT of equity this order would leave \(after its commission \d+\.\d+ USDT, and a fill at \d+\.\d+ marked to the book\)$/,
    );
    await rejects(
      invoke('accounts.placeOrder', {
        id: account.id,
        symbol: 'BTC/USDT',
        side: 'buy',
        qty: '0.01',
        leverage: 6,
      }),
      'validation_failed',
    );
    await rejects(
      invoke('accounts.placeOrder', { id: account.id, symbol: 'EUR/USD', side: 'buy', qty: '100' }),
      'currency_mismatch',
    );
    await rejects(
      invoke('accounts.placeOrder', {
        id: account.id,
        symbol: 'BTC/USDT',
        side: 'buy',
        qty: '0.00001',
      }),
      'lot_size',
    );
    expect((await positions(account.id)).items).toEqual([]);
  });

  it('closes at the stop-loss when the local market moves through it', async () => {
    const { account } = await createPaper();
    await invoke('accounts.placeOrder', {
      id: account.id,
      symbol: 'BTC/USDT',
      side: 'buy',
      qty: '0.5',
      stopLoss: '29500',
      takeProfit: '31000',
    });
    await rejects(
      invoke('accounts.modifyPosition', {
        id: account.id,
        symbol: 'BTC/USDT',
        stopLoss: '30500',
        takeProfit: null,
      }),
      'invalid_bracket',
    );
    await quote('29400.00', '29450.00');
    await vi.waitFor(async () => expect((await positions(account.id)).items).toEqual([]));
    const fills = await invoke<{ items: Fill[] }>('accounts.fills', { id: account.id });
    expect(fills.items[0]).toMatchObject({ reason: 'stop_loss', side: 'sell' });
    const notes = backend.store.sqlite
      .prepare("SELECT title FROM notifications WHERE kind = 'paper.bracket'")
      .all() as Array<{ title: string }>;
    expect(notes[0]?.title).toMatch(/Stop-loss hit on Paper/);
  });

  it('stops out a leveraged position when the margin level falls to the stop-out level', async () => {
    const { account } = await createPaper({
      initialBalance: '1000',
      paperConfig: { maxLeverage: 50, spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 0 },
    });
    // 1 BTC at 30000 with 50× leverage: margin 600, equity 1000 − 10 (bid is 10 below).
    await invoke('accounts.placeOrder', {
      id: account.id,
      symbol: 'BTC/USDT',
      side: 'buy',
      qty: '1',
      leverage: 50,
    });
    // Bid 29580: equity 580 against margin 600 → 96.7 %: margin call, not yet stop-out.
    await quote('29580.00', '29590.00');
    await vi.waitFor(async () => {
      const s = (await positions(account.id)).summary!;
      expect(s.marginState).toBe('margin_call');
    });
    expect((await positions(account.id)).items).toHaveLength(1);
    // Bid 29300: equity 300 → 50 %: stop-out closes the position.
    await quote('29300.00', '29310.00');
    await vi.waitFor(async () => expect((await positions(account.id)).items).toEqual([]));
    const fills = await invoke<{ items: Fill[] }>('accounts.fills', { id: account.id });
    expect(fills.items[0]).toMatchObject({ reason: 'stop_out', realisedPnl: '-700.000000' });
    expect(ledger(`paper:${account.id}`)).toBe(300_000_000n);
    const kinds = (
      backend.store.sqlite
        .prepare("SELECT kind FROM notifications WHERE kind LIKE 'paper.%'")
        .all() as Array<{
        kind: string;
      }>
    ).map((n) => n.kind);
    expect(kinds).toEqual(['paper.margin_call', 'paper.stop_out']);
  });

  it('refuses to delete an account with open positions; after closing, its balance returns', async () => {
    const { account } = await createPaper();
    await invoke('accounts.placeOrder', {
      id: account.id,
      symbol: 'BTC/USDT',
      side: 'sell',
      qty: '0.1',
    });
    const err = await rejects(invoke('accounts.delete', { id: account.id }), 'positions_open');
    expect(err.message).toMatch(/has 1 open position; close it before deleting/);
    await invoke('accounts.closePosition', { id: account.id, symbol: 'BTC/USDT' });
    await invoke('accounts.delete', { id: account.id });
    expect(ledger(`paper:${account.id}`)).toBe(0n);
    expect((await invoke<{ items: unknown[] }>('accounts.list', {})).items).toEqual([]);
    // The name is free again.
    await createPaper();
  });

  it('writes nothing when the commit fails: no position, no fill, no ledger entry', async () => {
    const { account } = await createPaper();
    const before = ledger(`paper:${account.id}`);
    exchangeOf(backend).injectCommitFailure();
    await rejects(
      invoke('accounts.placeOrder', {
        id: account.id,
        symbol: 'BTC/USDT',
        side: 'buy',
        qty: '0.1',
      }),
      'unavailable',
    );
    expect((await positions(account.id)).items).toEqual([]);
    expect((await invoke<{ items: Fill[] }>('accounts.fills', { id: account.id })).items).toEqual(
      [],
    );
    expect(ledger(`paper:${account.id}`)).toBe(before);
    const report = await invoke<{ ok: boolean }>('admin.ledger.reconcile', {}, admin());
    expect(report.ok).toBe(true);
  });

  it('executes a TradingView alert with brackets on a paper account', async () => {
    const created = await createPaper();
    const res = await backend.http.inject({
      method: 'POST',
      url: created.webhookPath,
      payload: JSON.stringify({
        ticker: 'BTCUSDT',
        action: 'sell',
        quantity: '0.2',
        stopLoss: { stopPrice: '31000' },
        takeProfit: { limitPrice: '28000' },
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const pos = (await positions(created.account.id)).items[0]!;
    expect(pos).toMatchObject({
      side: 'short',
      qty: '0.20000000',
      stopLoss: '31000.00',
      takeProfit: '28000.00',
    });
    const exit = await backend.http.inject({
      method: 'POST',
      url: created.webhookPath,
      payload: JSON.stringify({ ticker: 'BTCUSDT', action: 'exit', id: 'exit-1' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(exit.statusCode, exit.body).toBe(200);
    expect((await positions(created.account.id)).items).toEqual([]);
  });

  it('limit and stop orders wait for the book, then execute no worse than their price', async () => {
    const { account } = await createPaper({
      paperConfig: { spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 0 },
    });
    const id = account.id;
    const limit = await invoke<{ fill: Fill | null; order: { id: number; status: string } }>(
      'accounts.placeOrder',
      { id, symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '29800', qty: '0.5' },
    );
    expect(limit).toMatchObject({ fill: null, order: { status: 'open' } });
    const stop = await invoke<{ order: { id: number } }>('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop',
      price: '29500',
      qty: '0.2',
    });
    await rejects(
      invoke('accounts.placeOrder', {
        id,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        qty: '1',
      }),
      'validation_failed',
    );
    expect((await positions(id)).items).toEqual([]);

    // The ask falls to 29790: the buy limit fills at the ask (better than its 29800).
    await quote('29780.00', '29790.00');
    await vi.waitFor(async () =>
      expect((await positions(id)).items).toMatchObject([{ side: 'long', qty: '0.50000000' }]),
    );
    const fills = await invoke<{ items: Fill[] }>('accounts.fills', { id });
    expect(fills.items[0]).toMatchObject({ reason: 'limit', price: '29790.00' });

    // The bid falls through 29500: the sell stop executes at the bid.
    await quote('29450.00', '29460.00');
    await vi.waitFor(async () =>
      expect((await positions(id)).items).toMatchObject([{ qty: '0.30000000' }]),
    );
    const orders = await invoke<{
      items: Array<{ id: number; status: string; fillId: number | null }>;
    }>('accounts.orders', { id });
    expect(orders.items.map((o) => o.status)).toEqual(['filled', 'filled']);
    expect(orders.items.every((o) => o.fillId !== null)).toBe(true);
    expect(stop.order.id).toBe(orders.items[0]!.id);
  });

  it('cancels waiting orders; a cancelled order never fills', async () => {
    const { account } = await createPaper();
    const id = account.id;
    const placed = await invoke<{ order: { id: number } }>('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      price: '29000',
      qty: '0.1',
    });
    await invoke('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'limit',
      price: '31000',
      qty: '0.1',
    });
    expect(await invoke('accounts.cancelOrder', { id, orderId: placed.order.id })).toEqual({
      cancelled: 1,
    });
    await rejects(
      invoke('accounts.cancelOrder', { id, orderId: placed.order.id }),
      'unknown_order',
    );
    await quote('28900.00', '28950.00');
    await exchangeOf(backend).flush();
    await new Promise((r) => setTimeout(r, 50));
    expect((await positions(id)).items).toEqual([]);
    const open = await invoke<{ items: unknown[] }>('accounts.orders', { id, openOnly: true });
    expect(open.items).toHaveLength(1);
    expect(await invoke('accounts.cancelOrder', { id })).toEqual({ cancelled: 1 });
  });

  it('takes a limit alert from TradingView as a waiting order; a cancel alert cancels it', async () => {
    const created = await createPaper();
    const send = (body: Record<string, unknown>) =>
      backend.http.inject({
        method: 'POST',
        url: created.webhookPath,
        payload: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    const res = await send({
      ticker: 'BTCUSDT',
      action: 'buy',
      orderType: 'limit',
      limitPrice: '29000',
      quantity: '0.1',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().orders[0]).toMatchObject({ type: 'limit', status: 'new' });
    const open = () =>
      invoke<{ items: unknown[] }>('accounts.orders', { id: created.account.id, openOnly: true });
    expect((await open()).items).toHaveLength(1);
    const cancel = await send({ ticker: 'BTCUSDT', action: 'cancel', id: 'c-1' });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await open()).items).toHaveLength(0);
  });
});
