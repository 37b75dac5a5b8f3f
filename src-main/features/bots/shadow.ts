import {
  runBacktest,
  type AssumptionsInput,
  type ParamValues,
  type StrategyDefinition,
} from '../../domain/backtest';
import { summarizeShadow, withPhantomBar, type ShadowSummary } from '../../domain/bots';
import type { Candles } from '../../domain/candles';
import { labelInterval } from '../../domain/candles/interval';
import type { StrategyRef } from '../backtest/protocol';
import type { Bar } from './market';

/** What a shadow replay needs of the backtest feature: its strategies and its worker path. */
export interface ShadowBacktest {
  builtIns: { get(id: string): StrategyDefinition | undefined };
  strategies: { resolveStrategy(userId: string, strategyId: string): { ref: StrategyRef } };
  runOnce(
    ref: StrategyRef,
    candles: Candles,
    params: ParamValues,
    assumptions: AssumptionsInput,
    timeLimitMs?: number,
  ): Promise<{ json: string }>;
}

export interface ShadowInput {
  userId: string;
  strategyId: string;
  params: ParamValues;
  /** The account's assumptions (fees, lot, shorting); capital and end-of-run are set here. */
  assumptions: AssumptionsInput;
  capital: number;
  bars: readonly Bar[];
  intervalMs: number;
  /** Index in `bars` of the first bar closed after the bot first started. */
  firstLive: number;
  timeLimitMs: number | null;
}

function toCandles(bars: readonly Bar[]): Candles {
  const col = (f: (b: Bar) => number) => Float64Array.from(bars, f);
  return {
    length: bars.length,
    time: col((b) => b.openTime),
    open: col((b) => b.open),
    high: col((b) => b.high),
    low: col((b) => b.low),
    close: col((b) => b.close),
    volume: col((b) => b.volume),
    openInterest: null,
  };
}

/**
 * Replays the strategy over the window plus the phantom bar, exactly as a backtest: a built-in
 * in this thread (a 2,000-bar run takes about a millisecond), a user strategy in a worker
 * through the QuickJS sandbox with its time limit, like every backtest of user code.
 */
export async function replay(bt: ShadowBacktest, input: ShadowInput): Promise<ShadowSummary> {
  const candles = withPhantomBar(toCandles(input.bars), input.intervalMs);
  const assumptions: AssumptionsInput = {
    ...input.assumptions,
    initialCash: input.capital,
    // The position after the last bar is the target: the run must not flatten it.
    closeAtEnd: false,
  };
  const { ref } = bt.strategies.resolveStrategy(input.userId, input.strategyId);
  if ('builtIn' in ref) {
    const strategy = bt.builtIns.get(ref.builtIn);
    if (!strategy) throw new Error(`unknown built-in strategy ${ref.builtIn}`);
    const r = runBacktest({
      candles,
      strategy,
      params: input.params,
      assumptions,
      interval: { ms: input.intervalMs, label: labelInterval(input.intervalMs) },
    });
    return summarizeShadow(r, input.firstLive, input.capital);
  }
  const out = await bt.runOnce(
    ref,
    candles,
    input.params,
    assumptions,
    input.timeLimitMs ?? undefined,
  );
  const doc = JSON.parse(out.json) as Parameters<typeof summarizeShadow>[0];
  return summarizeShadow(doc, input.firstLive, input.capital);
}
