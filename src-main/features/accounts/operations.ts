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
import {
  adminPaperInstrumentsSave,
  paperInstrumentsList,
} from '../../../src-shared/contract/paper-instruments';
import type { OperationContext } from '../../operations/context';
import { callerUserId } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import { changedFields, type AuditLog } from '../audit/audit-log';
import type { AccountsService } from './service';

function me(op: OperationContext): string {
  return callerUserId(op.principal, 'trading accounts');
}

/** Every trading-account operation bound to the service. */
export function bindAccountsOperations(svc: AccountsService, audit: AuditLog): BoundOperation[] {
  // Recorded once the change is committed (a refused one leaves no event). The webhook
  // token itself never goes into the trail, only its last four characters.
  const created = (op: OperationContext, r: Awaited<ReturnType<AccountsService['create']>>) => {
    const { id, venue, name, mode } = r.account;
    audit.recordFor(op, 'tradingAccount.create', id, { venue, name, mode });
    return r;
  };
  const shown = (v: ReturnType<AccountsService['view']>) => ({
    name: v.name,
    enabled: v.enabled,
    paperConfig: v.paperConfig,
  });
  return [
    bind(accountsList, (_input, op) => svc.list(me(op))),
    bind(accountsVenues, () => ({ items: svc.venueList() })),
    bind(accountsCreate, async (input, op) => created(op, await svc.create(me(op), input))),
    bind(accountsRegister, async (input, op) => {
      const { broker, ...rest } = input;
      const r = created(op, await svc.create(me(op), { ...rest, venue: broker }));
      return { ...r, token: r.webhookToken };
    }),
    bind(accountsUpdate, (input, op) => {
      const before = shown(svc.view(svc.own(me(op), input.id)));
      const after = svc.update(me(op), input);
      audit.recordFor(op, 'tradingAccount.update', input.id, changedFields(before, shown(after)));
      return after;
    }),
    bind(accountsRegenerateToken, (input, op) => {
      const r = svc.regenerateToken(me(op), input.id);
      audit.recordFor(op, 'tradingAccount.token', input.id, { tokenHint: r.account.tokenHint });
      return r;
    }),
    bind(accountsDelete, async (input, op) => {
      const { name, venue } = svc.own(me(op), input.id);
      const r = await svc.delete(me(op), input.id);
      audit.recordFor(op, 'tradingAccount.delete', input.id, { name, venue });
      return r;
    }),
    bind(accountsSync, (input, op) => svc.sync(me(op), input.id)),
    bind(accountsPositions, (input, op) => svc.positions(me(op), input.id)),
    bind(accountsFills, (input, op) => svc.fills(me(op), input.id, input.limit)),
    bind(accountsPlaceOrder, (input, op) => svc.paperTrading.placeOrder(me(op), input)),
    bind(accountsOrders, (input, op) =>
      svc.paperTrading.orders(me(op), input.id, input.openOnly, input.limit),
    ),
    bind(accountsCancelOrder, (input, op) =>
      svc.paperTrading.cancelOrders(me(op), input.id, {
        ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
        ...(input.symbol !== undefined ? { symbol: input.symbol } : {}),
      }),
    ),
    bind(accountsClosePosition, (input, op) =>
      svc.paperTrading.closePosition(me(op), input.id, input.symbol, input.qty),
    ),
    bind(paperInstrumentsList, () => svc.instruments.list(svc.paper)),
    bind(adminPaperInstrumentsSave, (input, op) => {
      const before = svc.instruments.instrument(input.symbol);
      svc.instruments.save(input, () =>
        audit.recordFor(
          op,
          'paperInstrument.save',
          input.symbol,
          before ? changedFields(before, input) : { created: true, ...input },
        ),
      );
      return svc.instruments.list(svc.paper).items.find((i) => i.symbol === input.symbol)!;
    }),
    bind(accountsModifyPosition, (input, op) =>
      svc.paperTrading.modifyPosition(
        me(op),
        input.id,
        input.symbol,
        input.stopLoss,
        input.takeProfit,
      ),
    ),
  ];
}
