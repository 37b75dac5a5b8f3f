import { LineSeries } from 'lightweight-charts';
import { series, useChart } from '../backtest/charts';
import type { EquityAnswer } from './model';

type AccountCurve = EquityAnswer['accounts'][number];

/**
 * The account's equity (its realised P&L when it has no single balance: local accounts)
 * against buy-and-hold of the benchmark market scaled to the same start. Floats only here:
 * the chart draws, it does not count.
 */
function Curve({ curve }: { curve: AccountCurve }) {
  const time = curve.points.map((p) => p.t);
  const equityKnown = curve.points.some((p) => p.equity !== null);
  const ref = useChart(
    (chart, c) => {
      const own = chart.addSeries(LineSeries, {
        color: c.accent,
        lineWidth: 2,
        priceLineVisible: false,
        title: equityKnown ? 'Equity' : 'Realised',
      });
      own.setData(
        series(time, (i) => {
          const p = curve.points[i]!;
          const v = equityKnown ? p.equity : p.realised;
          return v === null ? null : Number(v);
        }),
      );
      const bench = curve.benchmark;
      if (bench && bench.length > 0) {
        const b = chart.addSeries(LineSeries, {
          color: c.warn,
          lineWidth: 2,
          lineStyle: 2,
          priceLineVisible: false,
          title: 'Buy and hold',
        });
        b.setData(
          series(
            bench.map((p) => p.t),
            (i) => {
              const v = bench[i]!.value;
              return v === null ? null : Number(v);
            },
          ),
        );
      }
    },
    [curve],
    260,
  );
  return (
    <div
      ref={ref}
      className="bt-chart"
      role="img"
      aria-label={`Equity curve of ${curve.name}`}
      data-points={curve.points.length}
    />
  );
}

export function EquityCurve({ equity }: { equity: EquityAnswer }) {
  const curve = equity.accounts[0];
  if (!curve || curve.points.length === 0) {
    return <p className="muted">No equity points in this period.</p>;
  }
  const market = equity.benchmark?.market;
  const benchKnown = (curve.benchmark ?? []).some((p) => p.value !== null);
  return (
    <>
      <Curve curve={curve} />
      <p className="muted small dash-legend">
        <span className="bt-a">
          ━ {curve.points.some((p) => p.equity !== null) ? 'Equity' : 'Realised P&L'}
        </span>
        {market && benchKnown ? <span className="bt-b">┅ Buy and hold {market}</span> : null}
        {market && !benchKnown ? (
          <span>Buy and hold {market}: no prices of it in this period</span>
        ) : null}
        {curve.startingEquity !== null ? (
          <span>
            start {curve.startingEquity} {curve.currency}
          </span>
        ) : null}
      </p>
    </>
  );
}
