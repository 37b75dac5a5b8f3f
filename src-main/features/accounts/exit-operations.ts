import {
  AppError,
  ordersCancelExitPlan,
  ordersExitPlans,
  ordersPlaceWithExits,
} from '../../../src-shared/contract';
import type { ExchangeBrackets } from '../../connectors/local-exchange/brackets';
import type { OperationContext } from '../../operations/context';
import { callerUserId } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';

function me(op: OperationContext): string {
  return callerUserId(op.principal, 'orders and balances');
}

/**
 * Orders with a take-profit / stop-loss attached, placed by hand (the Trade screen, the API).
 * Bound here because this feature keeps the plans: the same keeper serves alerts on local
 * accounts, so both ways behave alike.
 */
export function bindExitPlanOperations(keeper: ExchangeBrackets): BoundOperation[] {
  return [
    bind(ordersPlaceWithExits, async (input, op) => {
      const userId = me(op);
      const { entry, planId } = await keeper.place({
        userId,
        accountId: null,
        order: input.order,
        ...(input.takeProfit ? { takeProfit: input.takeProfit } : {}),
        ...(input.stopLoss ? { stopLoss: input.stopLoss } : {}),
      });
      const plan = keeper.view(userId, planId);
      if (!plan) throw new AppError('internal', `exit plan ${planId} vanished`);
      return { entry, plan };
    }),
    bind(ordersExitPlans, (input, op) => ({ items: keeper.plans(me(op), input) })),
    bind(ordersCancelExitPlan, (input, op) => keeper.cancelPlan(me(op), input.planId)),
  ];
}
