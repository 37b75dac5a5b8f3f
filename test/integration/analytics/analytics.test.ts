import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { exchangeOf, fund, quoteAs, rejects, trader } from '../../helpers/exchange';

/**
 * Analytics over a real backend: paper and local-exchange fills become round trips, the
 * alert that placed an order names its source, other users see nothing, statements render.
 * Hand-computed figures below use spread 0 and slippage 0 on paper, so fills are at the touch.
 */

let backend: TestBackend;
let me: Principal;
let userId: string;
// 2026-12-06 10:00 UTC (a Sunday); the clock only moves when a test moves it.
let clock = Date.UTC(2026, 11, 6, 10);

const MAKER = 'analytics-maker';

const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;

/** The maker's only quotes on BTC/USDT: one bid and one ask of 20 BTC. */
const quote = (bid: string, ask: string) => quoteAs(backend, MAKER, 'BTC/USDT', bid, ask, '20');

async function paperAccount() {
  const created = await invoke<{ account: { id: string }; webhookToken: string }>(
    'accounts.create',
    {
      venue: 'paper',
      name: 'Paper',
      initialBalance: '10000',
      paperConfig: { spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 1000 },
    },
  );
  return { id: created.account.id, token: created.webhookToken };
}

const paperOrder = (id: string, side: 'buy' | 'sell', qty: string) =>
  invoke('accounts.placeOrder', { id, symbol: 'BTC/USDT', side, qty });

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 6, 10);
  backend = await startTestBackend({ now: () => clock });
  const user = await createUser(backend, 'trader');
  userId = user.userId;
  me = trader(userId);
  await fund(backend, MAKER, 'BTC', '1000');
  await fund(backend, MAKER, 'USDT', '100000000');
  await quote('29990.00', '30000.00');
});
afterEach(async () => {
  await backend.cleanup();
});

interface Stats {
  trades: number;
  wins: number;
  winRate: string | null;
  netPnl: string;
  fees: string;
  profitFactor: string | null;
  maxDrawdownPct: string | null;
}

describe('paper round trips', () => {
  it('realises a long net of both commissions, in the summary and the statistics', async () => {
    const { id } = await paperAccount();
    await paperOrder(id, 'buy', '0.1'); // at the ask 30000: commission 3000 × 0.1 % = 3
    clock += 3_600_000;
    await quote('30990.00', '31000.00');
    await paperOrder(id, 'sell', '0.1'); // at the bid 30990: commission 3.099
    // Gross 0.1 × (30990 − 30000) = 99; fees 3 + 3.099 = 6.099; net 92.901.

    const summary = await invoke<{
      accounts: Array<Record<string, unknown>>;
      totals: Array<Record<string, unknown>>;
      bySource: Array<Record<string, unknown>>;
    }>('analytics.summary', {});
    expect(summary.accounts).toEqual([
      expect.objectContaining({
        accountId: id,
        venue: 'paper',
        currency: 'USDT',
        realisedToday: '92.901',
        realisedPeriod: '92.901',
        feesPeriod: '6.099',
        tradesPeriod: 1,
        unrealised: '0',
        openPositions: 0,
        coverage: 'fills',
      }),
    ]);
    expect(summary.totals).toEqual([
      expect.objectContaining({ currency: 'USDT', realisedPeriod: '92.901', openPositions: 0 }),
    ]);
    expect(summary.bySource).toEqual([
      expect.objectContaining({ key: 'manual', realisedPeriod: '92.901' }),
    ]);

    const trades = await invoke<{
      currencies: Array<{ currency: string; startingEquity: string; overall: Stats }>;
      roundTrips: Array<Record<string, unknown>>;
    }>('analytics.trades', { accountId: id });
    // The balance at the period start: 10000 now plus nothing before (both fills are inside).
    // 10000 + 99 − 6.099 = 10092.901 now; back then 10000.
    expect(trades.currencies).toEqual([
      expect.objectContaining({
        currency: 'USDT',
        startingEquity: '10000',
        overall: expect.objectContaining({
          trades: 1,
          wins: 1,
          winRate: '1',
          netPnl: '92.901',
          fees: '6.099',
          profitFactor: null,
          maxDrawdownPct: '0',
        }),
      }),
    ]);
    expect(trades.roundTrips).toEqual([
      expect.objectContaining({
        side: 'long',
        qty: '0.1',
        entryPrice: '30000',
        exitPrice: '30990',
        grossPnl: '99',
        netPnl: '92.901',
        source: 'manual',
      }),
    ]);
  });

  it('counts an open position as unrealised at the paper broker’s mark, with its exposure', async () => {
    const { id } = await paperAccount();
    await paperOrder(id, 'buy', '0.2'); // at 30000
    await quote('30490.00', '30500.00');
    // A long is marked at the bid: 0.2 × (30490 − 30000) = 98; exposure 0.2 × 30490 = 6098.
    const summary = await invoke<{
      accounts: Array<Record<string, unknown>>;
      byMarket: Array<Record<string, unknown>>;
    }>('analytics.summary', {});
    expect(summary.accounts[0]).toMatchObject({
      unrealised: '98',
      openPositions: 1,
      grossExposure: '6098',
      realisedPeriod: '0',
    });
    expect(summary.byMarket).toEqual([
      expect.objectContaining({ key: 'BTC/USDT', unrealised: '98' }),
    ]);
  });

  it('attributes a round trip to the alert that opened it', async () => {
    const { id, token } = await paperAccount();
    const res = await backend.http.inject({
      method: 'POST',
      url: `/hooks/tv/${token}`,
      payload: JSON.stringify({ ticker: 'BTCUSDT', action: 'buy', quantity: '0.1' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await invoke('accounts.closePosition', { id, symbol: 'BTC/USDT' });
    const trades = await invoke<{
      currencies: Array<{ bySource: Array<{ key: string; stats: Stats }> }>;
      roundTrips: Array<Record<string, unknown>>;
    }>('analytics.trades', { source: 'alert:tv' });
    // In at 30000, out at 29990: −1 gross, fees 3 + 2.999, net −6.999.
    expect(trades.roundTrips).toEqual([
      expect.objectContaining({ source: 'alert:tv', closeSource: 'manual', netPnl: '-6.999' }),
    ]);
    expect(trades.currencies[0]!.bySource.map((g) => [g.key, g.stats.trades])).toEqual([
      ['alert:tv', 1],
    ]);
  });
});

describe('local exchange round trips', () => {
  it('reads the user’s spot fills, fees in the quote currency', async () => {
    await fund(backend, userId, 'USDT', '10000');
    await invoke('accounts.create', { venue: 'local', name: 'Spot' });
    const market = (side: 'buy' | 'sell') =>
      invoke('orders.place', { symbol: 'BTC/USDT', side, type: 'market', qty: '0.1' });
    await market('buy'); // taker at 30000, fee 3000 × 0.2 % = 6
    await market('sell'); // taker at 29990, fee 2999 × 0.2 % = 5.998
    await exchangeOf(backend).flush();
    const trades = await invoke<{
      currencies: Array<{ overall: Stats }>;
      roundTrips: Array<Record<string, unknown>>;
    }>('analytics.trades', { accountId: 'local' });
    // Gross 0.1 × (29990 − 30000) = −1; fees 11.998; net −12.998.
    expect(trades.roundTrips).toEqual([
      expect.objectContaining({
        accountId: 'local',
        venue: 'local',
        grossPnl: '-1',
        fees: '11.998',
        netPnl: '-12.998',
      }),
    ]);
    expect(trades.currencies[0]!.overall).toMatchObject({ trades: 1, wins: 0, winRate: '0' });

    // Valued in BTC through BTC/USDT's last trade (29990): −12.998 / 29990 = −0.000433411…
    const inBtc = await invoke<{ converted: Record<string, unknown> }>('analytics.summary', {
      quote: 'BTC',
    });
    expect(inBtc.converted).toEqual({
      quote: 'BTC',
      realisedToday: '-0.00043341',
      realisedPeriod: '-0.00043341',
      unrealised: '0',
      grossExposure: '0',
      rates: [{ currency: 'USDT', market: 'BTC/USDT', price: '29990.00' }],
      unconverted: [],
    });
    await rejects(invoke('analytics.summary', { quote: 'NOPE' }), 'unknown_asset');
  });
});

describe('privacy and input', () => {
  it('keeps one user’s accounts from another, and refuses unknown zones and periods', async () => {
    const { id } = await paperAccount();
    const other = trader('someone-else');
    await rejects(invoke('analytics.trades', { accountId: id }, other), 'not_found');
    await rejects(
      invoke('analytics.equity', { accountId: id, interval: '1d' }, other),
      'not_found',
    );
    const theirs = await invoke<{ accounts: unknown[] }>('analytics.summary', {}, other);
    expect(theirs.accounts).toEqual([]);
    await rejects(invoke('analytics.trades', { tz: 'Mars/Olympus' }), 'validation_failed');
    await rejects(invoke('analytics.summary', { from: 10, to: 5 }), 'validation_failed');
    // Only an early `to` (the fuzz found it): the default 30 days start at the epoch, not before.
    for (const op of ['analytics.summary', 'analytics.trades'] as const) {
      const early = await invoke<{ period: { from: number; to: number } }>(op, { to: 6 });
      expect(early.period).toEqual({ from: 0, to: 6 });
    }
    await rejects(invoke('analytics.equity', { interval: '1h', from: 0 }), 'validation_failed');
    await rejects(
      invoke('analytics.equity', { interval: '1d', benchmark: 'NOPE/USDT' }),
      'unknown_market',
    );
  });
});

describe('the REST door', () => {
  it('serves the summary and a CSV statement to the signed-in user', async () => {
    const user = await createUser(backend, 'trader');
    const summary = await backend.http.inject({
      method: 'GET',
      url: '/api/v1/analytics/summary?tz=Europe/Paris',
      headers: user.headers,
    });
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json()).toMatchObject({ tz: 'Europe/Paris', accounts: [], totals: [] });
    const csv = await backend.http.inject({
      method: 'GET',
      url: `/api/v1/reports/pnl?from=0&to=${clock}&format=csv`,
      headers: user.headers,
    });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.json().body).toMatch(/^record,account_id,/);
    const anonymous = await backend.http.inject({
      method: 'GET',
      url: '/api/v1/analytics/summary',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('statements', () => {
  it('renders the period as CSV (RFC 4180) and JSON', async () => {
    const { id } = await paperAccount();
    await invoke('accounts.update', { id, name: 'Paper, "main"' });
    await paperOrder(id, 'buy', '0.1');
    await paperOrder(id, 'sell', '0.1'); // 29990: net −6.999 as above
    const period = { from: clock - 86_400_000, to: clock };
    const csv = await invoke<{ filename: string; contentType: string; body: string }>(
      'reports.pnl',
      { ...period, format: 'csv' },
    );
    expect(csv.filename).toBe('pnl-2026-12-05-2026-12-06.csv');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe(
      'record,account_id,account_name,venue,market,currency,side,qty,entry_price,exit_price,opened_at,closed_at,trades,gross_pnl,fees,net_pnl,source',
    );
    expect(lines[1]).toBe(`account,${id},"Paper, ""main""",paper,,USDT,,,,,,,1,-1,5.999,-6.999,`);
    expect(lines[2]).toBe(
      `market,${id},"Paper, ""main""",paper,BTC/USDT,USDT,,,,,,,1,-1,5.999,-6.999,`,
    );
    expect(lines[3]).toBe(
      `round_trip,${id},"Paper, ""main""",paper,BTC/USDT,USDT,long,0.1,30000,29990,2026-12-06T10:00:00.000Z,2026-12-06T10:00:00.000Z,1,-1,5.999,-6.999,manual`,
    );
    expect(lines[4]).toBe('');
    const json = await invoke<{ body: string }>('reports.pnl', { ...period, format: 'json' });
    expect(JSON.parse(json.body)).toMatchObject({
      accounts: [{ accountName: 'Paper, "main"', netPnl: '-6.999', trades: 1 }],
      roundTrips: [{ netPnl: '-6.999' }],
    });
  });
});

describe('equity', () => {
  it('draws the realised curve from the balance at the start, against buy-and-hold', async () => {
    const { id } = await paperAccount();
    await fund(backend, userId, 'USDT', '100000');
    const local = (side: 'buy' | 'sell') =>
      invoke('orders.place', { symbol: 'BTC/USDT', side, type: 'market', qty: '0.001' });
    const start = clock; // 10:00
    await paperOrder(id, 'buy', '0.1'); // paper at the ask 30000, commission 3
    await local('buy'); // a local trade at 30000: the 10:00 bar closes at 30000
    clock += 3_600_000; // 11:00
    await quote('30990.00', '31000.00');
    await paperOrder(id, 'sell', '0.1'); // 30990: the round trip nets 92.901
    clock += 3_600_000; // 12:00
    await local('sell'); // a local trade at the bid 30990: the 12:00 bar
    await exchangeOf(backend).flush();
    const eq = await invoke<{
      accounts: Array<{
        accountId: string;
        startingEquity: string | null;
        points: Array<{ t: number; equity: string | null }>;
        benchmark: Array<{ value: string | null }> | null;
      }>;
      benchmark: { points: Array<{ close: string | null; growth: string | null }> };
    }>('analytics.equity', {
      from: start,
      to: start + 2 * 3_600_000,
      interval: '1h',
      accountId: id,
      benchmark: 'BTC/USDT',
    });
    const acct = eq.accounts[0]!;
    // Balance at 10:00 = 10092.901 now − (0 − 3) − (99 − 3.099) = 10000.
    expect(acct.startingEquity).toBe('10000');
    // 10:00 bucket: nothing closed yet (the entry fee waits for its close); 11:00: +92.901.
    expect(acct.points.map((p) => p.equity)).toEqual(['10000', '10092.901', '10092.901']);
    // No bar at 11:00: the 10:00 close carries over. Growth 1, 1, 30990 / 30000 = 1.033.
    expect(eq.benchmark.points.map((p) => p.close)).toEqual(['30000', '30000', '30990']);
    expect(eq.benchmark.points.map((p) => p.growth)).toEqual(['1', '1', '1.033']);
    expect(acct.benchmark!.map((b) => b.value)).toEqual(['10000', '10000', '10330']);

    // A past period: its starting balance still takes out every fill since (up to now).
    const past = await invoke<{ currencies: Array<{ startingEquity: string }> }>(
      'analytics.trades',
      { from: start, to: start + 1, accountId: id },
    );
    expect(past.currencies).toEqual([]); // nothing closed by 10:00:00.001 …
    const since = await invoke<{ accounts: Array<{ startingEquity: string | null }> }>(
      'analytics.equity',
      { from: start, to: start + 1, interval: '1h', accountId: id },
    );
    expect(since.accounts[0]!.startingEquity).toBe('10000'); // … and 10000 at 10:00 still
  });
});
