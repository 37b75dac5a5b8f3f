import type { ExchangeApi } from '../exchange/api';
import type { FundingService } from '../funding/service';
import { defineFeature } from '../feature';
import type { IdentityService } from '../identity/service';
import { WithdrawalBroadcaster } from './broadcast';
import { withdrawalOperations } from './operations';
import { withdrawalsOnChain } from './reconcile';
import { WithdrawalRepo } from './repo';
import { WithdrawalService } from './service';

/** Every 10 s: approved withdrawals go out and sent ones are tracked without a long wait. */
export const WITHDRAWAL_BROADCAST_SCHEDULE = '*/10 * * * * *';

/**
 * Withdrawals to a chain: the address book, requests with their hold, the approval policy,
 * and the broadcast job that signs with the hot wallet, sends, tracks and settles.
 */
export const withdrawalsFeature = defineFeature({
  name: 'withdrawals',
  setup(ctx, deps: { exchange: ExchangeApi; identity: IdentityService; funding: FundingService }) {
    const repo = new WithdrawalRepo(ctx.store);
    let started = false;
    /** The last run's failure, so admins are told of a problem once, not every 10 s. */
    let lastProblem = '';
    const service = new WithdrawalService({
      store: ctx.store,
      repo,
      exchange: deps.exchange,
      audit: ctx.audit,
      notifications: ctx.notifications,
      hub: ctx.hub,
      now: ctx.config.now,
      coolOffMs: ctx.config.withdrawalCoolOffMs,
      kick: () => {
        if (started) ctx.scheduler.enqueue('withdrawals.broadcast', null);
      },
    });
    const broadcaster = new WithdrawalBroadcaster({
      store: ctx.store,
      repo,
      service,
      secrets: ctx.secrets,
      audit: ctx.audit,
      notifications: ctx.notifications,
      log: ctx.log,
      now: ctx.config.now,
    });
    deps.exchange.addHoldSource(() => service.holds());
    // Reconciliation (`admin.funding.reconcile`) checks settled withdrawals against the chain too.
    deps.funding.extraChecks.push(withdrawalsOnChain(repo));
    ctx.registry.registerAll(
      withdrawalOperations({
        service,
        repo,
        identity: deps.identity,
        secrets: ctx.secrets,
        audit: ctx.audit,
        store: ctx.store,
        now: ctx.config.now,
      }),
    );
    ctx.scheduler.register({
      name: 'withdrawals.broadcast',
      description: 'Signs approved withdrawals with the hot wallet, sends, tracks and settles them',
      schedule: WITHDRAWAL_BROADCAST_SCHEDULE,
      // A stuck withdrawal fails every run; admins hear of each new problem once (below).
      notifyOnFailure: false,
      async run() {
        // Nothing to do is the usual case: no chain call, no failure when no chain is set up.
        if (repo.inStatus(['approved', 'signed', 'sent', 'mined']).length === 0) return {};
        try {
          const done = await broadcaster.runOnce();
          lastProblem = '';
          return done;
        } catch (err) {
          const problem = err instanceof Error ? err.message : String(err);
          if (problem !== lastProblem) {
            ctx.notifications.notify({
              level: 'error',
              kind: 'withdrawals.broadcast',
              title: 'Withdrawals are held up',
              body: problem,
            });
          }
          lastProblem = problem;
          throw err;
        }
      },
    });
    return {
      provides: { withdrawals: { service, broadcaster } },
      start() {
        started = true;
      },
      async stop() {
        started = false;
        await service.serial(() => undefined);
      },
    };
  },
});
