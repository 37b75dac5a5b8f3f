import {
  marketDataCandles,
  marketDataDepth,
  marketDataTickers,
  marketDataTrades,
} from '../../../src-shared/contract';
import { bind, type BoundOperation } from '../../operations/registry';
import type { MarketDataService } from './service';

/** The public market-data reads. */
export function bindMarketDataOperations(md: MarketDataService): BoundOperation[] {
  return [
    bind(marketDataDepth, ({ symbol, depth }) => md.depth(symbol, depth)),
    bind(marketDataTrades, ({ symbol, limit }) => ({ items: md.trades(symbol, limit) })),
    bind(marketDataCandles, ({ symbol, interval, from, to, limit }) => ({
      symbol,
      interval,
      items: md.candles(symbol, interval, { from, to, limit }),
    })),
    bind(marketDataTickers, ({ symbol }) => ({ items: md.tickers(symbol) })),
  ];
}
