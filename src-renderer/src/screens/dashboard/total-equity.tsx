import { useEffect } from 'react';
import { LineSeries } from 'lightweight-charts';
import { series, useChart } from '../backtest/charts';
import {
  signClass,
  splitAtOpenings,
  totalMissing,
  type LateAccount,
  type TotalEquityAnswer,
} from './model';
import { useDashboardReference, useMoney } from './reference';

type Split = ReturnType<typeof splitAtOpenings>;

const day = (ms: number) =>
  new Date(ms).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

/**
 * Every account's equity together, one point per day and the live one now, in one currency.
 * The days before the last account was opened are drawn dashed and muted: they count that
 * account as if it had been there (not history). Floats only here: the chart draws, it does
 * not count.
 */
function Chart({ total, split }: { total: TotalEquityAnswer; split: Split }) {
  const ref = useChart(
    (chart, c) => {
      const line = (points: Split['since'], carried: boolean) => {
        const s = chart.addSeries(LineSeries, {
          color: carried ? c.text : c.accent,
          lineWidth: 2,
          lineStyle: carried ? 2 : 0,
          priceLineVisible: false,
          lastValueVisible: !carried,
          ...(carried ? {} : { title: `Total ${total.quote}` }),
        });
        s.setData(
          series(
            points.map((p) => p.t),
            (i) => Number(points[i]!.equity),
          ),
        );
      };
      // The carried-back stretch reaches the first real point, so the two lines join.
      if (split.before.length > 0) line([...split.before, ...split.since.slice(0, 1)], true);
      line(split.since, false);
    },
    [total, split.boundary],
    220,
  );
  return (
    <div
      ref={ref}
      className="bt-chart"
      role="img"
      aria-label={`Total equity in ${total.quote}`}
      data-points={split.before.length + split.since.length}
      data-carried-back={split.before.length}
    />
  );
}

const names = (late: LateAccount[]) => {
  const n = late.map((a) => a.name);
  return n.length <= 1 ? (n[0] ?? '') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
};

/** What the total leaves out or could not mark, and which days are not history. */
function Caveats({ total, split }: { total: TotalEquityAnswer; split: Split }) {
  const missing = totalMissing(total);
  const unmarkedDays = total.points.filter((p) => p.unmarked > 0).length;
  const plural = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  return (
    <div className="dash-caveats">
      {missing.now.length > 0 ? (
        <p className="muted small" data-testid="total-missing-now">
          Not in the total now: amounts in {missing.now.join(', ')} (no market prices them in{' '}
          {total.quote}).
        </p>
      ) : null}
      {missing.earlier.length > 0 ? (
        <p className="muted small" data-testid="total-missing-earlier">
          Left out of earlier days for want of a daily close in {total.quote}:{' '}
          {missing.earlier.map((m) => `${m.currency} on ${plural(m.days)}`).join(', ')}.
        </p>
      ) : null}
      {unmarkedDays > 0 || total.now.unmarked > 0 ? (
        <p className="muted small">
          Open positions without a price are counted at their cost
          {unmarkedDays > 0 ? ` on ${plural(unmarkedDays)}` : ''}
          {total.now.unmarked > 0 ? ` and now (${total.now.unmarked})` : ''}.
        </p>
      ) : null}
      {split.boundary !== null && split.before.length > 0 ? (
        <p className="muted small" data-testid="total-carried-back">
          <span aria-hidden="true">┅ </span>Dashed: the days before {names(split.late)}{' '}
          {split.late.length === 1 ? 'was' : 'were'} opened ({day(split.boundary)}). The total
          counts today&apos;s accounts and deposits on those days as if they had been there: it is
          not their history.
        </p>
      ) : (
        <p className="muted small">
          Deposits and transfers are not dated in the total: a day before one counts it as if it had
          been there.
        </p>
      )}
    </div>
  );
}

export function TotalEquity({ total }: { total: TotalEquityAnswer }) {
  const money = useMoney();
  const openedAt = useDashboardReference((s) => s.openedAt);
  const loadAccounts = useDashboardReference((s) => s.loadAccounts);
  const now = total.now;
  // An account opened while the screen is open: read when it was.
  const unknown = now.accounts
    .filter((a) => a.venue !== 'local' && openedAt[a.accountId] === undefined)
    .map((a) => a.accountId)
    .join(',');
  useEffect(() => {
    if (unknown) void loadAccounts();
  }, [unknown, loadAccounts]);
  if (now.accounts.length === 0) return <p className="muted">No trading accounts to add up yet.</p>;
  const split = splitAtOpenings(total, openedAt);
  return (
    <>
      <p className="dash-total-now">
        <span className="dash-total-figure">
          {money(now.equity, total.quote)} {total.quote}
        </span>{' '}
        <span className="muted small">now, of which unrealised </span>
        <span className={`small ${signClass(now.unrealised)}`}>
          {money(now.unrealised, total.quote)}
        </span>
      </p>
      <Chart total={total} split={split} />
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
              <td className="num">{money(a.equity, total.quote)}</td>
              <td className={`num small ${signClass(a.unrealised)}`}>
                {money(a.unrealised, total.quote)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Caveats total={total} split={split} />
    </>
  );
}
