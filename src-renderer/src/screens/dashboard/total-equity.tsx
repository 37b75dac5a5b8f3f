import { LineSeries } from 'lightweight-charts';
import { series, useChart } from '../backtest/charts';
import { money, signClass, type TotalEquityAnswer } from './model';

/**
 * Every account's equity together, one point per day and the live one now, in one currency.
 * Floats only here: the chart draws, it does not count.
 */
function Chart({ total }: { total: TotalEquityAnswer }) {
  const points = [...total.points, total.now];
  const ref = useChart(
    (chart, c) => {
      const line = chart.addSeries(LineSeries, {
        color: c.accent,
        lineWidth: 2,
        priceLineVisible: false,
        title: `Total ${total.quote}`,
      });
      line.setData(
        series(
          points.map((p) => p.t),
          (i) => Number(points[i]!.equity),
        ),
      );
    },
    [total],
    220,
  );
  return (
    <div
      ref={ref}
      className="bt-chart"
      role="img"
      aria-label={`Total equity in ${total.quote}`}
      data-points={points.length}
    />
  );
}

/** What the total leaves out or could not mark, said under the curve. */
function Caveats({ total }: { total: TotalEquityAnswer }) {
  const missing = [...new Set([...total.points, total.now].flatMap((p) => p.missing))].sort();
  const unmarkedDays = total.points.filter((p) => p.unmarked > 0).length;
  return (
    <>
      {missing.length > 0 ? (
        <p className="muted small">
          Not in the total: amounts in {missing.join(', ')} (no market prices them in {total.quote}
          ).
        </p>
      ) : null}
      {unmarkedDays > 0 || total.now.unmarked > 0 ? (
        <p className="muted small">
          Open positions without a price are counted at their cost
          {unmarkedDays > 0 ? ` on ${unmarkedDays} day${unmarkedDays === 1 ? '' : 's'}` : ''}
          {total.now.unmarked > 0 ? ` and now (${total.now.unmarked})` : ''}.
        </p>
      ) : null}
    </>
  );
}

export function TotalEquity({ total }: { total: TotalEquityAnswer }) {
  const now = total.now;
  if (now.accounts.length === 0) return <p className="muted">No trading accounts to add up yet.</p>;
  return (
    <>
      <p className="dash-total-now">
        <span className="dash-total-figure">
          {money(now.equity)} {total.quote}
        </span>{' '}
        <span className="muted small">now, of which unrealised </span>
        <span className={`small ${signClass(now.unrealised)}`}>{money(now.unrealised)}</span>
      </p>
      <Chart total={total} />
      <table className="table dash-total-accounts" aria-label="Equity by account now">
        <thead>
          <tr>
            <th>Account</th>
            <th className="num">Equity ({total.quote})</th>
            <th className="num">of which unrealised</th>
          </tr>
        </thead>
        <tbody>
          {now.accounts.map((a) => (
            <tr key={a.accountId}>
              <td>
                {a.name} <span className="muted small">{a.venue}</span>
              </td>
              <td className="num">{money(a.equity)}</td>
              <td className={`num small ${signClass(a.unrealised)}`}>{money(a.unrealised)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Caveats total={total} />
    </>
  );
}
