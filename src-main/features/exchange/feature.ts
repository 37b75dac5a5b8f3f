import { defineFeature } from '../feature';
import type { IdentityService } from '../identity/service';
import { bindExchangeOperations } from './operations';
import { ExchangeQueries } from './queries';
import { reconcile, type ReconcileReport } from './reconcile';
import { DeadManSwitch } from './dead-man';
import { ExchangeService } from './service';

/** Reconciliation every 5 minutes; a mismatch fails the run and notifies administrators. */
export const RECONCILE_SCHEDULE = '*/5 * * * *';

/** Markets, orders, fills, balances and the ledger, behind one group-committing queue. */
export const exchangeFeature = defineFeature({
  name: 'exchange',
  setup(ctx, { identity }: { identity: Pick<IdentityService, 'users'> }) {
    const service = new ExchangeService({
      store: ctx.store,
      hub: ctx.hub,
      log: ctx.log,
      now: ctx.config.now,
    });
    const queries = new ExchangeQueries(ctx.store.sqlite, service);
    const deadMan = new DeadManSwitch({
      sqlite: ctx.store.sqlite,
      exchange: service,
      notifications: ctx.notifications,
      now: ctx.config.now,
      log: ctx.log,
    });
    // One run at a time: the postings are summed in a read transaction on the shared reader
    // connection, which cannot nest; a second caller waits for the first to finish.
    let running: Promise<unknown> = Promise.resolve();
    const runReconcile = (signal?: AbortSignal): Promise<ReconcileReport> => {
      const run = running.then(() => reconcileAndNotify(signal));
      running = run.catch(() => undefined);
      return run;
    };
    const reconcileAndNotify = async (signal?: AbortSignal): Promise<ReconcileReport> => {
      const report = await reconcile(ctx.store.sqlite, service.ledgerBalances(), {
        reader: ctx.store.reader(),
        signal,
        otherHolds: service.otherHolds(),
      });
      if (!report.ok) {
        ctx.notifications.notify({
          level: 'error',
          kind: 'ledger.reconcile',
          title: 'Ledger reconciliation found problems',
          body: report.problems
            .slice(0, 20)
            .map((p) => p.message)
            .join('\n'),
        });
      }
      return report;
    };
    ctx.registry.registerAll(
      bindExchangeOperations({
        svc: service,
        q: queries,
        runReconcile,
        demoFunds: ctx.config.demoFunds,
        audit: ctx.audit,
        deadMan,
        userExists: (id) => identity.users.get(id) !== undefined,
      }),
    );
    ctx.scheduler.register({
      name: 'ledger.reconcile',
      description: 'Checks ledger sums, signs, holds and stored balances',
      schedule: RECONCILE_SCHEDULE,
      notifyOnFailure: false,
      async run(job) {
        await service.flush();
        const report = await runReconcile(job.signal);
        if (!report.ok) throw new Error(`${report.problems.length} ledger problem(s) found`);
        return { checkedAccounts: report.checkedAccounts };
      },
    });
    return {
      // The read side (trades, orders, ledger) for features that report on them (analytics).
      provides: { exchange: service, deadMan, exchangeQueries: queries },
      async start() {
        service.seedDefaults();
        service.load();
        await deadMan.start();
      },
      async stop() {
        deadMan.stop();
        await service.flush();
      },
    };
  },
});
