import { useTradeSlice } from '../../stores/trade';
import type { LevelPair } from './depth-book';

function Side(props: {
  levels: LevelPair[];
  side: 'bid' | 'ask';
  max: number;
  onPick(p: string): void;
}) {
  return (
    <>
      {props.levels.map(([price, qty]) => {
        const pct = props.max > 0 ? Math.min(100, (Number(qty) / props.max) * 100) : 0;
        return (
          <tr
            key={price}
            className={`book-row ${props.side}`}
            style={{ ['--depth' as string]: `${pct}%` }}
            onClick={() => props.onPick(price)}
            title="Use this price in the order ticket"
          >
            <td className="num price">{price}</td>
            <td className="num">{qty}</td>
          </tr>
        );
      })}
    </>
  );
}

/** The aggregated book: asks above, bids below, bars sized by quantity; click a price to use it. */
export function OrderBook() {
  const { bids, asks, pickPrice, markets, symbol, tickers } = useTradeSlice(
    'bids',
    'asks',
    'pickPrice',
    'markets',
    'symbol',
    'tickers',
  );
  const market = markets.find((m) => m.symbol === symbol);
  const max = Math.max(0, ...bids.map((l) => Number(l[1])), ...asks.map((l) => Number(l[1])));
  const last = tickers[symbol]?.last ?? market?.lastPrice ?? null;
  return (
    <section className="card trade-book" aria-label="Order book">
      <h2>Order book</h2>
      <table className="book-table">
        <thead>
          <tr>
            <th className="num">Price {market ? `(${market.quote})` : ''}</th>
            <th className="num">Size {market ? `(${market.base})` : ''}</th>
          </tr>
        </thead>
        <tbody aria-label="Asks">
          <Side levels={[...asks].reverse()} side="ask" max={max} onPick={pickPrice} />
        </tbody>
        <tbody>
          <tr className="book-mid">
            <td colSpan={2}>
              {last ? <strong>{last}</strong> : <span className="muted">No trades yet</span>}
            </td>
          </tr>
        </tbody>
        <tbody aria-label="Bids">
          <Side levels={bids} side="bid" max={max} onPick={pickPrice} />
        </tbody>
      </table>
      {bids.length === 0 && asks.length === 0 ? <p className="muted">The book is empty.</p> : null}
    </section>
  );
}
