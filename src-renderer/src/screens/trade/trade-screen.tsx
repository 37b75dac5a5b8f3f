import { useEffect } from 'react';
import { useTradeSlice } from '../../stores/trade';
import { MarketBar } from './market-bar';
import { MyTables } from './my-tables';
import { OrderBook } from './order-book';
import { OrderTicket } from './order-ticket';
import { PriceChart } from './price-chart';
import { SimulatorPanel } from './simulator-panel';
import { TradesTape } from './trades-tape';
import './trade.css';

/** Spot trading on the local exchange: chart, book, tape, ticket and the user's orders. */
export function TradeScreen() {
  const { init, stop, error, symbol } = useTradeSlice('init', 'stop', 'error', 'symbol');
  useEffect(() => {
    void init();
    return stop;
  }, [init, stop]);
  return (
    <div className="trade-screen" role="region" aria-labelledby="screen-title">
      {/* The market bar is the visible title; the heading names the screen for assistive tech. */}
      <h1 id="screen-title" className="visually-hidden">
        Trade
      </h1>
      <MarketBar />
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <div className="trade-grid">
        <PriceChart />
        <OrderBook />
        <div className="trade-side">
          <OrderTicket key={symbol} />
          <SimulatorPanel />
        </div>
        <MyTables />
        <TradesTape />
      </div>
    </div>
  );
}
