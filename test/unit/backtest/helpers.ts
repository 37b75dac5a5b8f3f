import type { Candles } from '../../../src-main/domain/candles';
import { candlesFromRows } from '../../../src-main/domain/candles';
import type {
  Order,
  OrderRequest,
  StrategyContext,
  StrategyDefinition,
} from '../../../src-main/domain/backtest';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 1);

/** Daily candles from [open, high, low, close] tuples, one per calendar day from 2024-01-01. */
export function bars(ohlc: ReadonlyArray<readonly [number, number, number, number]>): Candles {
  return candlesFromRows(
    ohlc.map(([open, high, low, close], i) => ({
      time: T0 + i * DAY,
      open,
      high,
      low,
      close,
      volume: 1,
    })),
  );
}

/** Flat bars at one price (open = high = low = close). */
export function flat(prices: readonly number[]): Candles {
  return bars(prices.map((p) => [p, p, p, p] as const));
}

/** A strategy that submits the given requests at the given bar indices, and records every
 * order update it receives. `'close'` closes the position; `{ cancel: id }` cancels. */
export type Step = OrderRequest | 'close' | { cancel: number };
export function scripted(
  plan: Readonly<Record<number, readonly Step[]>>,
  updates: Order[] = [],
): StrategyDefinition {
  return {
    id: 'scripted',
    name: 'scripted',
    description: 'test script',
    params: [],
    create: () => ({
      onBar(ctx: StrategyContext) {
        for (const s of plan[ctx.index] ?? []) {
          if (s === 'close') ctx.closePosition();
          else if ('cancel' in s) ctx.cancel(s.cancel);
          else ctx.submit(s);
        }
      },
      onOrderUpdate(o: Readonly<Order>) {
        updates.push({ ...o });
      },
    }),
  };
}
