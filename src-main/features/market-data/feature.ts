import type { Feature } from '../feature';
import type { ExchangeService } from '../exchange/service';
import { bindMarketDataOperations } from './operations';
import { MarketDataService } from './service';

/** Depth, trades, candles and tickers derived from the exchange's engine events. */
export const marketDataFeature: Feature & { service?: MarketDataService } = {
  name: 'market-data',
  setup(ctx) {
    const exchange = ctx.services.get('exchange') as ExchangeService | undefined;
    if (!exchange) throw new Error('market data needs the exchange feature');
    const service = new MarketDataService({
      store: ctx.store,
      exchange,
      hub: ctx.hub,
      log: ctx.log,
      now: ctx.config.now,
    });
    ctx.registry.registerAll(bindMarketDataOperations(service));
    ctx.services.set('market-data', service);
    this.service = service;
  },
  start() {
    this.service?.start();
  },
  stop() {
    this.service?.stop();
  },
};
