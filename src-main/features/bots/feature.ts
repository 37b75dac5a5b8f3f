import type { AccountsService } from '../accounts/service';
import type { AutomationService } from '../automation/service';
import type { BacktestService } from '../backtest/service';
import type { ExchangeApi } from '../exchange/api';
import type { MarketDataService } from '../market-data/service';
import { defineFeature } from '../feature';
import { bindBotsOperations } from './operations';
import { ClosedBarCache } from './market';
import { sendOrder } from './orders';
import { BotRunner } from './runner';
import { BotsService } from './service';
import { replay } from './shadow';
import { BotsStore, type BotRow } from './store';

/** What bots take from the features set up before them. */
export interface BotsDeps {
  accounts: AccountsService;
  exchange: ExchangeApi;
  marketData: MarketDataService;
  automation: AutomationService;
  backtest: BacktestService;
}

/**
 * Bots: strategies run live. Each closed bar replays the strategy as a backtest (the shadow)
 * and the bot's live position follows the shadow's through the automation pipeline. Provides
 * the service (and its runner: tests step it with their clock).
 */
export const botsFeature = defineFeature({
  name: 'bots',
  setup(ctx, { accounts, exchange, marketData, automation, backtest }: BotsDeps) {
    const repo = new BotsStore(ctx.store);
    // The runner and the service refer to each other: the closures below run only after
    // `service` is built (no bar is stepped during setup).
    // Lazy: the view (a read of the last order) is built only for a subscribed connection.
    const publish = (bot: BotRow) =>
      ctx.hub.publishLazy('bots', () => service.view(bot), { kind: 'user', userId: bot.userId });
    const runner = new BotRunner({
      store: ctx.store,
      repo,
      log: ctx.log,
      now: ctx.config.now,
      market: (bot) => service.market(bot),
      replay: (input) => replay(backtest, input),
      account: (bot) => accounts.get(bot.accountId),
      send: (account, body) => sendOrder(automation, account, body),
      held: async (bot) => (await accounts.venue(bot.accountId).exposure(bot.symbol)).position,
      adjusted: (bot, text) =>
        ctx.notifications.notify({
          userId: bot.userId,
          level: 'warning',
          kind: 'bots.position',
          title: `Bot ${bot.name}: position closed outside it`,
          body: text,
        }),
      changed: publish,
      failed: (bot, reason) =>
        ctx.notifications.notify({
          userId: bot.userId,
          level: 'error',
          kind: 'bots.error',
          title: `Bot ${bot.name} stopped on an error`,
          body: reason,
        }),
    });
    const service: BotsService = new BotsService(
      {
        store: ctx.store,
        repo,
        now: ctx.config.now,
        market: {
          exchange,
          marketData,
          bars: new ClosedBarCache(),
          brokers: accounts.brokers,
          isExternal: (venue) => accounts.venueList().some((v) => v.venue === venue && v.external),
          paperInstrument: (symbol) => accounts.instruments.instrument(symbol),
        },
        ownAccount: (userId, accountId) => accounts.own(userId, accountId),
        strategy: (userId, strategyId) => backtest.strategies.resolveStrategy(userId, strategyId),
        publish,
      },
      runner,
    );
    ctx.registry.registerAll(bindBotsOperations(service, ctx.audit));
    return {
      provides: { bots: service },
      start() {
        // After the other features started (market data loaded, broker sessions starting).
        setImmediate(() => {
          runner.start().catch((err: unknown) => ctx.log.error({ err }, 'bots did not start'));
        });
      },
      stop: () => runner.stop(),
    };
  },
});
