import { afterEach, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../../src-main/operations/principal';
import {
  makerAccount,
  takerAccount,
  type SimulatorService,
} from '../../../src-main/features/simulator/service';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { readBars, skipWithoutRealData } from '../../helpers/real-data';
import { admin, balances, exchangeOf, fund, place } from '../../helpers/exchange';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const SYM = 'BTC/USDT';

let backend: TestBackend | undefined;
afterEach(async () => {
  await backend?.cleanup();
  backend = undefined;
});

async function start(
  seed = 7,
): Promise<{ b: TestBackend; sim: SimulatorService; at: () => number }> {
  let clock = T0;
  const b = await startTestBackend({ simulatorSeed: seed, now: () => clock });
  backend = b;
  const sim = b.features.simulator;
  return { b, sim, at: () => (clock += 1000) };
}

const adminCall = <T>(b: TestBackend, name: string, input: Record<string, unknown> = {}) =>
  b.invoke(name, input, admin()) as Promise<T>;
const publicCall = <T>(b: TestBackend, name: string, input: Record<string, unknown>) =>
  b.invoke(name, input, ANONYMOUS) as Promise<T>;

interface Depth {
  bids: [string, string][];
  asks: [string, string][];
}

async function run(sim: SimulatorService, at: () => number, steps: number, symbol = SYM) {
  for (let i = 0; i < steps; i++) await sim.step(symbol, at());
}

describe('market simulator', () => {
  it('is off in tests until stepped or resumed: no orders, no timers', async () => {
    const { b } = await start();
    const status = await adminCall<{ autostart: boolean; items: Array<Record<string, unknown>> }>(
      b,
      'admin.simulator.status',
    );
    expect(status.autostart).toBe(false);
    expect(status.items.map((i) => [i.symbol, i.running])).toEqual([
      ['BTC/USDT', false],
      ['ETH/USDT', false],
      ['ETH/BTC', false],
      ['EUR/USD', false],
    ]);
    await new Promise((r) => setTimeout(r, 1200));
    const depth = await publicCall<Depth>(b, 'marketData.depth', { symbol: SYM });
    expect(depth.bids).toEqual([]);
  });

  it('quotes a ladder around the reference from system accounts and takers trade with it', async () => {
    const { b, sim, at } = await start();
    await run(sim, at, 1);
    const depth = await publicCall<Depth>(b, 'marketData.depth', { symbol: SYM });
    expect(depth.bids).toHaveLength(10);
    expect(depth.asks).toHaveLength(10);
    const bid = Number(depth.bids[0]![0]);
    const ask = Number(depth.asks[0]![0]);
    expect(bid).toBeLessThan(65000);
    expect(ask).toBeGreaterThan(65000);
    expect((ask - bid) / 65000).toBeLessThan(0.001);
    const owners = new Set(
      exchangeOf(b)
        .openOrders()
        .map((o) => o.userId),
    );
    expect([...owners]).toEqual([makerAccount(SYM)]);

    await run(sim, at, 60);
    const trades = await publicCall<{ items: unknown[] }>(b, 'marketData.trades', { symbol: SYM });
    expect(trades.items.length).toBeGreaterThan(5);
    const ex = exchangeOf(b);
    const takerUsdt = ex.holdings(takerAccount(SYM), 'USDT');
    expect(takerUsdt.available).toBeGreaterThan(0n);
    // Everything went through the ledger: it still reconciles.
    const report = await adminCall<{ ok: boolean }>(b, 'admin.ledger.reconcile');
    expect(report).toMatchObject({ ok: true });
    const candles = await publicCall<{ items: unknown[] }>(b, 'marketData.candles', {
      symbol: SYM,
      interval: '1m',
    });
    expect(candles.items.length).toBeGreaterThan(0);
  });

  it('is reproducible from its seed', async () => {
    const tape = async (seed: number) => {
      const { b, sim, at } = await start(seed);
      await run(sim, at, 40);
      const t = await publicCall<{ items: unknown[] }>(b, 'marketData.trades', { symbol: SYM });
      const d = await publicCall<Depth>(b, 'marketData.depth', { symbol: SYM });
      await b.cleanup();
      backend = undefined;
      return { t: t.items, d };
    };
    const a = await tape(11);
    const again = await tape(11);
    const other = await tape(12);
    expect(a.t.length).toBeGreaterThan(0);
    expect(again).toEqual(a);
    expect(other).not.toEqual(a);
  });

  it('lets a user trade against the market maker', async () => {
    const { b, sim, at } = await start();
    await run(sim, at, 1);
    await fund(b, 'alice', 'USDT', '100000');
    const order = await place(b, 'alice', {
      symbol: SYM,
      side: 'buy',
      type: 'market',
      qty: '0.01',
    });
    expect(order.status).toBe('filled');
    expect((await balances(b, 'alice')).BTC).toEqual({
      available: '0.01000000',
      held: '0.00000000',
    });
  });

  it('pauses (cancelling its quotes), resumes on a timer, and tunes per market', async () => {
    const { b, sim, at } = await start();
    await run(sim, at, 1);
    await adminCall(b, 'admin.simulator.pause', { symbol: SYM });
    expect((await publicCall<Depth>(b, 'marketData.depth', { symbol: SYM })).bids).toEqual([]);

    const tuned = await adminCall<Record<string, unknown>>(b, 'admin.simulator.tune', {
      symbol: SYM,
      spreadBps: 20,
      levels: 3,
      sizePerLevel: '0.2',
      volatilityPct: 90,
      tickMs: 100,
    });
    expect(tuned).toMatchObject({ spreadBps: 20, levels: 3, sizePerLevel: '0.2000', tickMs: 100 });
    await expect(
      adminCall(b, 'admin.simulator.tune', { symbol: SYM, sizePerLevel: '0.00001' }),
    ).rejects.toMatchObject({ code: 'lot_size' });
    await expect(
      adminCall(b, 'admin.simulator.tune', { symbol: SYM, reference: 'replay' }),
    ).rejects.toMatchObject({ code: 'sim_no_replay' });

    await adminCall(b, 'admin.simulator.resume', { symbol: SYM });
    const end = Date.now() + 3000;
    let depth: Depth = { bids: [], asks: [] };
    while (Date.now() < end && depth.bids.length === 0) {
      await new Promise((r) => setTimeout(r, 50));
      depth = await publicCall<Depth>(b, 'marketData.depth', { symbol: SYM });
    }
    expect(depth.bids).toHaveLength(3);
    expect(depth.bids[0]![1]).not.toBe('0.0000');
    const spread = Number(depth.asks[0]![0]) - Number(depth.bids[0]![0]);
    expect(spread / 65000).toBeGreaterThan(0.0015);
    await adminCall(b, 'admin.simulator.pause');
    const status = await adminCall<{ items: Array<{ running: boolean }> }>(
      b,
      'admin.simulator.status',
    );
    expect(status.items.every((i) => !i.running)).toBe(true);
  });

  it('replays an imported JSON candle file, rescaled to the reference', async (ctx) => {
    skipWithoutRealData(ctx, 'bars/freqtrade-UNITTEST_BTC-1m.json');
    const { b, sim, at } = await start();
    const content = readBars('freqtrade-UNITTEST_BTC-1m.json');
    const out = await adminCall<{
      candles: number;
      points: number;
      market: Record<string, unknown>;
    }>(b, 'admin.simulator.replay', { symbol: 'ETH/BTC', name: 'freqtrade 1m', content });
    expect(out.candles).toBeGreaterThan(13_000);
    expect(out.points).toBe(out.candles * 4);
    expect(out.market).toMatchObject({ referenceKind: 'replay', replayName: 'freqtrade 1m' });
    await run(sim, at, 4, 'ETH/BTC');
    const status = await adminCall<{ items: Array<{ symbol: string; reference: string }> }>(
      b,
      'admin.simulator.status',
    );
    // The first bar is flat at its close, so the reference sits on the start price.
    expect(status.items.find((i) => i.symbol === 'ETH/BTC')?.reference).toBe('0.04900');
  });

  it('replays a CSV Date,Open,High,Low,Close,Volume file and refuses an unreadable one', async () => {
    const { b, sim, at } = await start();
    const content = readBars('2006-day-001.txt');
    const out = await adminCall<{ candles: number }>(b, 'admin.simulator.replay', {
      symbol: SYM,
      name: '2006 daily',
      content,
      pointsPerCandle: 8,
    });
    expect(out.candles).toBe(255);
    await run(sim, at, 20);
    const seen = await publicCall<{ items: unknown[] }>(b, 'marketData.trades', { symbol: SYM });
    expect(seen.items.length).toBeGreaterThan(0);
    await expect(
      adminCall(b, 'admin.simulator.replay', { symbol: SYM, name: 'x', content: 'nonsense' }),
    ).rejects.toMatchObject({ code: 'dataset_invalid' });
  });

  it('follows a live feed when an admin turns it on, and holds still when it is unreachable', async () => {
    const { b, sim, at } = await start();
    const asked: string[] = [];
    let answer: () => Promise<unknown> = () =>
      Promise.resolve({ error: [], result: { XBTUSDT: { c: ['70000.5', '0.1'] } } });
    sim.useFetch(async (url) => {
      asked.push(url);
      const body = await answer();
      return { ok: true, status: 200, json: () => Promise.resolve(body) };
    });
    const tuned = await adminCall<Record<string, unknown>>(b, 'admin.simulator.tune', {
      symbol: SYM,
      reference: 'feed',
    });
    expect(tuned).toMatchObject({ referenceKind: 'feed', feed: { source: 'Kraken XBTUSDT' } });
    await new Promise((r) => setTimeout(r, 20));
    await run(sim, at, 2);
    const status = await adminCall<{ items: Array<Record<string, unknown>> }>(
      b,
      'admin.simulator.status',
    );
    expect(status.items[0]).toMatchObject({
      reference: '70000.50',
      feed: { lastPrice: '70000.50', error: null },
    });
    expect(asked[0]).toBe('https://api.kraken.com/0/public/Ticker?pair=XBTUSDT');
    const depth = await publicCall<Depth>(b, 'marketData.depth', { symbol: SYM });
    expect(Number(depth.bids[0]![0])).toBeGreaterThan(69_900);

    answer = () => Promise.reject(new Error('getaddrinfo ENOTFOUND api.kraken.com'));
    await sim.pollFeed(SYM);
    await run(sim, at, 1);
    const offline = await adminCall<{ items: Array<Record<string, unknown>> }>(
      b,
      'admin.simulator.status',
    );
    expect(offline.items[0]).toMatchObject({
      reference: '70000.50',
      feed: { error: 'getaddrinfo ENOTFOUND api.kraken.com' },
    });
    // Back to the walk: the feed stops.
    await adminCall(b, 'admin.simulator.tune', { symbol: SYM, reference: 'walk' });
    const walk = await adminCall<{ items: Array<Record<string, unknown>> }>(
      b,
      'admin.simulator.status',
    );
    expect(walk.items[0]).toMatchObject({ referenceKind: 'walk', feed: null });
  });

  it('tells anyone which markets are simulated and what their price follows', async (ctx) => {
    skipWithoutRealData(ctx, 'bars/freqtrade-UNITTEST_BTC-1m.json');
    const { b, sim } = await start();
    sim.useFetch(() => Promise.reject(new Error('getaddrinfo ENOTFOUND api.kraken.com')));
    type Sources = { items: Array<Record<string, unknown>> };
    const sources = async (): Promise<Record<string, Record<string, unknown>>> =>
      Object.fromEntries(
        (await publicCall<Sources>(b, 'simulator.sources', {})).items.map((i) => [i.symbol, i]),
      );
    expect((await sources())[SYM]).toEqual({
      symbol: SYM,
      simulated: false,
      referenceKind: 'walk',
      source: null,
      feedError: null,
    });
    await adminCall(b, 'admin.simulator.resume', { symbol: SYM });
    expect((await sources())[SYM]).toMatchObject({ simulated: true, referenceKind: 'walk' });
    await adminCall(b, 'admin.simulator.tune', { symbol: SYM, reference: 'feed' });
    await sim.pollFeed(SYM);
    expect((await sources())[SYM]).toMatchObject({
      simulated: true,
      referenceKind: 'feed',
      source: 'Kraken XBTUSDT',
      feedError: 'getaddrinfo ENOTFOUND api.kraken.com',
    });
    const content = readBars('freqtrade-UNITTEST_BTC-1m.json');
    await adminCall(b, 'admin.simulator.replay', {
      symbol: 'ETH/BTC',
      name: 'freqtrade 1m',
      content,
    });
    await adminCall(b, 'admin.simulator.resume', { symbol: 'ETH/BTC' });
    expect((await sources())['ETH/BTC']).toMatchObject({
      simulated: true,
      referenceKind: 'replay',
      source: 'freqtrade 1m',
    });
    await sim.pause();
    expect(Object.values(await sources()).every((x) => x.simulated === false)).toBe(true);
  });
});
