import type { Feature } from '../feature';
import type { ExchangeService } from '../exchange/service';
import { bindAccountsOperations } from './operations';
import { AccountsService } from './service';

/** Every minute, paper positions are re-marked even if no trade moved their market. */
export const PAPER_CHECK_SCHEDULE = '* * * * *';

/**
 * Trading accounts and the paper broker. Registered as the `accounts` service, which is
 * also automation's accounts port. Paper brackets and stop-out are applied whenever the
 * local exchange's books move (engine events), coalesced to one pass per tick.
 */
export const accountsFeature: Feature & { service?: AccountsService } = {
  name: 'accounts',
  setup(ctx) {
    const exchange = ctx.services.get('exchange') as ExchangeService | undefined;
    if (!exchange) throw new Error('the accounts feature needs the exchange feature first');
    const service = new AccountsService({
      store: ctx.store,
      exchange,
      notifications: ctx.notifications,
      log: ctx.log,
      now: ctx.config.now,
    });
    ctx.registry.registerAll(bindAccountsOperations(service, ctx.audit));

    let pending: Set<string> | null = null;
    exchange.onEngineEvents((symbol) => {
      if (service.stopped || !service.hasPaperAccounts()) return;
      if (pending) {
        pending.add(symbol);
        return;
      }
      pending = new Set([symbol]);
      setImmediate(() => {
        const symbols = pending!;
        pending = null;
        void service.checkPaper(symbols);
      });
    });
    ctx.scheduler.register({
      name: 'accounts.paper.check',
      description: 'Applies paper stop-loss, take-profit, margin call and stop-out',
      schedule: PAPER_CHECK_SCHEDULE,
      notifyOnFailure: false,
      async run() {
        return { fills: await service.checkPaper() };
      },
    });
    ctx.services.set('accounts', service);
    this.service = service;
  },
  async stop() {
    await this.service?.stop();
  },
};
