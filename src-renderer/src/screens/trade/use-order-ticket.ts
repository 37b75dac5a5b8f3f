import { useState, type FormEvent } from 'react';
import { decimalsOf } from '../../../../src-shared/decimal';
import type { OperationOutput } from '../../../../src-shared/contract';
import { ClientError } from '../../client/transport';
import { messageOf } from '../../stores/session';
import { useTrade, useTradeSlice, type Market } from '../../stores/trade';
import { stopLossTrailRefusal } from './exit-trail';
import { batchOutcome } from './ladder';
import { placedNotice } from './order-words';
import {
  EMPTY,
  problems,
  scaledInputs,
  shareOfBalance,
  shapeOf,
  toInput,
  toOcoInput,
  toExitsInput,
  hasExits,
  type Form,
  type Problems,
} from './ticket-form';
import { fieldRefusal } from './ticket-refusal';
import { trailRefusal } from './ticket-trail';

type Plan = OperationOutput<'orders.placeWithExits'>['plan'];

/** What became of the exits, in the words of the ticket's notice. */
function exitsNotice(plan: Plan): string {
  switch (plan.status) {
    case 'placed':
      return 'take profit / stop loss placed';
    case 'waiting':
      return plan.result?.partial
        ? 'take profit / stop loss placed for the part filled, the rest follows its fills'
        : 'take profit / stop loss follow its fills';
    case 'failed':
      return `take profit / stop loss REFUSED: ${String(plan.result?.message ?? '')}`;
    case 'cancelled':
      return 'nothing filled: no take profit / stop loss';
  }
}

/**
 * The order ticket's state: the form, the problems shown, the last outcome, and what the
 * buttons do (a share of the balance, submit). The components only render it.
 */
export function useOrderTicket() {
  const t = useTradeSlice(
    'markets',
    'symbol',
    'bids',
    'asks',
    'balances',
    'pickedPrice',
    'place',
    'placeBatch',
    'placeOco',
    'placeWithExits',
    'busy',
  );
  const m = t.markets.find((x) => x.symbol === t.symbol);
  // The last trade price, which a trailing stop starts from (only its change re-renders).
  const tickerLast = useTrade((s) => s.tickers[s.symbol]?.last ?? null);
  const last = tickerLast ?? m?.lastPrice ?? undefined;
  const [f, setF] = useState<Form>(EMPTY);
  const [shown, setShown] = useState<Problems>({});
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  // Editing starts a new order: the last one's outcome no longer describes the form, nor
  // does the edited field's problem (the next submit checks it again).
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setF((p) => ({ ...p, [k]: v }));
    setShown((p) => (k in p ? { ...p, [k]: undefined } : p));
    setNotice(undefined);
    setError(undefined);
  };

  // A price picked in the book or the tape goes into the ticket (state adjusted in render).
  const picked = t.pickedPrice;
  const [seenPick, setSeenPick] = useState(picked);
  if (picked !== seenPick) {
    setSeenPick(picked);
    if (picked) setF((p) => ({ ...p, price: picked.price }));
  }

  const bal = (asset: string | undefined) => t.balances.find((b) => b.asset === asset);
  const quoteBal = bal(m?.quote);
  const baseBal = bal(m?.base);
  const bestBid = t.bids[0]?.[0];
  const bestAsk = t.asks[0]?.[0];
  const market = {
    quoteBal,
    baseBal,
    quoteScale: decimalsOf(quoteBal?.available ?? '0.000000'),
    bestBid,
    bestAsk,
    refPrice: f.side === 'buy' ? bestAsk : bestBid,
    last,
  };

  const percent = (m: Market, pct: number) => {
    const change = shareOfBalance(f, pct, { m, ...market });
    if (!change) return;
    if ('problem' in change) setShown(change.problem);
    else set(change.field, change.value);
  };

  const submit = async (m: Market, e: FormEvent) => {
    e.preventDefault();
    setNotice(undefined);
    setError(undefined);
    const found = problems(f, m, { touch: market.refPrice, last });
    setShown(found);
    if (Object.keys(found).length > 0) return;
    try {
      if (shapeOf(f).scaled) {
        const outcome = batchOutcome(await t.placeBatch(scaledInputs(f, m)));
        setNotice(outcome.notice);
        setError(outcome.error);
      } else if (shapeOf(f).oco) {
        const list = await t.placeOco(toOcoInput(f, t.symbol));
        setNotice(`OCO list ${list.orderListId} placed: take profit and stop are open`);
      } else if (hasExits(f)) {
        const { entry, plan } = await t.placeWithExits(toExitsInput(f, t.symbol));
        setNotice(`${placedNotice(entry, m)}; ${exitsNotice(plan)}`);
      } else {
        // What it did: a market buy by amount that bought and left less than a lot says what
        // it bought and what it did not spend, not "cancelled".
        setNotice(placedNotice(await t.place(toInput(f, t.symbol)), m));
      }
      setF((p) => ({ ...p, clientOrderId: '' }));
    } catch (err) {
      // A refusal that names a field the form shows (a trailing distance, the stop loss's
      // amount, a trigger or limit price, the quantity) is shown at its input, as the form's
      // own are, until that input is edited.
      const atField =
        err instanceof ClientError
          ? (trailRefusal(f, err.details, err.message) ??
            stopLossTrailRefusal(f, err.details, err.message) ??
            fieldRefusal(f, err.details, err.message))
          : undefined;
      if (atField) setShown(atField);
      else setError(messageOf(err));
    }
  };

  return { m, f, set, shown, error, notice, busy: t.busy, ...market, percent, submit };
}

export type TicketState = ReturnType<typeof useOrderTicket>;
