import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, quoteAs, trader } from '../../helpers/exchange';
import { MemoryBroker } from '../../fakes/memory-broker';

/**
 * Total equity across a paper, a local-exchange and a broker account, in USDT, by day and now.
 * Hand-computed below; the clock is 2026-12-06 10:00 UTC and the period starts on 12-04.
 */

const HOUR = 3_600_000;
const DEC4 = Date.UTC(2026, 11, 4);
const DEC5 = Date.UTC(2026, 11, 5);
const DEC6 = Date.UTC(2026, 11, 6);
const NOW = DEC6 + 10 * HOUR;
const MAKER = 'equity-maker';

let backend: TestBackend;
let broker: MemoryBroker;
let me: Principal;
let userId: string;
let clock = NOW;

const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;

/** A daily BTC/USDT bar (prices in ticks of 0.01), flat at its close. */
function dailyBar(openTime: number, close: number) {
  const ticks = Math.round(close * 100);
  backend.store.sqlite
    .prepare(
      `INSERT OR REPLACE INTO market_candles (symbol, interval, open_time, open, high, low, close, volume, quote_volume, trades)
       VALUES ('BTC/USDT', '1d', ?, ?, ?, ?, ?, 1, ?, 1)`,
    )
    .run(openTime, ticks, ticks, ticks, ticks, String(ticks));
}

async function alert(token: string, body: Record<string, unknown>) {
  const res = await backend.http.inject({
    method: 'POST',
    url: `/hooks/tv/${token}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

beforeEach(async () => {
  clock = NOW;
  broker = new MemoryBroker();
  broker.clock = () => clock;
  broker.feeAsset = 'USDT';
  backend = await startTestBackend({ now: () => clock }, { extraBrokers: [broker.definition()] });
  userId = (await createUser(backend, 'trader')).userId;
  me = trader(userId);
  await fund(backend, MAKER, 'BTC', '100');
  await fund(backend, MAKER, 'USDT', '10000000');
});
afterEach(async () => {
  await backend.cleanup();
});

interface Point {
  t: number;
  equity: string;
  unrealised: string;
  unmarked: number;
  missing: string[];
}

describe('analytics.totalEquity', () => {
  it('adds paper, local and broker accounts by day at the closes, and now at live marks', async () => {
    dailyBar(DEC4, 30_000);
    dailyBar(DEC5, 30_500);
    dailyBar(DEC6, 31_000);
    // Local: 1000 USDT held on the exchange, no trades.
    await fund(backend, userId, 'USDT', '1000');
    await invoke('accounts.create', { venue: 'local', name: 'Spot' });
    // Paper: 10000 USDT; on 12-05 10:00 buys 0.1 BTC at the ask 30000 (commission 0.1 % = 3).
    const paper = await invoke<{ account: { id: string } }>('accounts.create', {
      venue: 'paper',
      name: 'Paper',
      initialBalance: '10000',
      paperConfig: { spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 1000 },
    });
    await quoteAs(backend, MAKER, 'BTC/USDT', '29990.00', '30000.00', '20');
    clock = DEC5 + 10 * HOUR;
    await invoke('accounts.placeOrder', {
      id: paper.account.id,
      symbol: 'BTC/USDT',
      side: 'buy',
      qty: '0.1',
    });
    // Broker (USDT): on 12-05 12:00 buys 1000 EURUSD (kept open); on 12-06 buys 2 MNQ at
    // 21000.25 at 08:00 and sells them at 21010.25 at 09:00: net (10 × 2 × 2) − 1 = 39.
    const b = await invoke<{ account: { id: string }; webhookToken: string }>('accounts.create', {
      venue: 'memory',
      name: 'Futures',
      baseCurrency: 'USDT',
      settings: { server: 'DEMO-1' },
      credentials: { apiKey: 'good' },
    });
    clock = DEC5 + 12 * HOUR;
    await alert(b.webhookToken, { ticker: 'EURUSD', action: 'buy', quantity: '1000' });
    clock = DEC6 + 8 * HOUR;
    await alert(b.webhookToken, { ticker: 'MNQ', action: 'buy', quantity: '2' });
    clock = DEC6 + 9 * HOUR;
    broker.prices.set('MNQ', '21010.25');
    await alert(b.webhookToken, { ticker: 'MNQ', action: 'sell', quantity: '2' });
    // The broker's balance now, as it reports it (5000 before, + 39 net, − 0.5 EURUSD fee).
    broker.balances = [{ asset: 'USDT', total: '5038.5', available: '5038.5' }];
    await invoke('accounts.sync', { id: b.account.id });
    clock = NOW;
    await quoteAs(backend, MAKER, 'BTC/USDT', '30990.00', '31000.00', '20');

    const r = await invoke<{
      points: Point[];
      now: Point & { accounts: Array<Record<string, unknown>> };
    }>('analytics.totalEquity', { quote: 'USDT', from: DEC4 });
    // 12-04: paper 10000 (9997 now, less the −3 booked since), local 1000, broker 5038.5 less
    //        the 39 closed since = 4999.5: 15999.5.
    // 12-05: paper 9997 + 0.1 × (30500 − 30000) = 10047; local 1000; broker 4999.5 with the
    //        EURUSD position unmarked (no broker price history): 16046.5.
    // 12-06: paper 9997 + 0.1 × (31000 − 30000) = 10097; local 1000; broker 5038.5: 16135.5.
    expect(r.points).toEqual([
      { t: DEC4, equity: '15999.5', unrealised: '0', unmarked: 0, missing: [] },
      { t: DEC5, equity: '16046.5', unrealised: '50', unmarked: 1, missing: [] },
      { t: DEC6, equity: '16135.5', unrealised: '100', unmarked: 1, missing: [] },
    ]);
    // Now: the paper broker marks the long at the bid 30990: 9997 + 99 = 10096; local 1000;
    // broker 5038.5 + the session's EURUSD P&L 0 (the fake's own): 16134.5.
    expect(r.now).toMatchObject({ t: NOW, equity: '16134.5', unrealised: '99', unmarked: 0 });
    expect(r.now.accounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Paper', equity: '10096', unrealised: '99' }),
        expect.objectContaining({ name: 'Futures', equity: '5038.5', unrealised: '0' }),
        expect.objectContaining({ venue: 'local', equity: '1000', unrealised: '0' }),
      ]),
    );
  });

  it('names currencies it cannot convert and refuses an unknown quote', async () => {
    const { account } = await invoke<{ account: { id: string } }>('accounts.create', {
      venue: 'memory',
      name: 'Dollars',
      baseCurrency: 'USD',
      settings: { server: 'DEMO-1' },
      credentials: { apiKey: 'good' },
    });
    await invoke('brokers.state', { id: account.id }); // its session has read the balances
    const r = await invoke<{ now: Point }>('analytics.totalEquity', { quote: 'USDT' });
    expect(r.now).toMatchObject({ equity: '0', missing: ['USD'] });
    await expect(invoke('analytics.totalEquity', { quote: 'NOPE' })).rejects.toMatchObject({
      code: 'unknown_asset',
    });
  });
});
