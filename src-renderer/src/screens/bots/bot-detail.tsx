import { showDecimal } from '../../../../src-shared/decimal';
import { signClass } from '../accounts/format';
import { useBots, type Bot, type BotExecution } from '../../stores/bots';
import { at, uptimeText } from './format';

const money = (v: string | null | undefined) =>
  v === null || v === undefined ? '—' : showDecimal(v, 2);

const OUTCOME: Record<BotExecution['outcome'], string> = {
  none: 'no order (on target)',
  pending: 'sending',
  accepted: 'filled',
  rejected: 'refused',
  failed: 'failed',
  unknown: 'unknown',
};

function Figures({ b }: { b: Bot }) {
  const rows: [string, string, string | null][] = [
    ['Status', b.status + (b.reason ? ` — ${b.reason}` : ''), null],
    ['Uptime', b.status === 'running' ? uptimeText(b.uptimeMs) : '—', null],
    ['Last bar', at(b.lastBarTime), null],
    ['Last signal', b.lastSignal ?? '—', null],
    [
      'Last order',
      b.lastOrder?.side
        ? `${b.lastOrder.side} ${b.lastOrder.qty} — ${OUTCOME[b.lastOrder.outcome]}`
        : '—',
      null,
    ],
    ['Position', `${b.position} ${b.symbol}${b.avgPrice ? ` @ ${b.avgPrice}` : ''}`, null],
    ['Mark', b.mark ?? '—', null],
    ['Realised', money(b.realisedPnl), b.realisedPnl],
    ['Unrealised', money(b.unrealisedPnl), b.unrealisedPnl],
    ['Live P&L', money(b.livePnl), b.livePnl],
    [
      'Backtest P&L (same period)',
      b.shadow ? `${money(b.shadow.pnl)} (${b.shadow.trades} trades)` : '—',
      b.shadow?.pnl ?? null,
    ],
    ['Drift (live − backtest)', money(b.drift), b.drift],
    ['Capital', money(b.capital), null],
  ];
  return (
    <table className="table bots-figures" aria-label={`Figures of ${b.name}`}>
      <tbody>
        {rows.map(([k, v, sign]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className={sign === null ? undefined : `num ${signClass(sign)}`}>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function History({ items }: { items: BotExecution[] }) {
  if (items.length === 0) return <p className="muted">No bar processed yet.</p>;
  return (
    <div className="table-scroll">
      <table className="table" aria-label="Bot history">
        <thead>
          <tr>
            <th>Bar close</th>
            <th>Signal</th>
            <th className="num">Backtest position</th>
            <th className="num">Target</th>
            <th className="num">Before</th>
            <th>Order</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {items.map((x) => (
            <tr key={x.id}>
              <td className="small">{at(x.barTime)}</td>
              <td>
                {x.signal ?? '—'}
                {x.adjustment ? <div className="small bots-reason">{x.adjustment}</div> : null}
              </td>
              <td className="num">{x.shadowPosition}</td>
              <td className="num">{x.target}</td>
              <td className="num">{x.liveBefore}</td>
              <td>
                {x.side ? `${x.side} ${x.qty}` : '—'}
                {x.avgPrice ? <span className="muted small"> @ {x.avgPrice}</span> : null}
              </td>
              <td>
                <span className={`badge outcome-${x.outcome}`}>{OUTCOME[x.outcome]}</span>
                {x.error ? <div className="small bots-reason">{x.error}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The selected bot: its figures, live against its backtest, and what it did bar by bar. */
export function BotDetail() {
  const { bots, selected, history, problems } = useBots();
  const b = bots.find((x) => x.id === selected);
  if (!b) return null;
  return (
    <article className="card" aria-label={`Bot ${b.name}`}>
      <h2>
        {b.name} · {b.strategyName}
      </h2>
      <div className="bots-detail">
        <Figures b={b} />
        <div>
          <h3>Executions</h3>
          {problems[`history:${b.id}`] ? (
            <p className="error-text">{problems[`history:${b.id}`]}</p>
          ) : (
            <History items={history} />
          )}
        </div>
      </div>
    </article>
  );
}
