import { defineFeature } from '../feature';
import type { ExchangeApi } from '../exchange/api';
import { bindSimulatorOperations } from './operations';
import { SIMULATOR_OWNER_PREFIX, SimulatorService } from './service';

/** Hourly, off the hour so it does not meet the other hourly jobs. */
export const SIMULATOR_COMPACT_SCHEDULE = '17 * * * *';

/** Market makers and takers that keep the default markets moving with no network. */
export const simulatorFeature = defineFeature({
  name: 'simulator',
  setup(ctx, { exchange }: { exchange: ExchangeApi }) {
    const service = new SimulatorService({
      store: ctx.store,
      exchange,
      log: ctx.log,
      now: ctx.config.now,
      autostart: ctx.config.simulator,
      seed: ctx.config.simulatorSeed,
    });
    ctx.registry.registerAll(bindSimulatorOperations(service, ctx.audit));
    // Left running, the simulator writes ~20,000 orders and ~100,000 postings an hour; its
    // own history is compacted once it is older than the configured window.
    ctx.scheduler.register({
      name: 'simulator.compact',
      description: `Compacts the simulator's own history older than ${ctx.config.simulatorHistoryHours} h`,
      schedule: SIMULATOR_COMPACT_SCHEDULE,
      notifyOnFailure: true,
      run: () =>
        exchange.compactSystemHistory({
          ownerPrefix: SIMULATOR_OWNER_PREFIX,
          before: ctx.config.now() - ctx.config.simulatorHistoryHours * 3_600_000,
        }),
    });
    return {
      provides: { simulator: service },
      start: () => service.start(),
      stop: () => service.stop(),
    };
  },
});
