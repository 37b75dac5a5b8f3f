import { useEffect, useState } from 'react';
import type { OperationOutput } from '../../../../src-shared/contract';
import { call } from '../../stores/session';
import { when } from './format';

export type PaperInstrument = OperationOutput<'paper.instruments.list'>['items'][number];

/** How often the instrument list (index, bid/ask, next financing) is re-read. */
const REREAD_MS = 5000;

/**
 * The markets the paper broker trades with their specifications: read once, and while `live`
 * (a paper account is open: its ticket shows bid/ask, index and next financing) every few
 * seconds.
 */
export function usePaperInstruments(live = true): PaperInstrument[] {
  const [items, setItems] = useState<PaperInstrument[]>([]);
  useEffect(() => {
    let alive = true;
    const load = () =>
      call('paper.instruments.list', {})
        .then((r) => {
          if (alive) setItems(r.items);
        })
        .catch(() => undefined);
    void load();
    const timer = live ? setInterval(() => void load(), REREAD_MS) : undefined;
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [live]);
  return items;
}

const pct = (ppm: number) => `${ppm / 10_000} %`;

/** A future's or CFD's terms, as the ticket shows them beside the order. */
export function InstrumentSpecCard({ i }: { i: PaperInstrument }) {
  if (i.kind === 'spot-cfd') {
    return (
      <p className="small muted" aria-label={`${i.symbol} specification`}>
        {i.symbol}: spot-cfd on the local book — one unit of {i.symbol.split('/')[0]}, margin by
        leverage, this account&apos;s spread and commission.
      </p>
    );
  }
  const margin =
    i.kind === 'future'
      ? `${i.initialMargin} / ${i.maintenanceMargin} ${i.quoteAsset} per contract`
      : `${pct(i.initialMarginPpm ?? 0)} / ${pct(i.maintenanceMarginPpm ?? 0)} of notional`;
  const commission = [
    i.commissionPerContract && i.commissionPerContract !== '0'
      ? `${i.commissionPerContract} ${i.quoteAsset} per contract`
      : null,
    i.commissionPpm ? pct(i.commissionPpm) : null,
  ]
    .filter(Boolean)
    .join(' + ');
  return (
    <dl className="accounts-figures instrument-spec" aria-label={`${i.symbol} specification`}>
      <div>
        <dt>{i.kind === 'future' ? 'Future' : 'CFD'}</dt>
        <dd title={i.description}>{i.symbol}</dd>
      </div>
      <div>
        <dt>Bid / ask</dt>
        <dd className="num">{i.bid && i.ask ? `${i.bid} / ${i.ask}` : '—'}</dd>
      </div>
      <div>
        <dt>Index ({i.priceSource})</dt>
        <dd className="num">{i.indexPrice ?? '—'}</dd>
      </div>
      <div>
        <dt>Multiplier</dt>
        <dd className="num">
          {i.multiplier} {i.quoteAsset}/pt
        </dd>
      </div>
      <div>
        <dt>Margin initial / maint.</dt>
        <dd className="num">{margin}</dd>
      </div>
      <div>
        <dt>Commission</dt>
        <dd className="num">{commission || 'none'}</dd>
      </div>
      <div>
        <dt>Size</dt>
        <dd className="num">
          {i.minQty}–{i.maxQty ?? '∞'} (step {i.lotSize}), tick {i.tickSize}
        </dd>
      </div>
      <div>
        <dt>Funding</dt>
        <dd className="num">
          {i.financingRatePpm === 0 || i.nextFinancingAt === null
            ? 'none'
            : `${pct(i.financingRatePpm)} / ${i.financingIntervalHours} h · next ${when(i.nextFinancingAt)}`}
        </dd>
      </div>
    </dl>
  );
}
