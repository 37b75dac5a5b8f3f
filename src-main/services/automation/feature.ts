import type { FastifyInstance } from 'fastify';
import type { Feature } from '../../feature';
import { listeningBaseUrl, localBaseUrl } from '../../transports/http/base-url';
import { accountsPortFrom, ownerStandingFrom } from './accounts-port';
import { bindAutomationOperations } from './operations';
import type { AccountsPort } from './ports';
import { AutomationService } from './service';
import { registerWebhookRoutes } from './webhook-routes';

/** Dedupe claims past their window are dropped every 10 minutes. */
export const PURGE_SCHEDULE = '*/10 * * * *';

/**
 * TradingView automation: the webhook receiver routes, the alert pipeline (parse, dedupe,
 * risk, execute on the account's venue, log, notify), the emergency stop and its operations.
 */
export const automationFeature: Feature & { service?: AutomationService } = {
  name: 'automation',
  setup(ctx) {
    let port: AccountsPort | undefined;
    const accounts = () => (port ??= accountsPortFrom(ctx.services));
    const service = new AutomationService({
      store: ctx.store,
      notifications: ctx.notifications,
      log: ctx.log,
      now: ctx.config.now,
      accounts,
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
    ctx.services.set('automation', service);
    this.service = service;
  },
};
