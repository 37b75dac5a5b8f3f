import type { Candles } from '../candles/candles';
import { detectInterval } from '../candles/interval';
import type { BarInterval } from '../candles/interval';
import type { AssumptionsInput } from './assumptions';
import { resolveAssumptions } from './assumptions';
import type { BacktestResult } from './result';
import { buildResult } from './result';
import { fillPriceOn, trailAfterBar, trails } from './orders';
import type { Order } from './orders';
import { RunState } from './run-state';
import type { ParamValues, StrategyDefinition } from './strategy';
import { resolveParams } from './strategy';

/** Everything a backtest needs. Only `candles` and `strategy` are required. */
export interface BacktestConfig {
  candles: Candles;
  strategy: StrategyDefinition;
  /** Parameter values; missing ones take the spec defaults, unknown ones are an error. */
  params?: ParamValues;
  assumptions?: AssumptionsInput;
  /** Bar interval; detected from `candles.time` when omitted. */
  interval?: BarInterval;
  /** Called every `assumptions.pollEvery` bars and once at the end. */
  onProgress?: (barsDone: number, totalBars: number) => void;
  /** Polled every `assumptions.pollEvery` bars; returning true stops the run (status
   * `cancelled`, partial result, no end-of-data close). */
  isCancelled?: () => boolean;
}

/** Fills, cancels or keeps each open order against bar i (see `fillPriceOn`). */
function processOrders(s: RunState, i: number): void {
  const c = s.candles;
  const [o, h, l, cl] = [c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!];
  const pending = s.open;
  s.open = [];
  for (const order of pending) {
    if (order.status !== 'open') continue;
    if (order.submittedIndex >= i) {
      s.open.push(order);
      continue;
    }
    const px = fillPriceOn(order, s.assumptions, o, h, l, cl);
    if (Number.isNaN(px)) {
      // Not triggered on this bar: a trailing stop follows its close (backtrader's StopTrail).
      if (trails(order)) order.price = trailAfterBar(order, cl);
      s.open.push(order);
    } else execute(s, order, px, i);
  }
}

/** Sizes, checks and applies one fill. */
function execute(
  s: RunState,
  order: Order,
  px: number,
  i: number,
  reason: 'signal' | 'end' | 'bankrupt' = 'signal',
): void {
  const qty = s.account.quantityFor(order, px);
  if (qty <= 0) {
    s.finish(
      order,
      'cancelled',
      order.closesPosition ? 'no position to close' : 'sized quantity rounds to 0',
    );
    return;
  }
  const why = reason === 'signal' ? s.account.refusal(order.side, qty, px) : '';
  if (why) {
    s.finish(order, 'rejected', why);
    return;
  }
  order.feeMinor = s.account.fill(order.side, qty, px, i, s.candles.time[i]!, order.tag, reason);
  order.filledQuantity = qty;
  order.fillPrice = px;
  s.finish(order, 'filled', '');
}

/** Closes the position at bar i's close as a market order (spread and slippage apply). */
function flatten(s: RunState, i: number, reason: 'end' | 'bankrupt'): void {
  s.processing = i;
  const order = s.closePosition(reason);
  if (!order) return;
  s.open = s.open.filter((x) => x !== order);
  const c = s.candles;
  const a = { ...s.assumptions, marketFill: 'next-close' as const };
  execute(
    s,
    order,
    fillPriceOn(order, a, c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!),
    i,
    reason,
  );
}

/**
 * Runs a strategy over candles, event-driven bar by bar. Per bar i: orders submitted before
 * bar i are matched against it; equity is marked at its close; then `onBar` sees bar i
 * closed and may submit orders (which fill from bar i+1). Deterministic: same config, same
 * result. Synchronous and pure: the caller (a job or a worker) owns threads and I/O.
 */
export function runBacktest(config: BacktestConfig): BacktestResult {
  const a = resolveAssumptions(config.assumptions);
  const params = resolveParams(config.strategy.params, config.params);
  const c = config.candles;
  const s = new RunState(c, a, params, config.strategy.create(params));
  const curves = { equity: new Float64Array(c.length), position: new Float64Array(c.length) };
  s.strategy.onStart?.(s);
  const loop = barLoop(s, curves, config);
  if (loop.status === 'completed') finishRun(s, loop.done - 1, curves);
  config.onProgress?.(loop.done, c.length);
  return buildResult({
    state: s,
    strategyId: config.strategy.id,
    params,
    interval: config.interval ?? detectInterval(c.time),
    status: loop.status,
    bankrupt: loop.bankrupt,
    barsProcessed: loop.done,
    equity: curves.equity.subarray(0, loop.done),
    position: curves.position.subarray(0, loop.done),
  });
}

/** Per-bar curves the loop fills. */
interface Curves {
  equity: Float64Array;
  position: Float64Array;
}

/** The hot loop: match orders, mark equity, call `onBar`, poll progress/cancellation. */
function barLoop(s: RunState, curves: Curves, config: BacktestConfig) {
  const { candles: c, account: acct, assumptions: a } = s;
  const unit = 10 ** a.currencyScale;
  let status: 'completed' | 'cancelled' = 'completed';
  let bankrupt = false;
  let done = 0;
  for (let i = 0; i < c.length; i++) {
    s.processing = i;
    if (s.open.length > 0) processOrders(s, i);
    let eq = acct.equityAt(c.close[i]!);
    if (eq <= 0 && acct.position !== 0) {
      flatten(s, i, 'bankrupt');
      eq = acct.cashMinor / unit;
      bankrupt = true;
    }
    s.equityNow = eq;
    // The curve in money, at the currency's minor unit: unchanged equity recomputed in floats
    // (cash + position × price) can come out 1e-16 lower, a "drawdown" that made Sortino and
    // Calmar explode (2.5e16) on a strategy that never lost a cent.
    curves.equity[i] = Math.round(eq * unit) / unit;
    curves.position[i] = acct.position;
    s.index = i;
    done = i + 1;
    if (bankrupt) break;
    s.strategy.onBar(s);
    if (done % a.pollEvery === 0) {
      config.onProgress?.(done, c.length);
      if (config.isCancelled?.()) {
        status = 'cancelled';
        break;
      }
    }
  }
  return { status, bankrupt, done };
}

/** End of data: `onEnd`, cancel what is still open, then flatten if `closeAtEnd`. */
function finishRun(s: RunState, last: number, curves: Curves): void {
  if (last < 0) return;
  s.strategy.onEnd?.(s);
  s.processing = last;
  for (const o of [...s.open]) {
    s.open = s.open.filter((x) => x !== o);
    s.finish(o, 'cancelled', 'end of data');
  }
  if (s.assumptions.closeAtEnd && s.account.position !== 0) {
    flatten(s, last, 'end');
    curves.equity[last] = s.account.cash;
    curves.position[last] = 0;
  }
}
