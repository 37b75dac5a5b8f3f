import {
  AppError,
  adminAssetsCreate,
  adminLedgerCorrect,
  adminLedgerFund,
  adminLedgerReconcile,
  adminMarketsCreate,
  adminMarketsUpdate,
  assetsList,
  balancesDemoTopUp,
  balancesGet,
  ledgerEntries,
  marketsList,
  ordersAmend,
  ordersCancel,
  ordersCancelAll,
  ordersGet,
  ordersList,
  ordersPlace,
  tradesList,
} from '../../../src-shared/contract';
import { DEMO_ALLOWANCE } from '../../domain/markets';
import type { OperationContext } from '../../operations/context';
import { userIdOf } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import { correct, createAsset, createMarket, demoTopUp, fund, updateMarket } from './admin';
import { amendOrder, cancelAllOrders, cancelOrder, findOpen, placeOrder } from './commands';
import type { ExchangeQueries } from './queries';
import type { ReconcileReport } from './reconcile';
import type { ExchangeService } from './service';
import { assetView, marketView, orderView } from './views';

function me(op: OperationContext): string {
  const id = userIdOf(op.principal);
  if (!id) throw new AppError('forbidden', 'Only a user (or an API key) has orders and balances');
  return id;
}

/** Every exchange operation bound to the service. */
export function bindExchangeOperations(
  svc: ExchangeService,
  q: ExchangeQueries,
  runReconcile: () => Promise<ReconcileReport>,
  demoFunds: boolean,
): BoundOperation[] {
  const s = svc.state;
  return [
    bind(assetsList, () => ({ items: [...s.assets.values()].map(assetView) })),
    bind(marketsList, () => ({
      items: [...s.markets.values()].map((m) => marketView(m.spec, m.engine)),
    })),
    bind(adminAssetsCreate, (input) => svc.submit((st) => createAsset(st, input))),
    bind(adminMarketsCreate, (input) => svc.submit((st) => createMarket(st, input))),
    bind(adminMarketsUpdate, ({ symbol, ...changes }) =>
      svc.submit((st) => updateMarket(st, symbol, changes)),
    ),
    bind(ordersPlace, async (input, op) => {
      const userId = me(op);
      const r = await svc.submit((st) => {
        const placed = placeOrder(st, userId, input, (u, c, since) =>
          svc.db.clientOrder(u, c, since),
        );
        return 'existing' in placed ? placed : { view: orderView(placed.order, placed.spec) };
      });
      if ('view' in r) return r.view;
      return q.getOrder(userId, { orderId: r.existing });
    }),
    bind(ordersCancel, (input, op) => {
      const userId = me(op);
      return svc.submit((st) => {
        const o = cancelOrder(st, findOpen(st, userId, input));
        return orderView(o, st.market(o.symbol).spec);
      });
    }),
    bind(ordersCancelAll, (input, op) => {
      const userId = me(op);
      return svc.submit((st) => ({ cancelled: cancelAllOrders(st, userId, input.symbol) }));
    }),
    bind(ordersAmend, (input, op) => {
      const userId = me(op);
      return svc.submit((st) => {
        const o = amendOrder(st, findOpen(st, userId, { orderId: input.orderId }), input);
        return orderView(o, st.market(o.symbol).spec);
      });
    }),
    bind(ordersGet, (input, op) => q.getOrder(me(op), input)),
    bind(ordersList, (input, op) => q.listOrders(me(op), input)),
    bind(tradesList, (input, op) => q.listTrades(me(op), input)),
    bind(balancesGet, (_input, op) => q.balances(me(op))),
    bind(balancesDemoTopUp, async (_input, op) => {
      const userId = me(op);
      if (!demoFunds) {
        throw new AppError(
          'demo_funds_disabled',
          'Demo funds are turned off on this Bourse (started with --no-demo-funds); ask an administrator to fund your account',
        );
      }
      const ref = `demo:${op.correlationId}`;
      const credited = await svc.submit((st) => demoTopUp(st, userId, DEMO_ALLOWANCE, ref));
      return { credited, items: q.balances(userId).items };
    }),
    bind(ledgerEntries, (input, op) => q.entries(me(op), input)),
    bind(adminLedgerFund, (input, op) =>
      svc.submit((st) => fund(st, input, `${op.correlationId}`)),
    ),
    bind(adminLedgerCorrect, (input, op) =>
      svc.submit((st) => correct(st, input, `${op.correlationId}`)),
    ),
    bind(adminLedgerReconcile, async () => {
      await svc.flush();
      return runReconcile();
    }),
  ];
}
