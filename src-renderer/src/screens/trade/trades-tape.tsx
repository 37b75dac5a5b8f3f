import { useTradeSlice } from '../../stores/trade';

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour12: false });

/** The market's latest trades, newest on top, coloured by the taker's side. */
export function TradesTape() {
  const { tape, pickPrice } = useTradeSlice('tape', 'pickPrice');
  return (
    <section className="card trade-tape" aria-label="Recent trades">
      <h2>Trades</h2>
      <table className="book-table">
        <thead>
          <tr>
            <th className="num">Price</th>
            <th className="num">Size</th>
            <th className="num">Time</th>
          </tr>
        </thead>
        <tbody>
          {tape.map((t) => (
            <tr key={t.tradeId} onClick={() => pickPrice(t.price)} className="tape-row">
              <td className={`num ${t.takerSide === 'buy' ? 'up' : 'down'}`}>{t.price}</td>
              <td className="num">{t.qty}</td>
              <td className="num muted">{time(t.ts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {tape.length === 0 ? <p className="muted">No trades yet.</p> : null}
    </section>
  );
}
