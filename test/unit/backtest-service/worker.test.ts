import { describe, expect, it } from 'vitest';
import { candlesFromRows } from '../../../src-main/domain/candles';
import {
  packCandles,
  unpackCandles,
  candlesBetween,
} from '../../../src-main/features/backtest/candles-blob';
import type { CandleArrays } from '../../../src-main/features/backtest/protocol';
import { runInWorker, WorkerRunError } from '../../../src-main/features/backtest/worker-runner';

const rows = Array.from({ length: 50 }, (_, i) => ({
  time: Date.UTC(2024, 0, 1) + i * 86_400_000,
  open: 100 + i,
  high: 101 + i,
  low: 99 + i,
  close: 100.5 + i,
  volume: 10 * i,
}));
const candles = candlesFromRows(rows);
const arrays: CandleArrays = { ...candles };

describe('candle blobs', () => {
  it('round-trips with and without open interest, and windows by time', () => {
    const back = unpackCandles(packCandles(candles), candles.length, false);
    expect(Array.from(back.close)).toEqual(Array.from(candles.close));
    expect(Array.from(back.time)).toEqual(Array.from(candles.time));
    const oi = candlesFromRows(rows.map((r, i) => ({ ...r, openInterest: i * 2 })));
    expect(Array.from(unpackCandles(packCandles(oi), 50, true).openInterest!)).toEqual(
      Array.from(oi.openInterest!),
    );
    const w = candlesBetween(candles, rows[10]!.time, rows[20]!.time);
    expect(w.length).toBe(10);
    expect(w.time[0]).toBe(rows[10]!.time);
  });
});

describe('runInWorker', () => {
  it('stops a strategy that exhausts its memory limit', async () => {
    const js = `defineStrategy({ create() { return { onBar() { const keep = []; for (;;) keep.push(new Array(1e5).fill(Math.random())); } }; } });`;
    const err = await runInWorker(
      {
        kind: 'backtest',
        strategy: { userId: 'u', js },
        candles: arrays,
        params: {},
        assumptions: {},
        sandbox: { memoryMb: 64 },
      },
      { maxHeapMb: 64, timeLimitMs: 30_000 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerRunError);
    expect((err as WorkerRunError).reason).toBe('strategy');
    expect((err as Error).message).toMatch(
      /^the strategy exceeded its memory limit of 64 MB and was stopped/,
    );
  });

  it('is cancelled by its abort signal', async () => {
    const js = `defineStrategy({ create() { return { onBar() { for (;;) {} } }; } });`;
    const controller = new AbortController();
    const p = runInWorker(
      {
        kind: 'backtest',
        strategy: { userId: 'u', js },
        candles: arrays,
        params: {},
        assumptions: {},
      },
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 200);
    const err = await p;
    expect((err as WorkerRunError).reason).toBe('cancelled');
  });
});
