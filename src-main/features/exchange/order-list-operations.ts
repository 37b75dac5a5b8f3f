import {
  AppError,
  ordersCancelList,
  ordersGetList,
  ordersLists,
  ordersPlaceOco,
} from '../../../src-shared/contract';
import type { OperationContext } from '../../operations/context';
import { callerUserId } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import type { ExchangeQueries } from './queries';
import {
  cancelOrderList,
  findOpenList,
  listView,
  placeOcoList,
  type ListRef,
  type OrderListView,
} from './order-lists';
import type { ExchangeService } from './service';
import type { OrderList } from './types';

function me(op: OperationContext): string {
  return callerUserId(op.principal, 'orders and balances');
}

/**
 * A list as it stands after its commit: the row (or the live list) and each leg through
 * orders.get's read, so a leg closed since shows its final state.
 */
function readList(q: ExchangeQueries, list: OrderList): OrderListView {
  const leg = (orderId: number) => q.getOrder(list.userId, { orderId });
  return listView(list, [leg(list.limitOrderId), leg(list.stopOrderId)]);
}

function storedList(svc: ExchangeService, userId: string, ref: ListRef): OrderList {
  const live = svc.read((s) =>
    ref.orderListId !== undefined ? s.openLists.get(ref.orderListId) : undefined,
  );
  const list =
    (live?.userId === userId ? live : undefined) ??
    (ref.orderListId !== undefined
      ? svc.lists.get(userId, ref.orderListId)
      : ref.listClientOrderId !== undefined
        ? svc.lists.byClientId(userId, ref.listClientOrderId)
        : undefined);
  if (ref.orderListId === undefined && ref.listClientOrderId === undefined) {
    throw new AppError('validation_failed', 'Give orderListId or listClientOrderId', {
      fields: [{ field: 'orderListId', message: 'orderListId or listClientOrderId is required' }],
    });
  }
  if (!list) {
    const name = ref.orderListId ?? ref.listClientOrderId;
    throw new AppError('unknown_order_list', `No order list ${name}`, ref, 404);
  }
  return list;
}

/** The order-list (OCO) operations, bound to the exchange's queue and reads. */
export function bindOrderListOperations(
  svc: ExchangeService,
  q: ExchangeQueries,
): BoundOperation[] {
  return [
    bind(ordersPlaceOco, async (input, op) => {
      const userId = me(op);
      const r = await svc.submit((st) =>
        placeOcoList(
          st,
          userId,
          input,
          (u, c, since) => svc.lists.byClientId(u, c, since)?.id,
          op.clientIdRule,
        ),
      );
      const list = 'list' in r ? r.list : svc.lists.get(userId, r.existing);
      if (!list) throw new AppError('unknown_order_list', `No order list ${String(r)}`);
      return readList(q, list);
    }),
    bind(ordersCancelList, async (input, op) => {
      const userId = me(op);
      const list = await svc.submit((st) => cancelOrderList(st, findOpenList(st, userId, input)));
      return readList(q, list);
    }),
    bind(ordersGetList, (input, op) => readList(q, storedList(svc, me(op), input))),
    bind(ordersLists, (input, op) => {
      const userId = me(op);
      return { items: svc.lists.lists(userId, input).map((l) => readList(q, l)) };
    }),
  ];
}
