import { Counter } from 'prom-client';
import { defineFeature } from '../feature';
import { ownerStandingFrom, type OwnerDirectory } from './accounts-port';
import { bindAutomationOperations } from './operations';
import type { AccountsPort } from './ports';
import { AutomationService } from './service';

/** Dedupe claims past their window are dropped every 10 minutes. */
export const PURGE_SCHEDULE = '*/10 * * * *';
/** Old webhook log rows, refusal counters and read notifications are pruned hourly. */
export const RETENTION_SCHEDULE = '17 * * * *';
/** Notifications kept at most per recipient (a flood of refused alerts notifies its owner). */
const NOTIFICATIONS_PER_RECIPIENT = 1000;

/** What automation takes from the features set up before it. */
export interface AutomationDeps {
  /** Trading accounts (the accounts feature's service speaks the port as it is). */
  accounts: AccountsPort;
  /** Who owns a webhook token, and whether they may still trade. */
  identity: OwnerDirectory;
}

/**
 * TradingView automation: the alert pipeline (parse, dedupe, risk, execute on the account's
 * venue, log, notify), the emergency stop and its operations. It provides the service; the
 * root hands its pipeline to the webhook transport, which receives the alerts.
 */
export const automationFeature = defineFeature({
  name: 'automation',
  setup(ctx, { accounts, identity }: AutomationDeps) {
    const refused = new Counter({
      name: 'bourse_webhook_refused_total',
      help: 'Webhook deliveries not logged (no known token) or not served (rate limited), by reason',
      labelNames: ['reason'],
      registers: [ctx.metrics.registry],
    });
    const { webhookLogDays: days, webhookLogMaxRows: maxRows } = ctx.config;
    const service = new AutomationService({
      store: ctx.store,
      notifications: ctx.notifications,
      log: ctx.log,
      now: ctx.config.now,
      accounts: () => accounts,
      rates: ctx.config.webhookRatePerMinute,
      retention: {
        days,
        maxRows,
        maxRowsPerUser: Math.ceil(maxRows / 10),
        maxRefusalRows: Math.ceil(maxRows / 4),
      },
      notificationsPerRecipient: NOTIFICATIONS_PER_RECIPIENT,
      onRefused: (reason) => refused.inc({ reason }),
      ownerStanding: ownerStandingFrom(identity),
    });
    ctx.registry.registerAll(
      bindAutomationOperations(service, ctx.config, () => ctx.baseUrl(), ctx.audit),
    );
    ctx.scheduler.register({
      name: 'automation.dedupe.purge',
      description: 'Drops webhook dedupe claims whose window has passed',
      schedule: PURGE_SCHEDULE,
      notifyOnFailure: false,
      async run() {
        return { purged: service.purge() };
      },
    });
    ctx.scheduler.register({
      name: 'automation.retention',
      description: `Prunes webhook log rows and refusal counters older than ${days} days or over the ceiling, and old read notifications`,
      schedule: RETENTION_SCHEDULE,
      run: () => service.retain(),
    });
    return { provides: { automation: service } };
  },
});
