import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import type { Feature } from '../feature';
import { listeningBaseUrl, localBaseUrl } from '../../transports/http/base-url';
import { accountsPortFrom, ownerStandingFrom } from './accounts-port';
import { bindAutomationOperations } from './operations';
import type { AccountsPort } from './ports';
import { AutomationService } from './service';
import { registerWebhookRoutes } from '../../transports/webhook/routes';

/** Dedupe claims past their window are dropped every 10 minutes. */
export const PURGE_SCHEDULE = '*/10 * * * *';
/** Old webhook log rows, refusal counters and read notifications are pruned hourly. */
export const RETENTION_SCHEDULE = '17 * * * *';
/** Notifications kept at most per recipient (a flood of refused alerts notifies its owner). */
const NOTIFICATIONS_PER_RECIPIENT = 1000;

/**
 * TradingView automation: the webhook receiver routes, the alert pipeline (parse, dedupe,
 * risk, execute on the account's venue, log, notify), the emergency stop and its operations.
 */
export const automationFeature: Feature & { service?: AutomationService } = {
  name: 'automation',
  setup(ctx) {
    let port: AccountsPort | undefined;
    const accounts = () => (port ??= accountsPortFrom(ctx.services));
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
      accounts,
      rates: ctx.config.webhookRatePerMinute,
      retention: {
        days,
        maxRows,
        maxRowsPerUser: Math.ceil(maxRows / 10),
        maxRefusalRows: Math.ceil(maxRows / 4),
      },
      notificationsPerRecipient: NOTIFICATIONS_PER_RECIPIENT,
      onRefused: (reason) => refused.inc({ reason }),
      ownerStanding: ownerStandingFrom(ctx.services),
    });
    let app: FastifyInstance | undefined;
    ctx.addRoutes((a) => {
      app = a;
      registerWebhookRoutes(a, () => service.pipeline);
    });
    ctx.registry.registerAll(
      bindAutomationOperations(
        service,
        ctx.config,
        () =>
          listeningBaseUrl(app, ctx.config.host) ?? localBaseUrl(ctx.config.host, ctx.config.port),
        ctx.audit,
      ),
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
    ctx.services.set('automation', service);
    this.service = service;
  },
};
