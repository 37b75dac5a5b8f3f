import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltInRegistry, runBacktest } from '../../../src-main/domain/backtest';
import { parseCandles } from '../../../src-main/domain/candles';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { rejects } from '../../helpers/exchange';
import { bars, finished, trader, type Caller, type RunView } from './setup';

let backend: TestBackend;
let me: Caller;
let daily: number;
const DAILY = '2006-day-001.txt';

beforeAll(async () => {
  backend = await startTestBackend();
  me = await trader(backend);
  const d = await me.invoke<{ dataset: { id: number } }>('backtest.datasets.import', {
    name: 'daily 2006',
    content: bars(DAILY),
  });
  daily = d.dataset.id;
});
afterAll(async () => {
  await backend?.cleanup();
});

const future = {
  kind: 'future',
  multiplier: 50,
  initialMargin: 12_000,
  commissionPerContract: 2.5,
};

describe('backtest.run with an indicator convention and a futures instrument', () => {
  it('accepts them, echoes them, and gives the in-process engine figures', async () => {
    const params = { period: 14, allowShort: true };
    const assumptions = { indicatorConvention: 'talib', instrument: future };
    const queued = await me.invoke<RunView>('backtest.run', {
      datasetId: daily,
      strategyId: 'rsi-reversion',
      params,
      assumptions,
    });
    const { run, result } = await finished(backend, me, queued);
    expect(run.status).toBe('completed');
    expect(run.assumptions).toMatchObject({ ...assumptions, contractMultiplier: 50 });
    const direct = runBacktest({
      candles: parseCandles(bars(DAILY)).candles,
      strategy: createBuiltInRegistry().get('rsi-reversion')!,
      params,
      assumptions: assumptions as never,
    });
    expect(direct.trades.length).toBeGreaterThan(0);
    expect(run.tradeCount).toBe(direct.trades.length);
    expect(result!.trades.map((t) => t.netPnl)).toEqual(
      direct.trades.map((t) => (t.netPnlMinor / 100).toFixed(2)),
    );
    // Margin-sized: 100,000 buys 8 contracts at 12,002.50 each, not 0 at ~180,000 notional.
    expect(direct.trades[0]!.quantity).toBe(8);
  });

  it('refuses an unknown convention and leverage on a future before queueing', async () => {
    const bad = (assumptions: unknown) =>
      me.invoke('backtest.run', { datasetId: daily, strategyId: 'rsi-reversion', assumptions });
    await rejects(bad({ indicatorConvention: 'metastock' }), 'validation_failed');
    await rejects(bad({ instrument: future, leverage: 4 }), 'validation_failed');
    await rejects(bad({ instrument: { ...future, initialMargin: -1 } }), 'validation_failed');
  });
});
