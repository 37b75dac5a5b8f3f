import { defineFeature } from '../feature';
import {
  ExchangeBrackets,
  type ExchangeBracketsOptions,
} from '../../connectors/local-exchange/brackets';
import type { ExchangeApi } from '../exchange/api';
import { bindAccountsOperations } from './operations';
import { bindBrokerOperations } from './broker-operations';
import { bindExitPlanOperations } from './exit-operations';
import { AccountsService, type AccountsServiceOptions } from './service';
import { SqliteBridgeStore } from './bridge-store';
import type { BrokerDefinition } from '../../connectors/broker/port';
import { BridgeHub, metatraderDefinition } from '../../connectors/metatrader';

/** Every minute, paper positions are re-marked even if no trade moved their market. */
export const PAPER_CHECK_SCHEDULE = '* * * * *';

/** How often simulated indexes (index:SPX) take a random-walk step. */
export const INDEX_STEP_MS = 1000;

/**
 * Trading accounts and the paper broker. Provides `accounts`, which is also automation's
 * accounts port. Paper brackets and stop-out are applied whenever the
 * local exchange's books move (engine events), coalesced to one pass per tick.
 */
export const accountsFeature = defineFeature({
  name: 'accounts',
  setup(
    ctx,
    {
      exchange,
      exchangeOrders,
      brokers,
    }: {
      exchange: ExchangeApi;
      /** One order of a user as it stands, open or closed (the exchange's queries). */
      exchangeOrders: ExchangeBracketsOptions['order'];
      /** External broker venues (connectors' definitions). */
      brokers: BrokerDefinition[];
    },
  ) {
    // The MetaTrader bridge's queue lives here: its EA calls Bourse (transports/bridge).
    const bridge = new BridgeHub({
      onError: (err) => ctx.log.warn({ err }, 'MetaTrader bridge sweep failed'),
      store: new SqliteBridgeStore(ctx.store),
      now: ctx.config.now,
    });
    const bridgeStatus: AccountsServiceOptions['bridgeStatus'] = (a) => {
      if (a.venue !== 'metatrader') return null;
      const s = bridge.status(a.id);
      return {
        allowUrl: ctx.baseUrl(),
        online: s.online,
        lastHeartbeatAt: s.lastHeartbeatAt,
        terminal: s.heartbeat
          ? {
              ...s.heartbeat.terminal,
              platform: s.heartbeat.ea.platform,
              login: s.heartbeat.account.login,
            }
          : null,
        queued: bridge.pendingCount(a.id),
      };
    };
    // Alerts' take-profit / stop-loss on the local exchange, placed once their entry is done.
    const brackets = new ExchangeBrackets({
      store: ctx.store,
      exchange,
      order: exchangeOrders,
      now: ctx.config.now,
      log: ctx.log,
      notify: (n) => ctx.notifications.notify({ ...n, kind: 'automation.brackets' }),
    });
    exchange.onEngineEvents((_symbol, events) => brackets.onEngineEvents(events));
    const service = new AccountsService({
      brackets,
      store: ctx.store,
      exchange,
      notifications: ctx.notifications,
      log: ctx.log,
      now: ctx.config.now,
      secrets: ctx.secrets,
      hub: ctx.hub,
      brokers: [...brokers, metatraderDefinition(bridge)],
      bridgeStatus,
    });
    ctx.registry.registerAll(bindAccountsOperations(service, ctx.audit));
    ctx.registry.registerAll(bindBrokerOperations(service, ctx.audit));
    ctx.registry.registerAll(bindExitPlanOperations(brackets));

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
    ctx.scheduler.register({
      name: 'accounts.paper.financing',
      description: 'Posts futures funding and CFD financing once per period and position',
      schedule: PAPER_CHECK_SCHEDULE,
      notifyOnFailure: true,
      async run() {
        return { charged: await service.chargeFinancing() };
      },
    });
    // Simulated indexes (SPX) step once a second; positions on them are then re-checked.
    let indexTimer: NodeJS.Timeout | null = null;
    const stepIndexes = () => {
      if (service.stopped) return;
      // A timer's exception would be uncaught (in the app: the main process's crash handler).
      try {
        const moved = service.instruments.stepIndexes();
        const symbols = moved.flatMap((n) => service.instruments.pricedBy(`index:${n}`));
        if (symbols.length > 0 && service.hasPaperAccounts())
          void service.checkPaper(new Set(symbols));
      } catch (err) {
        ctx.log.warn({ err }, 'paper indexes: a step failed');
      }
    };
    return {
      provides: { accounts: service, bridge, exitPlans: brackets },
      start: async () => {
        // A plan that cannot be finished now must not keep the backend from starting: logged,
        // it stays as it is for the next start.
        await brackets
          .recover()
          .catch((err: unknown) => ctx.log.error({ err }, 'exit plans: recovery failed'));
        bridge.start();
        service.startBrokers();
        indexTimer = setInterval(stepIndexes, INDEX_STEP_MS);
        indexTimer.unref();
      },
      stop: async () => {
        if (indexTimer) clearInterval(indexTimer);
        bridge.stop();
        await service.stop();
      },
    };
  },
});
