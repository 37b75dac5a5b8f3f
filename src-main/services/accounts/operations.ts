import { AppError } from '../../../src-shared/contract';
import {
  accountsClosePosition,
  accountsCreate,
  accountsDelete,
  accountsFills,
  accountsList,
  accountsCancelOrder,
  accountsModifyPosition,
  accountsOrders,
  accountsPlaceOrder,
  accountsPositions,
  accountsRegenerateToken,
  accountsRegister,
  accountsSync,
  accountsUpdate,
  accountsVenues,
} from '../../../src-shared/contract/accounts';
import type { OperationContext } from '../../operations/context';
import { userIdOf } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import type { AccountsService } from './service';

function me(op: OperationContext): string {
  const id = userIdOf(op.principal);
  if (!id) throw new AppError('forbidden', 'Only a user (or an API key) has trading accounts');
  return id;
}

/** Every trading-account operation bound to the service. */
export function bindAccountsOperations(svc: AccountsService): BoundOperation[] {
  return [
    bind(accountsList, (_input, op) => svc.list(me(op))),
    bind(accountsVenues, () => ({ items: svc.venueList() })),
    bind(accountsCreate, (input, op) => svc.create(me(op), input)),
    bind(accountsRegister, async (input, op) => {
      const { broker, ...rest } = input;
      const created = await svc.create(me(op), { ...rest, venue: broker });
      return { ...created, token: created.webhookToken };
    }),
    bind(accountsUpdate, (input, op) => svc.update(me(op), input)),
    bind(accountsRegenerateToken, (input, op) => svc.regenerateToken(me(op), input.id)),
    bind(accountsDelete, (input, op) => svc.delete(me(op), input.id)),
    bind(accountsSync, (input, op) => svc.sync(me(op), input.id)),
    bind(accountsPositions, (input, op) => svc.positions(me(op), input.id)),
    bind(accountsFills, (input, op) => svc.fills(me(op), input.id, input.limit)),
    bind(accountsPlaceOrder, (input, op) => svc.placeOrder(me(op), input)),
    bind(accountsOrders, (input, op) => svc.orders(me(op), input.id, input.openOnly, input.limit)),
    bind(accountsCancelOrder, (input, op) =>
      svc.cancelOrders(me(op), input.id, {
        ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
        ...(input.symbol !== undefined ? { symbol: input.symbol } : {}),
      }),
    ),
    bind(accountsClosePosition, (input, op) =>
      svc.closePosition(me(op), input.id, input.symbol, input.qty),
    ),
    bind(accountsModifyPosition, (input, op) =>
      svc.modifyPosition(me(op), input.id, input.symbol, input.stopLoss, input.takeProfit),
    ),
  ];
}
