import { AppError } from '../../../src-shared/contract';
import { divRound, formatDecimalText, unitsAt } from '../../domain/money';
import { ticksToPrice, type MarketSpec } from '../../domain/markets';
import type { ExchangeApi, OrderView, PlaceInput } from '../../features/exchange/api';
import type { VenueOrderResult } from '../venue';

/**
 * Placing a plan's exits on the exchange, and the words and shapes they are reported in.
 * No state: the keeper (brackets.ts) decides when, the plan store what is remembered.
 */

export type Side = 'buy' | 'sell';
export type Kind = 'takeProfit' | 'stopLoss';
/**
 * An exit plan's levels for one set of exits: prices, and for a trailing stop-loss its
 * distance instead of a stop-loss price — in basis points, or in price units (decimal text on
 * the tick, as the alert's `trailAmount`); one of the two.
 */
export type Levels = Partial<Record<Kind, string>> & {
  stopLossTrailBps?: number;
  stopLossTrailAmount?: string;
};

/** A trailing stop-loss's distance as `orders.place` takes it; undefined: it does not trail. */
export function stopLossTrail(
  levels: Levels,
): { trailBps: number } | { trailAmount: string } | undefined {
  if (levels.stopLossTrailBps !== undefined) return { trailBps: levels.stopLossTrailBps };
  if (levels.stopLossTrailAmount !== undefined) return { trailAmount: levels.stopLossTrailAmount };
  return undefined;
}

/** Whether the levels ask for this kind of exit (a trailing stop-loss has no price). */
export function hasKind(levels: Levels, kind: Kind): boolean {
  return kind === 'stopLoss'
    ? levels.stopLoss !== undefined || stopLossTrail(levels) !== undefined
    : levels.takeProfit !== undefined;
}
export const KINDS: readonly Kind[] = ['takeProfit', 'stopLoss'];
export const LABEL: Record<Kind, string> = { takeProfit: 'take-profit', stopLoss: 'stop-loss' };

/** Tells the user about exits placed later, or not placed at all. */
export type Notify = (n: {
  userId: string;
  level: 'info' | 'warning';
  title: string;
  body: string;
}) => void;

/** The exchange, and one order of a user as it stands (open or closed). */
export interface OrderLookup {
  exchange: ExchangeApi;
  order: (
    userId: string,
    ref: { orderId?: number; clientOrderId?: string },
  ) => OrderView | undefined;
}

/**
 * Places exits at these levels: both as one bracket OCO pair (a partial fill of the
 * take-profit leaves the stop-loss on the rest), one alone as a GTC limit or a stop-market,
 * under client ids `<tag>-oco`, `-tp`, `-sl`; a trailing stop-loss is the pair's trailing stop
 * leg, or a lone trailing stop-market. A refusal is answered, not thrown: the orders are then
 * listed as refused, with why (the entry they protect stands).
 */
export async function placeExits(
  lookup: OrderLookup,
  plan: { id: number; userId: string; symbol: string },
  side: Side,
  qty: string,
  levels: Levels,
  tag: string,
): Promise<
  | { orders: VenueOrderResult[]; result: Record<string, unknown> }
  | { orders: VenueOrderResult[]; error: string; code: string }
> {
  const { takeProfit, stopLoss } = levels;
  // A trailing stop-loss starts from the last price: it has no stop price to give.
  const trail = stopLossTrail(levels);
  const stop = trail ?? { stopPrice: stopLoss! };
  try {
    if (takeProfit && hasKind(levels, 'stopLoss')) {
      const list = await lookup.exchange.placeOco(plan.userId, {
        symbol: plan.symbol,
        side,
        qty,
        price: takeProfit,
        ...(trail === undefined
          ? { stopPrice: stopLoss! }
          : 'trailBps' in trail
            ? { stopTrailBps: trail.trailBps }
            : { stopTrailAmount: trail.trailAmount }),
        listClientOrderId: `${tag}-oco`,
        limitClientOrderId: `${tag}-tp`,
        stopClientOrderId: `${tag}-sl`,
        // A take-profit partly filled keeps its stop-loss for the rest.
        bracket: true,
      });
      return {
        orders: [
          exitResult(list.limitOrderId, plan.symbol, side, 'takeProfit', qty, takeProfit),
          exitResult(list.stopOrderId, plan.symbol, side, 'stopLoss', qty, stopLoss ?? null),
        ],
        result: {
          orderListId: list.orderListId,
          orderIds: [list.limitOrderId, list.stopOrderId],
        },
      };
    }
    const kind: Kind = takeProfit ? 'takeProfit' : 'stopLoss';
    const level = takeProfit ?? stopLoss ?? null;
    const view = await placeOnce(lookup, plan.userId, {
      symbol: plan.symbol,
      side,
      qty,
      ...(kind === 'takeProfit'
        ? { type: 'limit', price: takeProfit, tif: 'GTC', clientOrderId: `${tag}-tp` }
        : { type: 'stop_market', ...stop, clientOrderId: `${tag}-sl` }),
    });
    return {
      orders: [
        {
          ...exitResult(view.orderId, plan.symbol, side, kind, qty, level ?? view.stopPrice),
          status: view.status,
          filledQty: view.filledQty,
        },
      ],
      result: { orderIds: [view.orderId] },
    };
  } catch (error) {
    const message = messageOf(error);
    return {
      error: message,
      code: error instanceof AppError ? error.code : 'internal',
      orders: KINDS.filter((k) => hasKind(levels, k)).map((k) => ({
        ...exitResult(0, plan.symbol, side, k, qty, levels[k] ?? null),
        orderId: '',
        status: 'rejected',
        note: message,
      })),
    };
  }
}

/**
 * Places an exit, or answers the one placed before with its client id (a plan finished
 * again after a restart, its exit already closed: the exchange refuses the id as a
 * duplicate rather than answer a closed order).
 */
async function placeOnce(
  lookup: OrderLookup,
  userId: string,
  order: PlaceInput,
): Promise<OrderView> {
  try {
    return await lookup.exchange.place(userId, order);
  } catch (error) {
    if (error instanceof AppError && error.code === 'duplicate_client_order_id') {
      const prior = lookup.order(userId, { clientOrderId: order.clientOrderId! });
      if (prior) return prior;
    }
    throw error;
  }
}

/** An entry is done once nothing more of it can fill. */
export function isDone(status: string): boolean {
  return (
    status === 'filled' || status === 'cancelled' || status === 'expired' || status === 'rejected'
  );
}

/** A price at any scale to the market's nearest tick (ties to even), as decimal text. */
export function onTick(spec: MarketSpec, level: string): string {
  const scale = Math.max(spec.priceScale, level.split('.')[1]?.length ?? 0);
  const tick = spec.tickUnits * 10n ** BigInt(scale - spec.priceScale);
  const ticks = divRound(unitsAt(level, scale), tick, 'half_even');
  return ticksToPrice(spec, ticks > 0n ? ticks : 1n);
}

export function exitResult(
  orderId: number,
  symbol: string,
  side: Side,
  kind: Kind,
  qty: string,
  /** Its price (a trailing stop-loss placed as part of a pair: null, it moves). */
  level: string | null,
): VenueOrderResult {
  return {
    orderId: String(orderId),
    symbol,
    side,
    type: kind === 'takeProfit' ? 'limit' : 'stop_market',
    role: kind === 'takeProfit' ? 'take_profit' : 'stop_loss',
    price: level,
    qty,
    status: 'new',
    filledQty: '0',
    avgPrice: null,
  };
}

export function describe(side: Side, qty: string, levels: Levels): string {
  const parts = KINDS.filter((k) => hasKind(levels, k)).map((k) => {
    if (k === 'stopLoss' && levels.stopLossTrailBps !== undefined) {
      return `trailing stop-loss ${formatDecimalText(BigInt(levels.stopLossTrailBps), 2)} %`;
    }
    if (k === 'stopLoss' && levels.stopLossTrailAmount !== undefined) {
      return `trailing stop-loss ${levels.stopLossTrailAmount} behind`;
    }
    return `${LABEL[k]} ${levels[k]}`;
  });
  return `${side} ${qty} at ${parts.join(' / ')}`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
