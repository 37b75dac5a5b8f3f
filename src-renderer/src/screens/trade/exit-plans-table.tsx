import { useEffect, useState } from 'react';
import type { OperationOutput } from '../../../../src-shared/contract';
import { call, messageOf } from '../../stores/session';
import { useTrade } from '../../stores/trade';

type Plan = OperationOutput<'orders.exitPlans'>['items'][number];
type Level = Plan['takeProfit'];

const STATUS_TEXT: Record<Plan['status'], string> = {
  waiting: 'waiting for the order',
  placed: 'placed',
  failed: 'refused',
  cancelled: 'ended',
};

/** A level as the plan was asked for, and (once placed) the price it became. */
function levelText(asked: Level, placed: unknown): string {
  if (!asked) return '—';
  // A trailing stop-loss has no price: it follows the best price from where it was placed.
  if (asked.trailPercent) return `trailing ${asked.trailPercent} %`;
  if (asked.trailAmount) return `trailing ${asked.trailAmount}`;
  const price = typeof placed === 'string' ? placed : undefined;
  if (asked.price) return price ?? asked.price;
  const rel = asked.percent ? `${asked.percent} %` : `${asked.amount ?? ''}`;
  return price ? `${price} (${rel})` : `${rel} from the fill`;
}

/** The exits a result names: `0.3 as orders 12, 13`. */
function coveredText(r: Record<string, unknown>): string {
  const ids = Array.isArray(r.orderIds) ? r.orderIds.join(', ') : '';
  return `${String(r.qty ?? '')} as order${ids.includes(',') ? 's' : ''} ${ids}`;
}

/** The exits placed for parts of a resting order so far, if any. */
function partialOf(p: Plan): Record<string, unknown> | undefined {
  const partial = p.result?.partial as Record<string, unknown> | undefined;
  const placed = Array.isArray(partial?.orderIds) && partial.orderIds.length > 0;
  return placed ? partial : undefined;
}

/** Why a part of a resting order was refused its exits, if one was. */
function refusedPart(p: Plan): string | undefined {
  const partial = p.result?.partial as Record<string, unknown> | undefined;
  return typeof partial?.refused === 'string' ? partial.refused : undefined;
}

/** Why a plan ended or was refused, or what it covers, in a few words. */
function resultText(p: Plan): string {
  const r = p.result ?? {};
  const partial = partialOf(p);
  if (p.status === 'failed') return String(r.message ?? r.code ?? '');
  if (p.status === 'cancelled') {
    const why = String(r.reason ?? '').replace(/_/g, ' ');
    return partial ? `${why}; ${coveredText(partial)} placed before` : why;
  }
  if (p.status === 'placed') {
    const rest = r.unprotected
      ? `; the last ${String(r.unprotected)} NOT protected: ${String(r.message ?? '')}`
      : '';
    return coveredText(r) + rest;
  }
  const refused = refusedPart(p);
  const sofar = partial ? `${coveredText(partial)} so far` : '';
  return refused ? `${sofar}${sofar ? '; ' : ''}a part NOT protected: ${refused}` : sofar;
}

/**
 * The user's take-profit / stop-loss plans (orders.exitPlans): the ones still waiting for
 * their order, and what became of the others. Re-read whenever the open orders change, which
 * is when a plan can move.
 */
export function ExitPlans() {
  const open = useTrade((s) => s.openOrders);
  const [plans, setPlans] = useState<Plan[]>([]);
  const [error, setError] = useState<string>();
  const [dropped, setDropped] = useState(0);
  const drop = (planId: number) =>
    call('orders.cancelExitPlan', { planId }).then(
      () => setDropped((n) => n + 1),
      (err: unknown) => setError(messageOf(err)),
    );
  useEffect(() => {
    let live = true;
    call('orders.exitPlans', { limit: 50 }).then(
      (r) => {
        if (!live) return;
        setPlans(r.items);
        setError(undefined);
      },
      (err: unknown) => {
        if (live) setError(messageOf(err));
      },
    );
    return () => {
      live = false;
    };
  }, [open, dropped]);
  return (
    <>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <table className="table compact" aria-label="Take profit and stop loss">
        <thead>
          <tr>
            <th>Order</th>
            <th>Market</th>
            <th>Exit</th>
            <th className="num">Take profit</th>
            <th className="num">Stop loss</th>
            <th>Status</th>
            <th>Result</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {plans.map((p) => (
            <tr key={p.planId}>
              <td className="mono">{p.entryOrderId ?? '—'}</td>
              <td>{p.symbol}</td>
              <td className={p.side === 'buy' ? 'down' : 'up'}>
                {p.side === 'buy' ? 'sell' : 'buy'}
              </td>
              <td className="num">
                {levelText(p.takeProfit, p.result?.takeProfit ?? partialOf(p)?.takeProfit)}
              </td>
              <td className="num">
                {levelText(p.stopLoss, p.result?.stopLoss ?? partialOf(p)?.stopLoss)}
              </td>
              <td className={p.status === 'failed' ? 'neg' : undefined}>
                {p.status === 'waiting' && partialOf(p)
                  ? 'part filled, protected'
                  : STATUS_TEXT[p.status]}
              </td>
              <td className="muted">{resultText(p)}</td>
              <td>
                {p.status === 'waiting' ? (
                  <button
                    type="button"
                    className="btn small"
                    aria-label={`Drop the take profit / stop loss of order ${p.entryOrderId ?? ''}`}
                    onClick={() => void drop(p.planId)}
                  >
                    Drop
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {plans.length === 0 ? (
        <p className="muted">No take profit / stop loss yet: open “TP / SL” in the ticket.</p>
      ) : null}
    </>
  );
}
