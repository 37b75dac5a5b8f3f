/**
 * The facade's order lists (OCO only, its stop leg trailing or not): `POST orderList/oco` (and
 * the older `POST order/oco`), `DELETE orderList`, `GET orderList`, `openOrderList` and
 * `allOrderList`, mapped onto the catalogue's `orders.placeOco`, `orders.cancelList`,
 * `orders.getList` and `orders.lists`.
 */
import { randomBytes } from 'node:crypto';
import type { OperationInput, OperationOutput } from '../../../src-shared/contract';
import {
  BinanceError,
  binanceOrder,
  toBinanceError,
  trailingDeltaBps,
  trailingFields,
  type Market,
} from './mapping';
import { idParam, limitOf, timeWindow, type Call, type Params, type Route } from './call';
import { placedState } from './order-count';

type OcoInput = OperationInput<'orders.placeOco'>;
type OrderList = OperationOutput<'orders.getList'>;
type Leg = OrderList['orders'][number];

/** The stop leg first, then the limit maker, as Binance lists an OCO's orders. */
const binanceLegs = (l: OrderList): [Leg, Leg] => [l.orders[1] as Leg, l.orders[0] as Leg];

const madeUpId = () => `x-${randomBytes(9).toString('base64url')}`;

const STOP_TYPES = { STOP_LOSS: 'stop_market', STOP_LOSS_LIMIT: 'stop_limit' } as const;
/** The older order/oco's names for the stop leg's stop price and trailing delta. */
const LEGACY_STOP = { stopPrice: 'stopPrice', trailingDelta: 'trailingDelta' } as const;
const TIFS = ['GTC', 'IOC', 'FOK'] as const;
const STP: Record<string, OcoInput['stp']> = {
  EXPIRE_TAKER: 'cancel_newest',
  EXPIRE_MAKER: 'cancel_oldest',
  EXPIRE_BOTH: 'cancel_both',
};

function required(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === '') {
    throw new BinanceError(
      -1102,
      `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
    );
  }
  return v;
}

function refuseUnsupported(p: Params, names: readonly string[]): void {
  for (const name of names) {
    if (p[name] !== undefined) {
      throw new BinanceError(-1104, `Not all sent parameters were read: ${name}.`);
    }
  }
}

function tifOf(p: Params, name: string): (typeof TIFS)[number] | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (!(TIFS as readonly string[]).includes(v)) {
    throw new BinanceError(-1115, 'Invalid timeInForce.');
  }
  return v as (typeof TIFS)[number];
}

/** Side, quantity, STP and the list's client id: what both OCO endpoints share. */
function commonOf(p: Params, m: Market) {
  const side = required(p, 'side');
  if (side !== 'BUY' && side !== 'SELL') throw new BinanceError(-1117, 'Invalid side.');
  const input: OcoInput = {
    symbol: m.symbol,
    side: side === 'BUY' ? 'buy' : 'sell',
    qty: required(p, 'quantity'),
    price: '0',
    listClientOrderId: p.listClientOrderId ?? madeUpId(),
  };
  const stp = p.selfTradePreventionMode;
  if (stp !== undefined && stp !== 'NONE') {
    const mode = STP[stp];
    if (mode === undefined) {
      throw new BinanceError(
        -1100,
        "Illegal characters found in parameter 'selfTradePreventionMode'.",
      );
    }
    input.stp = mode;
  }
  return input;
}

/**
 * The stop leg's stop price and trailing delta, named as the endpoint names them: either or
 * both (Binance's "Either stopPrice or trailingDelta, or both, must be specified"; -1102 with
 * neither). The delta is `stopTrailBps`, checked as a lone stop's `trailingDelta` is; with it
 * the stop price is the activation price, and without one the leg trails from the last price.
 */
function stopLegOf(
  p: Params,
  names: { stopPrice: string; trailingDelta: string },
  side: OcoInput['side'],
): Pick<OcoInput, 'stopPrice' | 'stopTrailBps'> {
  const stopPrice = p[names.stopPrice] !== undefined ? required(p, names.stopPrice) : undefined;
  const delta = p[names.trailingDelta];
  if (stopPrice === undefined && delta === undefined) {
    throw new BinanceError(
      -1102,
      `Param '${names.stopPrice}' or '${names.trailingDelta}' must be sent, but both were empty/null!`,
    );
  }
  return {
    ...(stopPrice !== undefined ? { stopPrice } : {}),
    ...(delta !== undefined
      ? { stopTrailBps: trailingDeltaBps(names.trailingDelta, delta, side) }
      : {}),
  };
}

/**
 * `POST /api/v3/orderList/oco`: an above and a below order, one LIMIT_MAKER and one
 * STOP_LOSS[_LIMIT], which may trail. A sell's limit is the above order, a buy's the below one
 * (Binance's -1166 / -1165 otherwise); a trailing delta on the limit maker is -1106.
 */
export function ocoInputOf(p: Params, m: Market): OcoInput {
  refuseUnsupported(p, [
    'aboveIcebergQty',
    'belowIcebergQty',
    'aboveStrategyId',
    'belowStrategyId',
    'aboveStrategyType',
    'belowStrategyType',
  ]);
  const input = commonOf(p, m);
  const above = required(p, 'aboveType');
  const below = required(p, 'belowType');
  const sell = input.side === 'sell';
  const [limitAt, stopAt] = sell ? (['above', 'below'] as const) : (['below', 'above'] as const);
  const limitType = sell ? above : below;
  const stopType = sell ? below : above;
  for (const [at, type] of [
    ['above', above],
    ['below', below],
  ] as const) {
    if (type === 'TAKE_PROFIT' || type === 'TAKE_PROFIT_LIMIT') {
      throw new BinanceError(
        -1104,
        `Not all sent parameters were read: ${at}Type ${type} (an OCO's take-profit leg is its LIMIT_MAKER here).`,
      );
    }
  }
  if (limitType !== 'LIMIT_MAKER' || !(stopType in STOP_TYPES)) {
    throw sell
      ? new BinanceError(-1166, 'A limit order in a sell OCO must be above.')
      : new BinanceError(-1165, 'A limit order in a buy OCO must be below.');
  }
  if (p[`${limitAt}TrailingDelta`] !== undefined) {
    throw new BinanceError(-1106, `Parameter '${limitAt}TrailingDelta' sent when not required.`);
  }
  input.price = required(p, `${limitAt}Price`);
  const names = { stopPrice: `${stopAt}StopPrice`, trailingDelta: `${stopAt}TrailingDelta` };
  const stop = stopLegOf(p, names, input.side);
  if (stopType === 'STOP_LOSS_LIMIT') {
    input.stopLimitPrice = required(p, `${stopAt}Price`);
    input.stopLimitTif = tifOf(p, `${stopAt}TimeInForce`) ?? 'GTC';
  }
  const limitId = p[`${limitAt}ClientOrderId`] ?? madeUpId();
  const stopId = p[`${stopAt}ClientOrderId`] ?? madeUpId();
  return { ...input, ...stop, limitClientOrderId: limitId, stopClientOrderId: stopId };
}

/**
 * The deprecated `POST /api/v3/order/oco`: price, stopPrice and/or trailingDelta (the stop
 * leg's), stopLimitPrice.
 */
export function legacyOcoInputOf(p: Params, m: Market): OcoInput {
  refuseUnsupported(p, [
    'limitIcebergQty',
    'stopIcebergQty',
    'limitStrategyId',
    'stopStrategyId',
    'limitStrategyType',
    'stopStrategyType',
  ]);
  const input = commonOf(p, m);
  input.price = required(p, 'price');
  const stop = stopLegOf(p, LEGACY_STOP, input.side);
  if (p.stopLimitPrice !== undefined) {
    input.stopLimitPrice = p.stopLimitPrice;
    input.stopLimitTif = tifOf(p, 'stopLimitTimeInForce') ?? 'GTC';
  } else if (p.stopLimitTimeInForce !== undefined) {
    throw new BinanceError(-1106, "Parameter 'stopLimitTimeInForce' sent when not required.");
  }
  return {
    ...input,
    ...stop,
    limitClientOrderId: p.limitClientOrderId ?? madeUpId(),
    stopClientOrderId: p.stopClientOrderId ?? madeUpId(),
  };
}

/** Binance's list block: the stop leg first, then the limit maker, as Binance lists them. */
function binanceList(l: OrderList, symbol: string) {
  const done = l.status === 'all_done';
  return {
    orderListId: l.orderListId,
    contingencyType: 'OCO',
    listStatusType: done ? 'ALL_DONE' : 'EXEC_STARTED',
    listOrderStatus: done ? 'ALL_DONE' : 'EXECUTING',
    listClientOrderId: l.listClientOrderId ?? '',
    transactionTime: l.tsUpdated,
    symbol,
    orders: binanceLegs(l).map((o) => ({
      symbol,
      orderId: o.orderId,
      clientOrderId: o.clientOrderId ?? '',
    })),
  };
}

/** The legs in full, as the place and cancel answers report them. */
function orderReports(l: OrderList, symbol: string, cancel: boolean) {
  return binanceLegs(l).map((o) => {
    const b = binanceOrder(o, symbol);
    const report = {
      symbol,
      orderId: o.orderId,
      orderListId: l.orderListId,
      clientOrderId: b.clientOrderId,
      transactTime: l.tsUpdated,
      price: b.price,
      origQty: b.origQty,
      executedQty: b.executedQty,
      cummulativeQuoteQty: b.cummulativeQuoteQty,
      status: b.status,
      timeInForce: b.timeInForce,
      type: b.type,
      side: b.side,
      stopPrice: b.stopPrice,
      // Binance's -1 for a stop not yet working.
      workingTime: o.type === 'limit' ? o.tsCreated : -1,
      selfTradePreventionMode: b.selfTradePreventionMode,
      ...trailingFields(o),
    };
    return cancel ? { ...report, origClientOrderId: b.clientOrderId } : report;
  });
}

/** The caller's list named by `orderListId` or a client id parameter (-1102 with neither). */
function listRef(p: Params, clientParam: string) {
  const id = idParam(p, 'orderListId');
  if (id !== undefined) return { orderListId: id };
  const cid = p[clientParam];
  if (cid !== undefined) return { listClientOrderId: cid };
  throw new BinanceError(
    -1102,
    `Param '${clientParam}' or 'orderListId' must be sent, but both were empty/null!`,
  );
}

/** A refusal of orders.placeOco in Binance's words for an OCO. */
function ocoRefusal(err: unknown, stopPriceName: string): BinanceError {
  const e = toBinanceError(err);
  // The pair's prices against each other and the last price: Binance's one message for it.
  if (e.bourse?.code === 'invalid_price' && e.bourse.message.includes('OCO')) {
    const msg = 'The relationship of the prices for the orders is not correct.';
    return new BinanceError(-2010, msg, 400, e.bourse);
  }
  if (e.bourse?.code === 'no_reference_price') {
    const msg = `Mandatory parameter '${stopPriceName}' was not sent, was empty/null, or malformed.`;
    return new BinanceError(-1102, msg, 400, e.bourse);
  }
  return e;
}

async function placeOco(c: Call, maxNumOrders: number, legacy: boolean) {
  const { symbol, market: m } = await c.market();
  const input = legacy ? legacyOcoInputOf(c.params, m) : ocoInputOf(c.params, m);
  const { items } = await c.invoke('orders.list', {
    scope: 'open',
    symbol: m.symbol,
    limit: maxNumOrders,
  });
  // An OCO adds two orders to MAX_NUM_ORDERS, as on Binance.
  if (items.length + 2 > maxNumOrders) {
    throw new BinanceError(-2010, 'Filter failure: MAX_NUM_ORDERS');
  }
  // What a trailing leg without a stop price lacks where nothing traded, as the endpoint names it.
  const stopPriceName = legacy
    ? 'stopPrice'
    : `${input.side === 'sell' ? 'below' : 'above'}StopPrice`;
  const list = await c.invoke('orders.placeOco', input).catch((err: unknown) => {
    throw ocoRefusal(err, stopPriceName);
  });
  c.orderCount.placed(list.orders.map((o) => ({ orderId: o.orderId, state: placedState(o) })));
  return { ...binanceList(list, symbol), orderReports: orderReports(list, symbol, false) };
}

/** Lists of all markets as Binance answers them (markets the facade does not serve skipped). */
async function listsOf(c: Call, lists: readonly OrderList[], extra: object = {}) {
  const map = await c.symbols();
  return lists.flatMap((l) => {
    const s = map.symbolOf(l.symbol);
    return s ? [{ ...binanceList(l, s), ...extra }] : [];
  });
}

export function orderListRoutes(maxNumOrders: number): Route[] {
  return [
    {
      method: 'POST',
      path: '/orderList/oco',
      signed: true,
      weight: 1,
      places: 2,
      handler: (c) => placeOco(c, maxNumOrders, false),
    },
    {
      method: 'POST',
      path: '/order/oco',
      signed: true,
      weight: 1,
      places: 2,
      handler: (c) => placeOco(c, maxNumOrders, true),
    },
    {
      method: 'DELETE',
      path: '/orderList',
      signed: true,
      weight: 1,
      handler: async (c) => {
        const { symbol, market: m } = await c.market();
        const ref = listRef(c.params, 'listClientOrderId');
        const current = await c.invoke('orders.getList', ref).catch(() => undefined);
        if (!current || current.symbol !== m.symbol) {
          throw new BinanceError(-2011, 'Unknown order list sent.');
        }
        const list = await c.invoke('orders.cancelList', { orderListId: current.orderListId });
        return { ...binanceList(list, symbol), orderReports: orderReports(list, symbol, true) };
      },
    },
    {
      method: 'GET',
      path: '/orderList',
      signed: true,
      weight: 4,
      handler: async (c) => {
        const list = await c
          .invoke('orders.getList', listRef(c.params, 'origClientOrderId'))
          .catch((err: unknown) => {
            throw toBinanceError(err).code === -2011
              ? new BinanceError(-2013, 'Order list does not exist.')
              : err;
          });
        const [one] = await listsOf(c, [list]);
        if (!one) throw new BinanceError(-2013, 'Order list does not exist.');
        return one;
      },
    },
    {
      method: 'GET',
      path: '/openOrderList',
      signed: true,
      weight: 6,
      handler: async (c) => {
        const { items } = await c.invoke('orders.lists', { scope: 'open', limit: 1000 });
        return listsOf(c, items);
      },
    },
    {
      method: 'GET',
      path: '/allOrderList',
      signed: true,
      weight: 20,
      handler: async (c) => {
        const fromId = idParam(c.params, 'fromId');
        const window = timeWindow(c.params);
        if (fromId !== undefined && (window.from !== undefined || window.to !== undefined)) {
          throw new BinanceError(-1128, 'Combination of optional parameters invalid.');
        }
        const limit = limitOf(c.params, 500, 1000);
        const { items } = await c.invoke('orders.lists', {
          scope: 'all',
          limit,
          ...window,
          ...(fromId !== undefined ? { fromId } : {}),
        });
        // Oldest first, as Binance lists them.
        const ordered = fromId !== undefined ? items : [...items].reverse();
        return listsOf(c, ordered, { isIsolated: false });
      },
    },
  ];
}
