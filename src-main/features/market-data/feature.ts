import { defineFeature } from '../feature';
import type { ExchangeApi } from '../exchange/api';
import { bindMarketDataOperations } from './operations';
import { MarketDataService } from './service';

/** Depth, trades, candles and tickers derived from the exchange's engine events. */
export const marketDataFeature = defineFeature({
  name: 'market-data',
  setup(ctx, { exchange }: { exchange: ExchangeApi }) {
    const service = new MarketDataService({
      store: ctx.store,
      exchange,
      hub: ctx.hub,
      log: ctx.log,
      now: ctx.config.now,
    });
    ctx.registry.registerAll(bindMarketDataOperations(service));
    return {
      provides: { marketData: service },
      start: () => service.start(),
      stop: () => service.stop(),
    };
  },
});
