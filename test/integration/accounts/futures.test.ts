import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser, type TestSession } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { DEFAULT_INSTRUMENTS } from '../../../src-main/domain/paper';
import { admin, exchangeOf, fund, rejects, trader } from '../../helpers/exchange';

// Futures on the paper broker: BTC-FUT (0.01 BTC per contract, initial margin 65 USDT,
// maintenance 32.5, commission 0.05 per contract, spread 100 ppm, funding 100 ppm every 8 h)
// priced from the BTC/USDT book's mid. Every expectation below is worked out by hand.

let backend: TestBackend;
let user: TestSession;
let me: Principal;
let clock = Date.UTC(2026, 11, 6, 7, 59, 0);

const MAKER = 'futures-test-maker';
const HOUR = 3_600_000;

interface Position {
  symbol: string;
  side: string;
  qty: string;
  entryPrice: string;
  markPrice: string | null;
  margin: string;
  unrealisedPnl: string | null;
  kind?: string;
  maintenanceMargin?: string | null;
  liquidationPrice?: string | null;
}
interface Summary {
  balance: string;
  equity: string;
  marginUsed: string;
  marginState: string;
}

const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;

/**
 * The maker's BTC/USDT quotes: BTC-FUT's index is their mid. One batch, so the paper broker
 * never sees a half-moved book (one side only) in between.
 */
async function quote(bid: string, ask: string) {
  const order = (side: 'buy' | 'sell', price: string) => ({
    type: 'place' as const,
    userId: MAKER,
    order: { symbol: 'BTC/USDT', side, type: 'limit' as const, price, qty: '5' },
  });
  const out = await exchangeOf(backend).batch([
    { type: 'cancel_all', userId: MAKER, symbol: 'BTC/USDT' },
    order('buy', bid),
    order('sell', ask),
  ]);
  expect(out.every((o) => o.ok)).toBe(true);
  await exchangeOf(backend).flush();
}

const positions = (id: string) =>
  invoke<{ items: Position[]; summary: Summary }>('accounts.positions', { id });
const cash = (id: string) => exchangeOf(backend).holdings(`paper:${id}`, 'USDT').available;
const runJob = async (name: string) => {
  const run = await backend.scheduler.waitFor(backend.scheduler.enqueue(name, {}));
  expect(run.status).toBe('succeeded');
  return JSON.parse(String(run.result)) as Record<string, number>;
};

async function paperAccount(initialBalance: string) {
  const created = await invoke<{ account: { id: string }; webhookPath: string }>(
    'accounts.create',
    {
      venue: 'paper',
      name: `Futures ${initialBalance}`,
      initialBalance,
      // Stop-out low, so the maintenance rule is what closes positions here.
      paperConfig: { slippagePpmPer10k: 0, stopOutLevelPct: 10, marginCallLevelPct: 100 },
    },
  );
  return created;
}

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 6, 7, 59, 0);
  backend = await startTestBackend({ now: () => clock });
  user = await createUser(backend, 'trader');
  me = trader(user.userId);
  await fund(backend, MAKER, 'BTC', '100');
  await fund(backend, MAKER, 'USDT', '10000000');
  await quote('64990.00', '65010.00'); // mid 65,000.00 → BTC-FUT 64,996.7 / 65,003.3
});
afterEach(async () => {
  await backend.cleanup();
});

describe('futures on the paper broker', () => {
  it('lists the instrument specifications with the markets', async () => {
    const { items } = await invoke<{ items: Array<Record<string, unknown>> }>(
      'paper.instruments.list',
      {},
    );
    expect(items.find((i) => i.symbol === 'BTC/USDT')).toMatchObject({
      kind: 'spot-cfd',
      multiplier: '1',
    });
    expect(items.find((i) => i.symbol === 'BTC-FUT')).toMatchObject({
      kind: 'future',
      multiplier: '0.01',
      initialMargin: '65',
      maintenanceMargin: '32.5',
      financingRatePpm: 100,
      nextFinancingAt: Date.UTC(2026, 11, 6, 8),
      indexPrice: '65000.0',
      bid: '64996.7',
      ask: '65003.3',
      backtestInstrument: {
        kind: 'future',
        multiplier: 0.01,
        initialMargin: 65,
        commissionPerContract: 0.05,
      },
    });
    const rest = await backend.http.inject({
      method: 'GET',
      url: '/api/v1/paper/instruments',
      headers: user.headers,
    });
    expect(rest.statusCode, rest.body).toBe(200);
    expect((rest.json() as { items: unknown[] }).items).toHaveLength(items.length);
    expect(items.find((i) => i.symbol === 'SPX-FUT')).toMatchObject({
      kind: 'future',
      priceSource: 'index:SPX',
      indexPrice: '5000.00',
      bid: '4999.75',
      ask: '5000.25',
      nextFinancingAt: null,
    });
  });

  it('an admin edits a spec; bad specs and non-admins are refused', async () => {
    const spec = {
      symbol: 'ETH-CFD',
      kind: 'cfd',
      description: 'Ether CFD',
      quoteAsset: 'USDT',
      priceSource: 'ETH/USDT',
      tickSize: '0.01',
      lotSize: '0.1',
      minQty: '0.1',
      maxQty: '100',
      multiplier: '1',
      initialMargin: '0',
      maintenanceMargin: '0',
      initialMarginPpm: 100_000,
      maintenanceMarginPpm: 50_000,
      commissionPerContract: '0',
      commissionPpm: 300,
      spreadPpm: 400,
      financingRatePpm: 200,
      financingIntervalHours: 24,
      status: 'trading',
    };
    const saved = await invoke<Record<string, unknown>>(
      'admin.paper.instruments.save',
      spec,
      admin(),
    );
    expect(saved).toMatchObject({ kind: 'cfd', initialMarginPpm: 100_000, initialMargin: '0' });
    await rejects(
      invoke('admin.paper.instruments.save', { ...spec, maintenanceMarginPpm: 200_000 }, admin()),
      'validation_failed',
    );
    await rejects(
      invoke('admin.paper.instruments.save', { ...spec, priceSource: 'XRP/USDT' }, admin()),
      'validation_failed',
    );
    await rejects(invoke('admin.paper.instruments.save', spec), 'forbidden');
    // With a position open its units cannot change (margins and rates can).
    const { account } = await paperAccount('1000');
    await invoke('accounts.placeOrder', {
      id: account.id,
      symbol: 'BTC-FUT',
      side: 'buy',
      qty: '1',
    });
    const btc = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTC-FUT')!;
    await rejects(
      invoke('admin.paper.instruments.save', { ...btc, tickSize: '0.5' }, admin()),
      'positions_open',
    );
    await invoke('admin.paper.instruments.save', { ...btc, initialMargin: '70' }, admin());
  });

  it("analytics counts a future's round trip with its multiplier, as the account did", async () => {
    const { account } = await paperAccount('1000');
    const order = (side: 'buy' | 'sell') =>
      invoke('accounts.placeOrder', { id: account.id, symbol: 'BTC-FUT', side, qty: '2' });
    await order('buy'); // at the ask 65,003.3
    await quote('65990.00', '66010.00'); // mid 66,000 → bid 65,996.7
    await order('sell');
    // 2 contracts × 0.01 BTC × (65,996.7 − 65,003.3) = 19.868; commission 0.05 × 2 each way.
    const fills = await invoke<{ items: Array<{ realisedPnl: string; commission: string }> }>(
      'accounts.fills',
      { id: account.id },
    );
    expect(fills.items.map((f) => f.realisedPnl)).toEqual(['19.868000', '0.000000']);
    const trades = await invoke<{ roundTrips: Array<Record<string, unknown>> }>(
      'analytics.trades',
      { accountId: account.id },
    );
    expect(trades.roundTrips).toEqual([
      expect.objectContaining({
        side: 'long',
        qty: '2',
        entryPrice: '65003.3',
        exitPrice: '65996.7',
        grossPnl: '19.868',
        netPnl: '19.668',
      }),
    ]);
    const summary = await invoke<{ accounts: Array<Record<string, unknown>> }>(
      'analytics.summary',
      {},
    );
    expect(summary.accounts).toEqual([
      expect.objectContaining({ accountId: account.id, realisedPeriod: '19.668' }),
    ]);
  });

  it('an alert on BTC-FUT opens a position with the right margin; a fall to maintenance liquidates it', async () => {
    const { account, webhookPath } = await paperAccount('140');
    const res = await backend.http.inject({
      method: 'POST',
      url: webhookPath,
      payload: JSON.stringify({ ticker: 'BTC-FUT', action: 'buy', quantity: '2' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode, res.body).toBe(200);
    // Bought 2 at the ask 65,003.3; margin 2 × 65; commission 2 × 0.05.
    let view = await positions(account.id);
    expect(view.items).toEqual([
      expect.objectContaining({
        symbol: 'BTC-FUT',
        side: 'long',
        qty: '2',
        entryPrice: '65003.3',
        markPrice: '64996.7',
        margin: '130.000000',
        unrealisedPnl: '-0.132000', // 0.02 × (64,996.7 − 65,003.3)
        kind: 'future',
        maintenanceMargin: '65.000000',
        // 139.9 + 0.02 × (P − 65,003.3) = 65 → P = 61,258.3
        liquidationPrice: '61258.3',
      }),
    ]);
    expect(cash(account.id)).toBe(139_900_000n);

    // Mid 61,275 → bid 61,271.9: equity 139.9 − 74.628 = 65.272 > 65, still open.
    await quote('61270.00', '61280.00');
    await backend.features.accounts.checkPaper();
    view = await positions(account.id);
    expect(view.items).toHaveLength(1);
    expect(view.summary).toMatchObject({ equity: '65.272000', marginState: 'margin_call' });

    // Mid 61,255 → bid 61,251.9: equity 139.9 − 75.028 = 64.872 ≤ 65 → liquidated at the bid.
    await quote('61250.00', '61260.00');
    await backend.features.accounts.checkPaper();
    expect((await positions(account.id)).items).toEqual([]);
    const fills = await invoke<{ items: Array<Record<string, unknown>> }>('accounts.fills', {
      id: account.id,
    });
    expect(fills.items[0]).toMatchObject({
      side: 'sell',
      qty: '2',
      price: '61251.9',
      reason: 'liquidation',
      realisedPnl: '-75.028000',
      commission: '0.100000',
    });
    expect(cash(account.id)).toBe(64_772_000n); // 139.9 − 75.028 − 0.10
  });

  it('refuses leverage and sizes outside the spec', async () => {
    const { account } = await paperAccount('1000');
    const order = (extra: Record<string, unknown>) =>
      invoke('accounts.placeOrder', {
        id: account.id,
        symbol: 'BTC-FUT',
        side: 'buy',
        qty: '1',
        ...extra,
      });
    await rejects(order({ leverage: 10 }), 'validation_failed');
    await rejects(order({ qty: '1.5' }), 'validation_failed');
    await rejects(order({ qty: '1001' }), 'validation_failed');
    // SPX-FUT settles in USD: a USDT account cannot hold it.
    await rejects(order({ symbol: 'SPX-FUT' }), 'currency_mismatch');
  });

  it('the funding job posts one entry per period and position, longs paying shorts', async () => {
    const long = await paperAccount('1000');
    const short = await paperAccount('2000');
    const open = (id: string, side: string) =>
      invoke('accounts.placeOrder', { id, symbol: 'BTC-FUT', side, qty: '2' });
    await open(long.account.id, 'buy');
    await open(short.account.id, 'sell');
    const longCash = cash(long.account.id);
    const shortCash = cash(short.account.id);

    // 07:59: both opened after the 00:00 period started, so nothing is due yet.
    expect(await runJob('accounts.paper.financing')).toEqual({ charged: 0 });

    // 08:00:30: index 65,000.0; 2 × 0.01 × 65,000 × 0.0001 = 0.13 USDT.
    clock = Date.UTC(2026, 11, 6, 8, 0, 30);
    expect(await runJob('accounts.paper.financing')).toEqual({ charged: 2 });
    expect(cash(long.account.id)).toBe(longCash - 130_000n);
    expect(cash(short.account.id)).toBe(shortCash + 130_000n);

    // The same period again (a rerun, or concurrent runs): nothing more.
    clock += HOUR;
    const again = await Promise.all([
      backend.features.accounts.chargeFinancing(),
      backend.features.accounts.chargeFinancing(),
    ]);
    expect(again).toEqual([0, 0]);
    expect(cash(long.account.id)).toBe(longCash - 130_000n);

    // The next period: one more each.
    clock = Date.UTC(2026, 11, 6, 16, 0, 1);
    expect(await runJob('accounts.paper.financing')).toEqual({ charged: 2 });
    expect(cash(long.account.id)).toBe(longCash - 260_000n);
    const entries = backend.store.sqlite
      .prepare(
        "SELECT ref_id, reason FROM ledger_entries WHERE kind = 'paper_financing' ORDER BY id",
      )
      .all() as Array<{ ref_id: string; reason: string }>;
    expect(entries).toHaveLength(4);
    expect(entries[0]!.ref_id).toBe(`${long.account.id}:BTC-FUT:${Date.UTC(2026, 11, 6, 8)}`);
    expect(entries[0]!.reason).toBe('financing long 2 BTC-FUT @ 65000.0, 100 ppm');
    const rows = backend.store.sqlite
      .prepare('SELECT amount FROM paper_financing ORDER BY period_start, account_id')
      .all() as Array<{ amount: string }>;
    expect(rows.map((r) => r.amount).sort()).toEqual([
      '-0.130000',
      '-0.130000',
      '0.130000',
      '0.130000',
    ]);
  });
});
