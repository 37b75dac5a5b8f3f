import type { Summary } from './model';
import { money, signClass } from './model';

type Totals = Summary['totals'][number];

function Figure({
  label,
  value,
  currency,
}: {
  label: string;
  value: string | null;
  currency: string;
}) {
  return (
    <div className="dash-figure">
      <dt>{label}</dt>
      <dd className={signClass(value)}>
        {money(value)} <span className="muted small">{value === null ? '' : currency}</span>
      </dd>
    </div>
  );
}

/** The headline figures of one currency (amounts in different currencies are never added). */
function CurrencyFigures({ t }: { t: Totals }) {
  return (
    <section className="card dash-headline" aria-label={`Totals in ${t.currency}`}>
      <h2>{t.currency}</h2>
      <dl className="dash-figures">
        <Figure label="Realised today" value={t.realisedToday} currency={t.currency} />
        <Figure label="Realised in the period" value={t.realisedPeriod} currency={t.currency} />
        <Figure label="Unrealised now" value={t.unrealised} currency={t.currency} />
        <div className="dash-figure">
          <dt>Open positions</dt>
          <dd>{t.openPositions}</dd>
        </div>
        <div className="dash-figure">
          <dt>Gross exposure</dt>
          <dd>
            {t.grossExposure === null ? '—' : money(t.grossExposure)}{' '}
            <span className="muted small">{t.grossExposure === null ? '' : t.currency}</span>
          </dd>
        </div>
        <div className="dash-figure">
          <dt>Round trips</dt>
          <dd>{t.tradesPeriod}</dd>
        </div>
      </dl>
    </section>
  );
}

/** One block of headline figures per currency the trader's accounts hold. */
export function Headline({ summary }: { summary: Summary }) {
  if (summary.totals.length === 0) return null;
  return (
    <div className="dash-headlines">
      {summary.totals.map((t) => (
        <CurrencyFigures key={t.currency} t={t} />
      ))}
    </div>
  );
}
