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
import type { AuditLog } from '../audit/audit-log';
import { mayRunStrategy, callerUserId } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import type { BotsService } from './service';

function me(op: OperationContext): string {
  return callerUserId(op.principal, 'bots');
}

/** Every bots operation bound to the service; changes go to the audit trail. */
export function bindBotsOperations(svc: BotsService, audit: AuditLog): BoundOperation[] {
  return [
    bind(botsList, (_input, op) => svc.list(me(op))),
    bind(botsGet, (input, op) => svc.get(me(op), input.id)),
    bind(botsCreate, async (input, op) => {
      mayRunStrategy(op.principal, input.strategyId, 'A bot of your own strategy code');
      const bot = await svc.create(me(op), input);
      audit.recordFor(op, 'bot.create', String(bot.id), {
        strategyId: bot.strategyId,
        accountId: bot.accountId,
        symbol: bot.symbol,
        interval: bot.interval,
        capital: bot.capital,
      });
      return bot;
    }),
    bind(botsStart, async (input, op) => {
      const bot = await svc.start(me(op), input.id);
      audit.recordFor(op, 'bot.start', String(input.id));
      return bot;
    }),
    bind(botsPause, async (input, op) => {
      const bot = await svc.pause(me(op), input.id);
      audit.recordFor(op, 'bot.pause', String(input.id));
      return bot;
    }),
    bind(botsStop, async (input, op) => {
      const bot = await svc.stop(me(op), input.id, input.closePosition);
      audit.recordFor(op, 'bot.stop', String(input.id), { closePosition: input.closePosition });
      return bot;
    }),
    bind(botsDelete, (input, op) => {
      const done = svc.delete(me(op), input.id);
      audit.recordFor(op, 'bot.delete', String(input.id));
      return done;
    }),
    bind(botsHistory, (input, op) => svc.history(me(op), input.id, input.cursor, input.limit)),
  ];
}
