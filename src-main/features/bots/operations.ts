import { AppError } from '../../../src-shared/contract';
import {
  botsCreate,
  botsDelete,
  botsGet,
  botsHistory,
  botsList,
  botsPause,
  botsStart,
  botsStop,
} from '../../../src-shared/contract/bots';
import type { OperationContext } from '../../operations/context';
import { userIdOf } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import type { BotsService } from './service';

function me(op: OperationContext): string {
  const id = userIdOf(op.principal);
  if (!id) throw new AppError('forbidden', 'Only a user (or an API key) has bots');
  return id;
}

/** A bot of the user's own strategy code runs that code (in the sandbox): `backtest.custom`. */
function mayRun(op: OperationContext, strategyId: string): void {
  if (!strategyId.startsWith('user:')) return;
  const p = op.principal;
  if (p.kind !== 'anonymous' && p.permissions.has('backtest.custom')) return;
  throw new AppError(
    'forbidden',
    'A bot of your own strategy code needs the backtest.custom permission; this role runs the built-in strategies only',
  );
}

/** Every bots operation bound to the service. */
export function bindBotsOperations(svc: BotsService): BoundOperation[] {
  return [
    bind(botsList, (_input, op) => svc.list(me(op))),
    bind(botsGet, (input, op) => svc.get(me(op), input.id)),
    bind(botsCreate, (input, op) => {
      mayRun(op, input.strategyId);
      return svc.create(me(op), input);
    }),
    bind(botsStart, (input, op) => svc.start(me(op), input.id)),
    bind(botsPause, (input, op) => svc.pause(me(op), input.id)),
    bind(botsStop, (input, op) => svc.stop(me(op), input.id, input.closePosition)),
    bind(botsDelete, (input, op) => svc.delete(me(op), input.id)),
    bind(botsHistory, (input, op) => svc.history(me(op), input.id, input.cursor, input.limit)),
  ];
}
