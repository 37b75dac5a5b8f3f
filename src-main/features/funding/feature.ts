import { defineFeature } from '../feature';
import type { ExchangeApi } from '../exchange/api';
import { bindFundingOperations } from './operations';
import { FundingReconciler } from './reconciler';
import { FundingService } from './service';
import { FundingSettings } from './settings';

/** The listener job's name (Admin → Jobs). */
export const DEPOSITS_JOB = 'funding.deposits';
/** How often the feature looks whether a chain is due when none is enabled (ms). */
const IDLE_CHECK_MS = 30_000;

/**
 * Funding, deposits half: chains and per-asset settings, watch-only deposit addresses, the
 * listener job and reconciliation against the chain.
 *
 * The listener runs as the scheduler's job `funding.deposits` (its runs, failures and
 * manual triggers in Admin → Jobs); the feature enqueues it every `pollMs` of the fastest
 * enabled chain, and never while a run is still going, so a slow node cannot pile runs up.
 */
export const fundingFeature = defineFeature({
  name: 'funding',
  setup(ctx, { exchange }: { exchange: ExchangeApi }) {
    const service = new FundingService({
      store: ctx.store,
      exchange,
      secrets: ctx.secrets,
      hub: ctx.hub,
      audit: ctx.audit,
      notifications: ctx.notifications,
      log: ctx.log,
      now: ctx.config.now,
    });
    const settings = new FundingSettings({
      service,
      repo: service.repo,
      exchange,
      audit: ctx.audit,
      now: ctx.config.now,
    });
    const reconciler = new FundingReconciler({
      sqlite: ctx.store.sqlite,
      service,
      exchange,
      now: ctx.config.now,
    });
    const assetCodes = () =>
      (
        ctx.store.sqlite.prepare('SELECT code FROM assets ORDER BY code').all() as Array<{
          code: string;
        }>
      ).map((r) => r.code);
    ctx.registry.registerAll(
      bindFundingOperations({ service, settings, reconciler, assetCodes, audit: ctx.audit }),
    );
    ctx.scheduler.register({
      name: DEPOSITS_JOB,
      description: 'Watches the chains for deposits: confirmations, credits, reorgs',
      notifyOnFailure: true,
      async run(job) {
        const reports = await service.pollAll(job.signal);
        return { chains: reports };
      },
    });
    let timer: NodeJS.Timeout | null = null;
    let runId: number | null = null;
    const schedule = (ms: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(tick, ms);
      timer.unref();
    };
    // The next look: the fastest enabled chain's interval (also the first one after start or
    // a change, so a chain polled every 10 minutes is not polled at once either).
    const due = () => {
      const enabled = service.repo.chains().filter((c) => c.enabled);
      return enabled.length > 0 ? Math.min(...enabled.map((c) => c.pollMs)) : IDLE_CHECK_MS;
    };
    const tick = () => {
      const enabled = service.repo.chains().some((c) => c.enabled);
      const status = runId === null ? undefined : ctx.scheduler.getRun(runId)?.status;
      if (enabled && status !== 'queued' && status !== 'running') {
        runId = ctx.scheduler.enqueue(DEPOSITS_JOB, null);
      }
      schedule(due());
    };
    settings.onChainChanged = () => schedule(due());
    // Once real money can come in or go out, demo top-ups stop: on one exchange every asset
    // trades against every other, so play money would buy (and withdraw) real coins.
    exchange.addDemoFundsGate(() => {
      const live = service.repo
        .assetSettings()
        .find(
          (a) =>
            (a.depositsEnabled || a.withdrawalsEnabled) && service.repo.chain(a.chainId)?.enabled,
        );
      return live
        ? `Demo funds stopped when real ${live.asset} ${live.depositsEnabled ? 'deposits' : 'withdrawals'} were switched on (Admin → Funding): balances here now stand for real money`
        : null;
    });
    return {
      provides: { funding: service },
      start() {
        schedule(due());
      },
      stop() {
        if (timer) clearTimeout(timer);
        timer = null;
        settings.onChainChanged = undefined;
      },
    };
  },
});
