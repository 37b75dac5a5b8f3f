import type { AccountsService } from '../accounts/service';
import type { AutomationService } from '../automation/service';
import type { ExchangeApi } from '../exchange/api';
import type { ExchangeQueries } from '../exchange/queries';
import type { MarketDataService } from '../market-data/service';

/**
 * What analytics reads of the features before it: each a narrow slice of what that feature
 * provides, so the reports can be tested with plain objects and no feature's state leaks in.
 */
export interface AnalyticsDeps {
  /** Trading accounts, paper and broker fills, positions, broker state. */
  accounts: Pick<
    AccountsService,
    | 'rowsOf'
    | 'get'
    | 'positions'
    | 'paperFills'
    | 'brokerFills'
    | 'paperOrderFill'
    | 'paperAccountsHolding'
    | 'brokers'
    | 'paper'
  >;
  /** Market rules, assets, last prices and the user's holdings on the local exchange; its engine events. */
  exchange: Pick<
    ExchangeApi,
    'spec' | 'market' | 'asset' | 'hasMarket' | 'onEngineEvents' | 'symbols' | 'holdings'
  >;
  /** A user's own fills on the local exchange. */
  exchangeQueries: Pick<ExchangeQueries, 'listTrades'>;
  /** Candles of the local exchange's markets (the benchmark). */
  marketData: Pick<MarketDataService, 'candles'>;
  /** Which alert placed which order. */
  automation: Pick<AutomationService, 'orderSources'>;
}
