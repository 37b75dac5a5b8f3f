import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marketCandles } from '../../../src-main/db/schema';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, place, rejects } from '../../helpers/exchange';
import { finished, trader, type Caller, type RunView } from './setup';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 30);
let clock = T0;
let backend: TestBackend;
let me: Caller;
const PRICES = ['65000', '65100', '64900', '65300', '65200', '65500', '65400', '65800'];

beforeAll(async () => {
  backend = await startTestBackend({ now: () => clock });
  me = await trader(backend);
  for (const u of ['maker', 'taker']) {
    await fund(backend, u, 'USDT', '10000000');
    await fund(backend, u, 'BTC', '100');
  }
  // One trade per minute at known prices: the exchange records 1m candles from them.
  for (const price of PRICES) {
    await place(backend, 'maker', {
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'limit',
      price,
      qty: '0.1',
    });
    await place(backend, 'taker', { symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.1' });
    clock += 60_000;
  }
  // Candles are written in batches off the order path: wait until all eight are stored.
  const stored = () =>
    backend.store.db
      .select({ n: count() })
      .from(marketCandles)
      .where(eq(marketCandles.interval, '1m'))
      .get()!.n;
  for (let i = 0; i < 300 && stored() < PRICES.length; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
});
afterAll(async () => {
  await backend.cleanup();
});

describe('datasets from candles recorded by the local exchange', () => {
  it('converts engine units to prices, validates, and backtests on them', async () => {
    const answer = await me.invoke<{
      dataset: {
        id: number;
        barCount: number;
        interval: string;
        source: string;
        firstTime: number;
      };
      report: { format: string; rowsAccepted: number };
    }>('backtest.datasets.fromExchange', { name: 'BTC local', symbol: 'BTC/USDT', interval: '1m' });
    expect(answer.dataset).toMatchObject({
      barCount: PRICES.length,
      interval: '1m',
      source: 'exchange',
      firstTime: T0 - 30_000,
    });
    expect(answer.report.format).toBe('exchange');
    const page = await me.invoke<{ close: number[] }>('backtest.datasets.candles', {
      id: answer.dataset.id,
    });
    expect(page.close).toEqual(PRICES.map(Number));

    const queued = await me.invoke<RunView>('backtest.run', {
      datasetId: answer.dataset.id,
      strategyId: 'buy-and-hold',
      assumptions: { quantityStep: 0.0001, metrics: { calendar: 'crypto' } },
    });
    const { run, result } = await finished(backend, me, queued);
    expect(run.status).toBe('completed');
    // Bought at the second bar's open (65100), sold at the last close (65800).
    expect(result!.trades).toHaveLength(1);
    expect(result!.trades[0]).toMatchObject({ entryPrice: 65100, exitPrice: 65800 });
  });

  it('refuses unknown markets, intervals and empty ranges', async () => {
    await rejects(
      me.invoke('backtest.datasets.fromExchange', {
        name: 'x',
        symbol: 'NOPE/USDT',
        interval: '1m',
      }),
      'unknown_market',
    );
    await rejects(
      me.invoke('backtest.datasets.fromExchange', {
        name: 'x',
        symbol: 'BTC/USDT',
        interval: '7m',
      }),
      'validation_failed',
    );
    await rejects(
      me.invoke('backtest.datasets.fromExchange', {
        name: 'x',
        symbol: 'BTC/USDT',
        interval: '1m',
        from: T0 + 3_600_000,
      }),
      'dataset_invalid',
    );
  });
});
