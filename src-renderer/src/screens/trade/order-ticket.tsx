import { isPositive } from '../../../../src-shared/decimal';
import { DemoFundsButton } from '../../components/demo-funds';
import { Outcome } from '../../components/outcome';
import type { Market } from '../../stores/trade';
import { ExitFields } from './ticket-exits';
import { PriceFields, QuantityFields, SideAndType, TicketOptions } from './ticket-fields';
import { shapeOf } from './ticket-form';
import { Preview, ScaledPreview } from './ticket-preview';
import { useOrderTicket, type TicketState } from './use-order-ticket';

/** The 25/50/75/100 % buttons and the balance they take a share of. */
function BalanceShare({ t, m }: { t: TicketState; m: Market }) {
  const { f } = t;
  const held = f.side === 'buy' ? t.quoteBal : t.baseBal;
  return (
    <>
      <div className="ticket-pcts" aria-label="Share of balance">
        {[25, 50, 75, 100].map((p) => (
          <button key={p} type="button" className="btn small" onClick={() => t.percent(m, p)}>
            {p}%
          </button>
        ))}
      </div>
      <p className="muted ticket-avail">
        Available: {held?.available ?? '0'} {f.side === 'buy' ? m.quote : m.base}
      </p>
      {/* Nothing to trade with: one click away from trying the market. */}
      <DemoFundsButton offer={!isPositive(held?.available ?? '0')} />
    </>
  );
}

/**
 * Every order type and option the engine supports, with helpers and a cost preview. Keyed by
 * market in the screen, so switching markets starts a fresh ticket. The rules are in
 * ticket-form.ts, the state in use-order-ticket.ts; this composes the pieces.
 */
export function OrderTicket() {
  const t = useOrderTicket();
  const { m, f } = t;
  if (!m) return <section className="card trade-ticket" aria-label="Order ticket" />;
  const fields = { f, m, set: t.set, shown: t.shown };
  const scaled = shapeOf(f).scaled;
  return (
    <section className="card trade-ticket" aria-label="Order ticket">
      <form onSubmit={(e) => void t.submit(m, e)} noValidate aria-label="Order ticket form">
        <SideAndType {...fields} />
        <PriceFields {...fields} bestBid={t.bestBid} bestAsk={t.bestAsk} last={t.last} />
        <QuantityFields {...fields} />
        <BalanceShare t={t} m={m} />
        {/* Closed, the two folds share one line: the ticket's button stays on a short screen. */}
        <div className="ticket-folds">
          <ExitFields {...fields} />
          <TicketOptions {...fields} />
        </div>
        {scaled ? (
          <ScaledPreview f={f} m={m} quoteScale={t.quoteScale} />
        ) : (
          <Preview f={f} m={m} refPrice={t.refPrice} last={t.last} quoteScale={t.quoteScale} />
        )}
        <button type="submit" className={`btn primary ticket-submit ${f.side}`} disabled={t.busy}>
          {f.side === 'buy' ? 'Buy' : 'Sell'} {m.base}
          {scaled ? ' in steps' : ''}
        </button>
        <Outcome error={t.error} notice={t.notice} />
      </form>
    </section>
  );
}
