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
  ordersCancelAllAfter,
  ordersTest,
  ordersCancelBatch,
  ordersGet,
  ordersList,
  ordersPlace,
  ordersPlaceBatch,
  tradesList,
  type AuditAction,
} from '../../../src-shared/contract';
import { DEMO_ALLOWANCE } from '../../domain/markets';
import { formatDecimal } from '../../domain/money';
import type { OperationContext } from '../../operations/context';
import { callerUserId } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import { auditOf, changedFields, type AuditLog } from '../audit/audit-log';
import { correct, createAsset, createMarket, demoTopUp, fund, updateMarket } from './admin';
import {
  amendOrder,
  cancelAllOrders,
  cancelOrder,
  findOpen,
  placeOrder,
  testOrder,
} from './commands';
import type { DeadManSwitch } from './dead-man';
import { bindOrderListOperations } from './order-list-operations';
import type { ExchangeQueries } from './queries';
import type { ReconcileReport } from './reconcile';
import type { ExchangeService } from './service';
import type { ExchangeState } from './state';
import { assetView, marketView, orderView } from './views';

function me(op: OperationContext): string {
  return callerUserId(op.principal, 'orders and balances');
}

type PlaceOutcome = { view: ReturnType<typeof orderView> } | { existing: number };

/**
 * Runs one order of a batch job: an AppError refuses that order only (the commands change
 * nothing before they throw one); anything else fails the whole batch, as in a single job.
 */
function refusedOr<T extends object>(run: () => T): T | { error: AppError } {
  try {
    return run();
  } catch (error) {
    if (error instanceof AppError) return { error };
    throw error;
  }
}

/**
 * The same clientOrderId twice in one batch is a client bug, not a retry: answering the second
 * with the first order (what a retry gets) would hide it, so the call is refused whole.
 */
function refuseRepeatedClientIds(orders: ReadonlyArray<{ clientOrderId?: string }>): void {
  const seen = new Map<string, number>();
  orders.forEach(({ clientOrderId }, index) => {
    if (clientOrderId === undefined) return;
    const first = seen.get(clientOrderId);
    if (first !== undefined) {
      throw new AppError(
        'duplicate_client_order_id',
        `orders[${index}] repeats the clientOrderId of orders[${first}] (${clientOrderId}); nothing was placed`,
        { index, firstIndex: first, clientOrderId },
      );
    }
    seen.set(clientOrderId, index);
  });
}

export interface ExchangeOperationDeps {
  svc: ExchangeService;
  q: ExchangeQueries;
  runReconcile: () => Promise<ReconcileReport>;
  demoFunds: boolean;
  audit: AuditLog;
  deadMan: DeadManSwitch;
  /** Whether a user id names an existing account: funding and corrections refuse others. */
  userExists: (userId: string) => boolean;
}

/**
 * Money may only be booked to someone who exists: a typo'd or made-up id would otherwise
 * leave a balance in the ledger that no one can ever see, trade or withdraw.
 */
function requireOwner(userExists: (userId: string) => boolean, userId: string): void {
  if (!userExists(userId)) {
    throw new AppError('unknown_user', `No user with id "${userId}"`, { userId });
  }
}

/**
 * Records an admin action in the audit trail as part of the batch's commit, so the change
 * and its audit event are durable together or not at all. Called after the change
 * succeeded inside the job: a refused change leaves no event.
 */
function audited(
  audit: AuditLog,
  st: ExchangeState,
  op: OperationContext,
  action: AuditAction,
  target: string,
  details: object,
): void {
  const event = auditOf(op, action, target, details);
  st.batch.sideWrites.push(() => audit.record(event));
}

/** Listing assets and markets; creating and changing them (admin, audited). */
function bindMarketOperations({ svc, audit }: ExchangeOperationDeps): BoundOperation[] {
  return [
    bind(assetsList, () => svc.read((s) => ({ items: [...s.assets.values()].map(assetView) }))),
    bind(marketsList, () =>
      svc.read((s) => ({
        items: [...s.markets.values()].map((m) => marketView(m.spec, m.engine)),
      })),
    ),
    bind(adminAssetsCreate, (input, op) =>
      svc.submit((st) => {
        const asset = createAsset(st, input);
        audited(audit, st, op, 'asset.create', asset.code, asset);
        return asset;
      }),
    ),
    bind(adminMarketsCreate, (input, op) =>
      svc.submit((st) => {
        const view = createMarket(st, input);
        audited(audit, st, op, 'market.create', input.symbol, {
          ...st.market(input.symbol).spec.config,
        });
        return view;
      }),
    ),
    bind(adminMarketsUpdate, ({ symbol, ...changes }, op) =>
      svc.submit((st) => {
        const before = st.market(symbol).spec.config;
        const view = updateMarket(st, symbol, changes);
        audited(
          audit,
          st,
          op,
          'market.update',
          symbol,
          changedFields(before, st.market(symbol).spec.config),
        );
        return view;
      }),
    ),
  ];
}

/** Placing orders: one, a test that places nothing, and a batch in one commit. */
function bindPlaceOperations({ svc, q }: ExchangeOperationDeps): BoundOperation[] {
  return [
    bind(ordersPlace, async (input, op) => {
      const userId = me(op);
      const r = await svc.submit((st) => {
        const placed = placeOrder(
          st,
          userId,
          input,
          (u, c, since) => svc.db.clientOrder(u, c, since),
          op.clientIdRule,
        );
        return 'existing' in placed ? placed : { view: orderView(placed.order, placed.spec) };
      });
      if ('view' in r) return r.view;
      return q.getOrder(userId, { orderId: r.existing });
    }),
    bind(ordersTest, async (input, op) => {
      const userId = me(op);
      // Through the queue: checked as if placed now, after what the caller already sent.
      return svc.submit((st) => {
        const hold = testOrder(st, userId, input);
        const scale = st.assets.get(hold.asset)?.scale ?? 0;
        return {
          ok: true as const,
          hold: { asset: hold.asset, amount: formatDecimal(hold.amount, scale) },
        };
      });
    }),
    bind(ordersPlaceBatch, async ({ orders }, op) => {
      const userId = me(op);
      refuseRepeatedClientIds(orders);
      // ONE job, so the whole call lands in one commit; each order is refused on its own
      // exactly as a separate orders.place job would be (placeOrder changes nothing before
      // it throws an AppError).
      const outcomes = await svc.submit((st) =>
        orders.map((input) =>
          refusedOr((): PlaceOutcome => {
            const placed = placeOrder(st, userId, input, (u, c, since) =>
              svc.db.clientOrder(u, c, since),
            );
            return 'existing' in placed ? placed : { view: orderView(placed.order, placed.spec) };
          }),
        ),
      );
      const results = await Promise.all(
        outcomes.map(async (o) => {
          if ('view' in o) return { ok: true as const, order: o.view };
          if ('existing' in o) {
            return { ok: true as const, order: await q.getOrder(userId, { orderId: o.existing }) };
          }
          return { ok: false as const, ...o.error.toBody() };
        }),
      );
      return { results };
    }),
  ];
}

/** Cancelling and amending a user's orders, and reading them and their trades. */
function bindOrderOperations({ svc, q, deadMan }: ExchangeOperationDeps): BoundOperation[] {
  return [
    bind(ordersCancel, (input, op) => {
      const userId = me(op);
      return svc.submit((st) => {
        const o = cancelOrder(st, findOpen(st, userId, input));
        return orderView(o, st.market(o.symbol).spec);
      });
    }),
    bind(ordersCancelBatch, ({ orders }, op) => {
      const userId = me(op);
      orders.forEach((ref, index) => {
        if (ref.orderId === undefined && ref.clientOrderId === undefined) {
          throw new AppError(
            'validation_failed',
            `orders[${index}] needs orderId or clientOrderId`,
            {
              fields: [
                { field: `orders.${index}`, message: 'orderId or clientOrderId is required' },
              ],
            },
          );
        }
      });
      // ONE job: every cancellation of the call commits together, as with placeBatch.
      return svc.submit((st) => ({
        results: orders.map((ref) => {
          const r = refusedOr(() => {
            const o = cancelOrder(st, findOpen(st, userId, ref));
            return orderView(o, st.market(o.symbol).spec);
          });
          return 'error' in r
            ? { ok: false as const, ...r.error.toBody() }
            : { ok: true as const, order: r };
        }),
      }));
    }),
    bind(ordersCancelAll, (input, op) => {
      const userId = me(op);
      return svc.submit((st) => ({ cancelled: cancelAllOrders(st, userId, input.symbol) }));
    }),
    bind(ordersCancelAllAfter, (input, op) => deadMan.arm(me(op), input.timeout)),
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
  ];
}

/** A user's balances, demo top-up and ledger entries. */
function bindBalanceOperations({
  svc,
  q,
  demoFunds,
  audit,
}: ExchangeOperationDeps): BoundOperation[] {
  return [
    bind(balancesGet, (_input, op) => q.balances(me(op))),
    bind(balancesDemoTopUp, async (_input, op) => {
      const userId = me(op);
      if (!demoFunds) {
        throw new AppError(
          'demo_funds_disabled',
          'Demo funds are turned off on this Bourse (started with --no-demo-funds); ask an administrator to fund your account',
        );
      }
      for (const gate of svc.demoFundsGates) {
        const why = gate();
        if (why) throw new AppError('demo_funds_disabled', why);
      }
      const ref = `demo:${op.correlationId}`;
      const credited = await svc.submit((st) => {
        const out = demoTopUp(st, userId, DEMO_ALLOWANCE, ref);
        // Money out of system:external, even if it is play money: the trail shows it.
        if (out.length > 0) audited(audit, st, op, 'ledger.demoTopUp', userId, { credited: out });
        return out;
      });
      return { credited, items: q.balances(userId).items };
    }),
    bind(ledgerEntries, (input, op) => q.entries(me(op), input)),
  ];
}

/** Admin money: funding and corrections (audited with the change) and reconciliation. */
function bindLedgerAdminOperations({
  svc,
  runReconcile,
  audit,
  userExists,
}: ExchangeOperationDeps): BoundOperation[] {
  return [
    bind(adminLedgerFund, (input, op) => {
      requireOwner(userExists, input.userId);
      return svc.submit((st) => {
        const r = fund(st, input, `${op.correlationId}`);
        const { userId, asset, amount, direction, reason } = input;
        audited(audit, st, op, 'ledger.fund', userId, {
          asset,
          amount,
          direction,
          reason,
          entryId: r.entryId,
        });
        return r;
      });
    }),
    bind(adminLedgerCorrect, (input, op) => {
      requireOwner(userExists, input.userId);
      return svc.submit((st) => {
        const r = correct(st, input, `${op.correlationId}`);
        const { userId, asset, amount, reason } = input;
        audited(audit, st, op, 'ledger.correct', userId, {
          asset,
          amount,
          reason,
          entryId: r.entryId,
        });
        return r;
      });
    }),
    bind(adminLedgerReconcile, async (_input, op) => {
      await svc.flush();
      const report = await runReconcile();
      audit.recordFor(op, 'ledger.reconcile', null, {
        ok: report.ok,
        checkedAccounts: report.checkedAccounts,
        problems: report.problems.length,
      });
      return report;
    }),
  ];
}

/** Every exchange operation bound to the service, in catalogue order. */
export function bindExchangeOperations(deps: ExchangeOperationDeps): BoundOperation[] {
  return [
    ...bindMarketOperations(deps),
    ...bindPlaceOperations(deps),
    ...bindOrderOperations(deps),
    ...bindOrderListOperations(deps.svc, deps.q),
    ...bindBalanceOperations(deps),
    ...bindLedgerAdminOperations(deps),
  ];
}
