import { when } from '../accounts/format';
import { useMoney } from './reference';
import {
  hourLabel,
  percent,
  ratio,
  signClass,
  sourceLabel,
  type TradeStats,
  type TradesAnswer,
} from './model';

type CurrencyStats = TradesAnswer['currencies'][number];

/** Rows of the latest round trips shown (the answer lists up to 500, the statistics all). */
export const SHOWN_ROUND_TRIPS = 50;

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className="dash-figure">
      <dt>{label}</dt>
      <dd className={tone ?? ''}>{value}</dd>
    </div>
  );
}

function Overall({ c }: { c: CurrencyStats }) {
  const o = c.overall;
  const money = useMoney();
  const m = (v: string | null) => (v === null ? '—' : `${money(v, c.currency)} ${c.currency}`);
  return (
    <dl className="dash-figures" aria-label={`Trade statistics in ${c.currency}`}>
      <Stat label="Trades" value={`${o.trades} (${o.wins} won, ${o.losses} lost)`} />
      <Stat label="Win rate" value={percent(o.winRate)} />
      <Stat label="Profit factor" value={ratio(o.profitFactor)} />
      <Stat label="Expectancy" value={m(o.expectancy)} tone={signClass(o.expectancy)} />
      <Stat label="Net P&L" value={m(o.netPnl)} tone={signClass(o.netPnl)} />
      <Stat label="Fees" value={m(o.fees)} />
      <Stat label="Average win" value={m(o.avgWin)} tone={signClass(o.avgWin)} />
      <Stat label="Average loss" value={m(o.avgLoss)} tone={signClass(o.avgLoss)} />
      <Stat label="Largest win" value={m(o.largestWin)} tone={signClass(o.largestWin)} />
      <Stat label="Largest loss" value={m(o.largestLoss)} tone={signClass(o.largestLoss)} />
      <Stat
        label="Max drawdown"
        value={`${m(o.maxDrawdown)}${o.maxDrawdownPct === null ? '' : ` (${percent(o.maxDrawdownPct)})`}`}
      />
    </dl>
  );
}

function GroupTable({
  label,
  first,
  rows,
  currency,
}: {
  label: string;
  first: string;
  rows: { key: string; stats: TradeStats }[];
  currency: string;
}) {
  const money = useMoney();
  return (
    <table className="table compact" aria-label={label}>
      <thead>
        <tr>
          <th>{first}</th>
          <th className="num">Trades</th>
          <th className="num">Win rate</th>
          <th className="num">Net P&amp;L</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.key}</td>
            <td className="num">{r.stats.trades}</td>
            <td className="num">{percent(r.stats.winRate)}</td>
            <td className={`num ${signClass(r.stats.netPnl)}`}>
              {money(r.stats.netPnl, currency)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CurrencyBlock({ c }: { c: CurrencyStats }) {
  const hours = c.byHour
    .filter((h) => h.stats.trades > 0)
    .map((h) => ({ key: hourLabel(h.hour), stats: h.stats }));
  const days = c.byWeekday
    .filter((d) => d.stats.trades > 0)
    .map((d) => ({ key: d.weekday, stats: d.stats }));
  const sources = c.bySource.map((g) => ({ key: sourceLabel(g.key), stats: g.stats }));
  return (
    <div className="dash-currency">
      <h3 className="bt-sub">In {c.currency}</h3>
      <Overall c={c} />
      <div className="dash-groups">
        <div>
          <h3 className="bt-sub">By market</h3>
          <GroupTable
            label={`Trades by market in ${c.currency}`}
            first="Market"
            rows={c.byMarket}
            currency={c.currency}
          />
          <h3 className="bt-sub">By source</h3>
          <GroupTable
            label={`Trades by source in ${c.currency}`}
            first="Source"
            rows={sources}
            currency={c.currency}
          />
        </div>
        <div>
          <h3 className="bt-sub">By hour of day (close)</h3>
          <GroupTable
            label={`Trades by hour in ${c.currency}`}
            first="Hour"
            rows={hours}
            currency={c.currency}
          />
        </div>
        <div>
          <h3 className="bt-sub">By weekday (close)</h3>
          <GroupTable
            label={`Trades by weekday in ${c.currency}`}
            first="Weekday"
            rows={days}
            currency={c.currency}
          />
        </div>
      </div>
    </div>
  );
}

/** A round trip as both the statistics answer and the printable statement list them. */
export interface TripRow {
  market: string;
  venue?: string;
  side: 'long' | 'short';
  qty: string;
  entryPrice: string;
  exitPrice: string;
  closedAt: number;
  fees: string;
  netPnl: string;
  currency: string;
  source: string;
}

/** Round trips, one row each: when, what, entry and exit, fees, net P&L, who opened it. */
export function RoundTripTable({ label, trips }: { label: string; trips: readonly TripRow[] }) {
  const money = useMoney();
  return (
    <table className="table compact" aria-label={label}>
      <thead>
        <tr>
          <th>Closed</th>
          <th>Market</th>
          <th>Side</th>
          <th className="num">Qty</th>
          <th className="num">Entry</th>
          <th className="num">Exit</th>
          <th className="num">Fees</th>
          <th className="num">Net P&amp;L</th>
          <th>Source</th>
        </tr>
      </thead>
      <tbody>
        {trips.map((r, i) => (
          <tr key={`${r.market}-${r.closedAt}-${i}`}>
            <td>{when(r.closedAt)}</td>
            <td>
              {r.market} {r.venue ? <span className="muted small">{r.venue}</span> : null}
            </td>
            <td className={r.side === 'long' ? 'gain' : 'loss'}>{r.side}</td>
            <td className="num">{r.qty}</td>
            <td className="num">{r.entryPrice}</td>
            <td className="num">{r.exitPrice}</td>
            <td className="num">{money(r.fees, r.currency)}</td>
            <td className={`num ${signClass(r.netPnl)}`}>
              {money(r.netPnl, r.currency)} {r.currency}
            </td>
            <td>{sourceLabel(r.source)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RoundTrips({ t }: { t: TradesAnswer }) {
  const shown = [...t.roundTrips]
    .sort((a, b) => b.closedAt - a.closedAt)
    .slice(0, SHOWN_ROUND_TRIPS);
  return (
    <>
      <h3 className="bt-sub">
        Latest round trips{' '}
        <span className="muted small">
          ({shown.length} of {t.roundTripsTotal}, newest first)
        </span>
      </h3>
      <div className="bt-scroll">
        <RoundTripTable label="Latest round trips" trips={shown} />
      </div>
    </>
  );
}

/** Win rate, profit factor and the rest per currency, their breakdowns, the latest trips. */
export function TradeAnalytics({ trades }: { trades: TradesAnswer }) {
  if (trades.roundTripsTotal === 0) {
    return <p className="muted">No trades in this period.</p>;
  }
  return (
    <>
      {trades.currencies.map((c) => (
        <CurrencyBlock key={c.currency} c={c} />
      ))}
      {trades.unmatchedSells > 0 ? (
        <p className="muted small">
          {trades.unmatchedSells} sell(s) without an earlier buy are left out (no cost basis).
        </p>
      ) : null}
      <RoundTrips t={trades} />
    </>
  );
}
