import { AppError, type OperationInput } from '../../../src-shared/contract';
import { initialTrailStop, type PlaceCommand } from '../../domain/exchange';
import { holdAmount, placeOrderHold } from '../../domain/ledger';
import { ticksToPrice } from '../../domain/markets';
import {
  CLIENT_ID_WINDOW_MS,
  cancelInEngine,
  engineError,
  holdBasis,
  pushEvents,
  toPlaceCommand,
  trailOf,
  type ClientIdRule,
} from './commands';
import { clientKey, type ExchangeState } from './state';
import type { MarketRuntime, OrderList, OrderState } from './types';
import type { OrderView } from './views';

export type PlaceOcoInput = OperationInput<'orders.placeOco'>;
export type ListRef = OperationInput<'orders.cancelList'>;

/** Finds a list the caller placed, by id or list client id (the store answers closed ones). */
export type FindList = (userId: string, listClientId: string, since: number) => number | undefined;

function unknownList(ref: ListRef): AppError {
  return new AppError(
    'unknown_order_list',
    `No executing order list ${ref.orderListId ?? ref.listClientOrderId}`,
    ref,
  );
}

/** The two legs' engine commands, checked at the edge as orders.place checks an order. */
function legCommands(
  m: MarketRuntime,
  userId: string,
  ids: { limit: number; stop: number },
  ts: number,
  input: PlaceOcoInput,
): { limit: PlaceCommand; stop: PlaceCommand } {
  if (input.stopLimitTif !== undefined && input.stopLimitPrice === undefined) {
    throw new AppError('invalid_order', 'stopLimitTif needs a stopLimitPrice', {
      field: 'stopLimitTif',
    });
  }
  const common = { symbol: input.symbol, side: input.side, qty: input.qty, stp: input.stp };
  const limit = toPlaceCommand(m, userId, ids.limit, ts, {
    ...common,
    type: 'limit',
    price: input.price,
    postOnly: true,
    ...(input.limitClientOrderId !== undefined ? { clientOrderId: input.limitClientOrderId } : {}),
  });
  if (
    input.stopPrice === undefined &&
    input.stopTrailBps === undefined &&
    input.stopTrailAmount === undefined
  ) {
    throw new AppError(
      'invalid_order',
      'an OCO needs a stopPrice (or stopTrailBps or stopTrailAmount)',
      {
        field: 'stopPrice',
      },
    );
  }
  const stop = asStopLeg(() =>
    toPlaceCommand(m, userId, ids.stop, ts, {
      ...common,
      type: input.stopLimitPrice !== undefined ? 'stop_limit' : 'stop_market',
      ...(input.stopPrice !== undefined ? { stopPrice: input.stopPrice } : {}),
      ...(input.stopTrailBps !== undefined ? { trailBps: input.stopTrailBps } : {}),
      ...(input.stopTrailAmount !== undefined ? { trailAmount: input.stopTrailAmount } : {}),
      ...(input.stopLimitPrice !== undefined
        ? { price: input.stopLimitPrice, tif: input.stopLimitTif ?? ('GTC' as const) }
        : {}),
      ...(input.stopClientOrderId !== undefined ? { clientOrderId: input.stopClientOrderId } : {}),
    }),
  );
  const buy = input.side === 'buy';
  const lp = limit.price as number;
  const last = m.engine.lastPrice;
  // A trailing leg is checked at the stop price it starts with (toPlaceCommand made sure
  // there is one: an activation price, or a last price to trail from).
  const sp = initialTrailStop(stop, last, m.engine.config.tickSize);
  const stopText = ticksToPrice(m.spec, sp);
  if (buy ? lp >= sp : lp <= sp) {
    throw new AppError(
      'invalid_price',
      `A ${input.side} OCO needs its limit price ${buy ? 'below' : 'above'} the stop price (got ${input.price} and ${stopText})`,
      { field: 'price', price: input.price, stopPrice: stopText },
    );
  }
  if (last > 0 && (buy ? last >= sp : last <= sp)) {
    throw new AppError(
      'stop_would_trigger',
      `The last price ${ticksToPrice(m.spec, last)} already reaches the stop price ${stopText}: the stop leg would trigger at once`,
      { stopPrice: stopText, lastPrice: ticksToPrice(m.spec, last) },
    );
  }
  return { limit, stop };
}

/** The OCO input's names for the stop leg's fields, which toPlaceCommand names as a lone order's. */
const STOP_LEG_FIELDS: Record<string, string> = {
  trailBps: 'stopTrailBps',
  trailAmount: 'stopTrailAmount',
  price: 'stopLimitPrice',
  tif: 'stopLimitTif',
  clientOrderId: 'stopClientOrderId',
};

/** Builds the stop leg; a refusal names the field as the OCO request spells it. */
function asStopLeg(build: () => PlaceCommand): PlaceCommand {
  try {
    return build();
  } catch (e) {
    const details =
      e instanceof AppError ? (e.details as { field?: unknown } | undefined) : undefined;
    const field = typeof details?.field === 'string' ? details.field : undefined;
    const named = field !== undefined ? STOP_LEG_FIELDS[field] : undefined;
    if (!(e instanceof AppError) || named === undefined || field === undefined) throw e;
    const message = e.message.startsWith(`${field}:`)
      ? `${named}:${e.message.slice(field.length + 1)}`
      : e.message;
    throw new AppError(e.code, message, { ...details, field: named }, e.status);
  }
}

function legState(
  s: ExchangeState,
  cmd: PlaceCommand,
  symbol: string,
  listId: number,
  siblingId: number,
  res: OrderState['res'],
): OrderState {
  return {
    id: cmd.orderId,
    userId: cmd.userId,
    symbol,
    clientOrderId: cmd.clientOrderId ?? null,
    side: cmd.side,
    kind: cmd.kind,
    tif: cmd.tif ?? 'GTC',
    postOnly: cmd.postOnly ?? false,
    stp: cmd.stp ?? 'cancel_newest',
    price: cmd.price ?? 0,
    stopPrice: cmd.stopPrice ?? 0,
    qty: cmd.qty ?? 0,
    quoteQty: 0,
    openQty: cmd.qty ?? 0,
    filledQty: 0,
    filledQuote: 0n,
    status: 'new',
    cancelReason: null,
    waiting: false,
    priority: 0,
    res,
    listId,
    siblingId,
    tsCreated: s.batch.ts,
    tsUpdated: s.batch.ts,
    ...(trailOf(cmd) ? { trail: trailOf(cmd) } : {}),
  };
}

/**
 * Places an OCO pair in the queue: both legs or neither, ONE hold for the pair. The engine
 * lets only one leg ever trade (the first fill or the trigger ends the other first), so the
 * pair holds what its dearer leg can cost: for a sell the quantity, for a buy the larger of
 * the limit's notional and the stop's (its limit price, or the band ceiling above the stop
 * price for a stop-market), each with the maximum fee. The limit leg carries the hold; it
 * moves to the stop leg when the stop triggers (see ExchangeState.handOver).
 */
export function placeOcoList(
  s: ExchangeState,
  userId: string,
  input: PlaceOcoInput,
  findList: FindList,
  rule: ClientIdRule = 'idempotent',
): { list: OrderList } | { existing: number } {
  const m = s.market(input.symbol);
  if (input.listClientOrderId !== undefined) {
    const key = clientKey(userId, input.listClientOrderId);
    const open = s.openListsByClient.get(key);
    if (rule === 'unique_open' && open !== undefined) {
      throw engineError('duplicate_client_order_id', { orderListId: open });
    }
    const known =
      rule === 'unique_open'
        ? undefined
        : (s.batch.listClientIds.get(key) ??
          open ??
          findList(userId, input.listClientOrderId, s.batch.ts - CLIENT_ID_WINDOW_MS));
    if (known !== undefined) return { existing: known };
  }
  if (m.engine.status !== 'trading') {
    const code = m.engine.status === 'halted' ? 'market_halted' : 'market_cancel_only';
    throw engineError(code, { symbol: input.symbol });
  }
  const ids = { limit: s.nextOrderId, stop: s.nextOrderId + 1 };
  const cmds = legCommands(m, userId, ids, s.batch.ts, input);
  const spec = m.spec;
  const maxFeePpm = Math.max(spec.config.takerFeePpm, spec.config.makerFeePpm);
  const bases = [holdBasis(m, cmds.limit), holdBasis(m, cmds.stop)] as const;
  const [a, b] = bases.map((basis) => holdAmount(spec, basis, maxFeePpm).amount);
  const hold = placeOrderHold(spec, {
    orderId: String(ids.limit),
    owner: userId,
    basis: (a as bigint) >= (b as bigint) ? bases[0] : bases[1],
    maxFeePpm,
  });
  if (!hold.ok) throw new AppError(hold.error.code, hold.error.message, hold.error.details);
  s.ledger.check(hold.value.entry);
  s.nextOrderId += 2;
  const symbol = spec.config.symbol;
  const bracket = input.bracket === true;
  const code = m.engine.execute({ type: 'place_oco', ts: s.batch.ts, ...cmds, bracket });
  const events = m.engine.events.slice();
  if (code !== 'ok') {
    pushEvents(s, symbol, events);
    s.batch.markets.add(symbol);
    throw engineError(code, { symbol });
  }
  const listId = s.nextListId++;
  const res = hold.value.reservation;
  const limit = legState(s, cmds.limit, symbol, listId, ids.stop, res);
  const stop = legState(s, cmds.stop, symbol, listId, ids.limit, {
    ...res,
    orderId: String(ids.stop),
    remaining: 0n,
  });
  const list: OrderList = {
    id: listId,
    userId,
    symbol,
    listClientId: input.listClientOrderId ?? null,
    limitOrderId: ids.limit,
    stopOrderId: ids.stop,
    status: 'executing',
    bracket,
    tsCreated: s.batch.ts,
    tsUpdated: s.batch.ts,
  };
  s.record(hold.value.entry);
  s.openLists.set(listId, list);
  s.batch.lists.set(listId, list);
  if (list.listClientId !== null) {
    const key = clientKey(userId, list.listClientId);
    s.openListsByClient.set(key, listId);
    s.batch.listClientIds.set(key, listId);
  }
  s.addOpen(limit);
  s.addOpen(stop);
  s.applyEvents(m, events);
  return { list };
}

/** An executing list of this user by id or list client id. */
export function findOpenList(s: ExchangeState, userId: string, ref: ListRef): OrderList {
  if (ref.orderListId === undefined && ref.listClientOrderId === undefined) {
    throw new AppError('validation_failed', 'Give orderListId or listClientOrderId', {
      fields: [{ field: 'orderListId', message: 'orderListId or listClientOrderId is required' }],
    });
  }
  const id =
    ref.orderListId ?? s.openListsByClient.get(clientKey(userId, ref.listClientOrderId as string));
  const list = id !== undefined ? s.openLists.get(id) : undefined;
  if (!list || list.userId !== userId) throw unknownList(ref);
  return list;
}

/**
 * Cancels both legs: the limit leg by the user's request, then the engine ends the stop leg
 * as its sibling (cancel reason `oco`) in the same command.
 */
export function cancelOrderList(s: ExchangeState, list: OrderList): OrderList {
  cancelInEngine(s, list.symbol, list.limitOrderId, list.userId);
  return list;
}

/** The API shape of a list, its legs as they now stand (limit first). */
export function listView(list: OrderList, legs: readonly [OrderView, OrderView]) {
  return {
    orderListId: list.id,
    listClientOrderId: list.listClientId,
    contingencyType: 'oco' as const,
    bracket: list.bracket,
    symbol: list.symbol,
    status: list.status,
    orders: [...legs],
    tsCreated: list.tsCreated,
    tsUpdated: list.tsUpdated,
  };
}

export type OrderListView = ReturnType<typeof listView>;
