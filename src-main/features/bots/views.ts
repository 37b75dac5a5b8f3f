import type { BotViewType, CandleIntervalName } from '../../../src-shared/contract';
import { addDecimal, subDecimal } from '../../domain/money';
import { unrealisedPnl, type BotStatus } from '../../domain/bots';
import type { ParamValues } from '../../domain/backtest';
import type { BotRow, ExecutionRow } from './store';

/** An execution as the contract shows it. */
export function executionView(e: ExecutionRow) {
  return {
    id: e.id,
    barTime: e.barTime,
    signal: e.signal,
    shadowPosition: e.shadowPosition,
    target: e.target,
    liveBefore: e.liveBefore,
    adjustment: e.adjustment,
    side: e.side,
    qty: e.qty,
    alertId: e.alertId,
    outcome: e.outcome as ExecutionView['outcome'],
    errorCode: e.errorCode,
    error: e.error,
    filledQty: e.filledQty,
    avgPrice: e.avgPrice,
    logId: e.logId,
    tsCreated: e.tsCreated,
    tsDone: e.tsDone,
  };
}
type ExecutionView = NonNullable<BotViewType['lastOrder']>;

interface StoredShadow {
  position: number;
  equity: string;
  pnl: string;
  trades: number;
  bars: number;
}

/**
 * A bot as the contract shows it: its live book marked at the last processed close, the
 * shadow backtest's P&L over the same period, and the drift between the two.
 */
export function botView(b: BotRow, lastOrder: ExecutionRow | undefined, now: number): BotViewType {
  const book = { position: b.position, avgPrice: b.avgPrice, realisedPnl: b.realisedPnl };
  const unrealised = unrealisedPnl(book, b.lastClose);
  const livePnl = addDecimal(b.realisedPnl, unrealised);
  const shadow = b.shadow ? (JSON.parse(b.shadow) as StoredShadow) : null;
  return {
    id: b.id,
    name: b.name,
    strategyId: b.strategyId,
    strategyName: b.strategyName,
    params: JSON.parse(b.params) as ParamValues,
    accountId: b.accountId,
    symbol: b.symbol,
    interval: b.interval as CandleIntervalName,
    capital: b.capital,
    warmupBars: b.warmupBars,
    status: b.status as BotStatus,
    reason: b.reason,
    lastBarTime: b.lastBarTime,
    lastSignal: b.lastSignal,
    lastOrder: lastOrder ? executionView(lastOrder) : null,
    uptimeMs:
      b.status === 'running' && b.tsRunningSince !== null
        ? Math.max(0, now - b.tsRunningSince)
        : null,
    tsStarted: b.tsStarted,
    position: b.position,
    avgPrice: b.avgPrice,
    mark: b.lastClose,
    realisedPnl: b.realisedPnl,
    unrealisedPnl: unrealised,
    livePnl,
    shadow,
    drift: shadow ? subDecimal(livePnl, shadow.pnl) : null,
    tsCreated: b.tsCreated,
    tsUpdated: b.tsUpdated,
  };
}
