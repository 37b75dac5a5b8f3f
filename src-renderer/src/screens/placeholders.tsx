import { NotBuilt } from '../components/not-built';

export const TradeScreen = () => (
  <NotBuilt
    title="Trade"
    what="Charts, the order book, the order ticket and your open orders will live here."
    needs="It needs the local exchange and its market data, which are not part of this build."
  />
);

export const BacktestScreen = () => (
  <NotBuilt
    title="Backtest"
    what="Test a strategy on historical candles: pick a dataset and a strategy, run it, compare results."
    needs="The backtesting engine is not part of this build."
  />
);
