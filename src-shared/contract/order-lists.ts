import { Type } from '@sinclair/typebox';
import { Obj, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';
import {
  ClientOrderId,
  MAX_TRAIL_BPS,
  MarketSymbol,
  ORDER_SIDES,
  OrderView,
  STP_MODES,
  TIME_IN_FORCES,
} from './exchange';

/**
 * Order lists: one-cancels-the-other pairs (OCO) of the exchange. The two legs are ordinary
 * orders (they show in orders.list, the `orders` stream and fills with their `orderListId`);
 * the list links them. One hold covers the pair, because the engine lets only one leg trade.
 */

const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));

export const ORDER_LIST_STATUSES = ['executing', 'all_done'] as const;
export type OrderListStatus = (typeof ORDER_LIST_STATUSES)[number];

const OrderListId = Type.Integer({ minimum: 1 });

export const OrderListView = Obj({
  orderListId: OrderListId,
  listClientOrderId: Type.Union([Type.String(), Type.Null()]),
  contingencyType: Type.Literal('oco'),
  symbol: MarketSymbol,
  /** `executing` while both legs are open and linked; `all_done` once the pair has acted. */
  status: Lit(ORDER_LIST_STATUSES),
  /** A take-profit / stop-loss pair: the stop follows a partial fill of the limit (placeOco). */
  bracket: Type.Boolean(),
  /** The post-only limit leg first, then the stop leg. */
  orders: Type.Array(OrderView, { minItems: 2, maxItems: 2 }),
  tsCreated: TimestampMs,
  tsUpdated: TimestampMs,
});

export const PlaceOcoInput = Obj({
  symbol: MarketSymbol,
  side: Lit(ORDER_SIDES),
  qty: PositiveDecimal,
  /** The limit leg's price: above the stop for a sell (take profit), below it for a buy. */
  price: PositiveDecimal,
  /** The stop leg's stop price; with stopTrailBps optional (where it starts trailing). */
  stopPrice: Type.Optional(PositiveDecimal),
  /**
   * Makes the stop leg a trailing stop this many basis points behind the best trade price
   * (orders.place's trailBps): without stopPrice it trails from the last price.
   */
  stopTrailBps: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TRAIL_BPS })),
  /**
   * Instead of stopTrailBps: the stop leg trails this far behind the best trade price, in
   * price units (orders.place's trailAmount).
   */
  stopTrailAmount: Type.Optional(PositiveDecimal),
  /** Makes the stop leg a stop-limit at this price; without it the stop leg is stop-market. */
  stopLimitPrice: Type.Optional(PositiveDecimal),
  /** The stop-limit's time in force once triggered (GTC by default). */
  stopLimitTif: Type.Optional(Lit(TIME_IN_FORCES)),
  listClientOrderId: Type.Optional(ClientOrderId),
  limitClientOrderId: Type.Optional(ClientOrderId),
  stopClientOrderId: Type.Optional(ClientOrderId),
  stp: Type.Optional(Lit(STP_MODES)),
  /**
   * A take-profit / stop-loss pair protecting a position: a partial fill of the limit leg
   * leaves the stop in place for what is left of it. Without it (Binance's rule) any fill of
   * the limit cancels the stop.
   */
  bracket: Type.Optional(Type.Boolean()),
});

const ListRef = Obj({
  orderListId: Type.Optional(OrderListId),
  listClientOrderId: Type.Optional(ClientOrderId),
});

export const ordersPlaceOco = defineOperation({
  name: 'orders.placeOco',
  summary: 'Place a one-cancels-the-other pair: a post-only limit and a stop of the same size',
  description:
    "Both legs or neither. The limit leg rests post-only (GTC); the stop leg waits for `stopPrice` (or trails the best price `stopTrailBps` behind it: see orders.place's trailBps) and then runs as a market order, or as a limit at `stopLimitPrice`. A sell has its limit above the stop, a buy below; a stop that the last price already reaches is refused (stop_would_trigger). One hold covers the pair: the larger of the two legs' holds. The first fill (even partial) of the limit leg, the stop's trigger, or a cancel of either leg cancels the other (cancel reason `oco`) — except that with `bracket: true` a partial fill of the limit leg shrinks the stop to what is left of the limit (both stay linked; the stop's open quantity follows), and only the limit's last fill cancels it. A retry with the same listClientOrderId within 24 hours returns the original list.",
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/order-lists/oco' },
  input: PlaceOcoInput,
  output: OrderListView,
});

export const ordersCancelList = defineOperation({
  name: 'orders.cancelList',
  summary: 'Cancel an executing order list (both legs)',
  description:
    'Names the list by orderListId or listClientOrderId. Cancelling one leg with orders.cancel ends the list too. A list that has already acted (status all_done) is unknown_order_list.',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/order-lists/cancel' },
  input: ListRef,
  output: OrderListView,
});

export const ordersGetList = defineOperation({
  name: 'orders.getList',
  summary: 'One of your order lists with its legs as they stand',
  access: 'orders.read',
  http: { method: 'GET', path: '/order-lists/get' },
  input: ListRef,
  output: OrderListView,
});

export const ordersLists = defineOperation({
  name: 'orders.lists',
  summary: 'Your order lists, newest first: the executing ones or all',
  description:
    '`from`/`to` bound the time the list was placed (Unix ms, inclusive); `fromId` lists from that id upwards, oldest first.',
  access: 'orders.read',
  http: { method: 'GET', path: '/order-lists' },
  input: Obj({
    scope: Type.Optional(Lit(['open', 'all'] as const)),
    symbol: Type.Optional(MarketSymbol),
    from: Type.Optional(TimestampMs),
    to: Type.Optional(TimestampMs),
    fromId: Type.Optional(OrderListId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
  }),
  output: Obj({ items: Type.Array(OrderListView) }),
});

export const orderListOperations = [
  ordersPlaceOco,
  ordersCancelList,
  ordersGetList,
  ordersLists,
] as const;
