import type { Feature } from '../../feature';
import type { ExchangeService } from '../exchange/service';
import { bindSimulatorOperations } from './operations';
import { SimulatorService } from './service';

/** Market makers and takers that keep the default markets moving with no network. */
export const simulatorFeature: Feature & { service?: SimulatorService } = {
  name: 'simulator',
  setup(ctx) {
    const exchange = ctx.services.get('exchange') as ExchangeService | undefined;
    if (!exchange) throw new Error('the simulator needs the exchange feature');
    const service = new SimulatorService({
      store: ctx.store,
      exchange,
      log: ctx.log,
      now: ctx.config.now,
      autostart: ctx.config.simulator,
      seed: ctx.config.simulatorSeed,
    });
    ctx.registry.registerAll(bindSimulatorOperations(service));
    ctx.services.set('simulator', service);
    this.service = service;
  },
  async start() {
    await this.service?.start();
  },
  stop() {
    this.service?.stop();
  },
};
