import { Type } from '@sinclair/typebox';
import { Obj, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';
import { MarketSymbol, ORDER_SIDES, OrderView, PlaceOrderInput } from './exchange';

/**
 * Exits attached to an entry: a take-profit and/or a stop-loss placed for what the entry
 * fills — part by part while it rests, the rest once it is done. With both, the exits are one
 * OCO pair (see order-lists); with one, a GTC limit (take-profit) or a stop-market (stop-loss).
 */

const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));

export const EXIT_PLAN_STATUSES = ['waiting', 'placed', 'failed', 'cancelled'] as const;

/** A level: an absolute price, or a distance from the entry's average fill price. */
export const ExitLevel = Type.Object(
  {
    price: Type.Optional(PositiveDecimal),
    percent: Type.Optional(PositiveDecimal),
    amount: Type.Optional(PositiveDecimal),
    /** A stop-loss only: a trailing stop this many percent behind the best price (0.01–50). */
    trailPercent: Type.Optional(PositiveDecimal),
    trailAmount: Type.Optional(PositiveDecimal),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description:
      'Exactly one of price (absolute), percent or amount (a distance from the entry’s average fill price, rounded to the nearest tick), or for a stop-loss trailPercent or trailAmount (a trailing stop that follows the best price since it was placed, this many percent or this many price units behind it)',
  },
);

export const ExitPlanView = Obj({
  planId: Type.Integer({ minimum: 1 }),
  symbol: MarketSymbol,
  /** The entry's side; the exits take the other. */
  side: Lit(ORDER_SIDES),
  /**
   * `waiting` for the entry to be done (`result.partial`: the parts covered so far), then
   * `placed`, `failed` (why in `result`) or `cancelled`.
   */
  status: Lit(EXIT_PLAN_STATUSES),
  entryOrderId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  takeProfit: Type.Union([ExitLevel, Type.Null()]),
  stopLoss: Type.Union([ExitLevel, Type.Null()]),
  /**
   * The exits' order ids, list id, quantity and prices (`unprotected`: a last part under the
   * market's minimum order); or the code and message of a refusal.
   */
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  tsCreated: TimestampMs,
  tsUpdated: TimestampMs,
});

export const ordersPlaceWithExits = defineOperation({
  name: 'orders.placeWithExits',
  summary: 'Place an order with a take-profit and/or stop-loss placed for what it fills',
  description:
    "The levels are checked against the entry's price (a market entry: the touch it will meet) before anything is placed: a buy's take-profit above, its stop-loss below, a sell's the other way round (invalid_bracket). The exits are placed for the quantity filled, on the other side: both as one OCO pair, one as a GTC limit or a stop-market. A resting entry is covered part by part as it fills (each part at least a tenth of it and an order the market accepts at both levels; result.partial while the plan waits), the rest once it is done — filled, or ended with part filled. A market entry is done before this answers. An entry ended with nothing filled, or by the dead-man switch, places nothing. A retry with the same clientOrderId within 24 hours answers the same entry and plan.",
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/orders/with-exits' },
  input: Obj({
    order: PlaceOrderInput,
    takeProfit: Type.Optional(ExitLevel),
    stopLoss: Type.Optional(ExitLevel),
  }),
  output: Obj({ entry: OrderView, plan: ExitPlanView }),
});

export const ordersExitPlans = defineOperation({
  name: 'orders.exitPlans',
  summary: 'Your take-profit / stop-loss plans, newest first',
  access: 'orders.read',
  http: { method: 'GET', path: '/orders/exit-plans' },
  input: Obj({
    status: Type.Optional(Lit(EXIT_PLAN_STATUSES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  }),
  output: Obj({ items: Type.Array(ExitPlanView) }),
});

export const ordersCancelExitPlan = defineOperation({
  name: 'orders.cancelExitPlan',
  summary: 'Drop the take-profit / stop-loss of an order still waiting to be done',
  description:
    'The order itself stays as it is (cancel it with orders.cancel). Only a waiting plan can be dropped: once placed, its exits are ordinary orders (an OCO list) to cancel as such (exit_plan_not_waiting, 409).',
  access: 'orders.trade',
  mutates: true,
  http: { method: 'POST', path: '/orders/exit-plans/cancel' },
  input: Obj({ planId: Type.Integer({ minimum: 1 }) }),
  output: ExitPlanView,
});

export const exitPlanOperations = [
  ordersPlaceWithExits,
  ordersExitPlans,
  ordersCancelExitPlan,
] as const;
