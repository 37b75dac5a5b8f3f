import type { Summary } from './model';
import { signClass } from './model';
import { useMoney } from './reference';

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
  const money = useMoney();
  return (
    <div className="dash-figure">
      <dt>{label}</dt>
      <dd className={signClass(value)}>
        {money(value, currency)}{' '}
        <span className="muted small">{value === null ? '' : currency}</span>
      </dd>
    </div>
  );
}

/** The headline figures of one currency (amounts in different currencies are never added). */
function CurrencyFigures({ t }: { t: Totals }) {
  const money = useMoney();
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
            {money(t.grossExposure, t.currency)}{' '}
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

type Converted = NonNullable<Summary['converted']>;

/** How each currency was valued: "USDT as is", "BTC at 30000 (BTC/USDT)". */
function rateText(r: Converted['rates'][number]): string {
  return r.market === null ? `${r.currency} as is` : `${r.currency} at ${r.price} (${r.market})`;
}

/** Every account's totals valued in one asset, at the local exchange's last prices. */
function ConvertedFigures({ c }: { c: Converted }) {
  return (
    <section
      className="card dash-headline dash-converted"
      aria-label={`All accounts in ${c.quote}`}
    >
      <h2>All accounts in {c.quote}</h2>
      <dl className="dash-figures">
        <Figure label="Realised today" value={c.realisedToday} currency={c.quote} />
        <Figure label="Realised in the period" value={c.realisedPeriod} currency={c.quote} />
        <Figure label="Unrealised now" value={c.unrealised} currency={c.quote} />
        <Figure label="Gross exposure" value={c.grossExposure} currency={c.quote} />
      </dl>
      <p className="muted small">
        {c.rates.length > 0 ? `Valued with ${c.rates.map(rateText).join(', ')}.` : null}
        {c.unconverted.length > 0
          ? ` Not included (no local market to ${c.quote}): ${c.unconverted.join(', ')}.`
          : null}
      </p>
    </section>
  );
}

/** One block of headline figures per currency the trader's accounts hold, and their sum in
 * the asset the trader picked. */
export function Headline({ summary }: { summary: Summary }) {
  if (summary.totals.length === 0) return null;
  return (
    <>
      {summary.converted ? <ConvertedFigures c={summary.converted} /> : null}
      <div className="dash-headlines">
        {summary.totals.map((t) => (
          <CurrencyFigures key={t.currency} t={t} />
        ))}
      </div>
    </>
  );
}
