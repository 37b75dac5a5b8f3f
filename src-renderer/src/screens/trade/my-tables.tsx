import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BalancesTable } from '../../components/balances-table';
import { Outcome } from '../../components/outcome';
import { ClientError } from '../../client/transport';
import { call, messageOf } from '../../stores/session';
import { useTrade, useTradeSlice, type Order } from '../../stores/trade';
import { ExitPlans } from './exit-plans-table';
import { openAmount, optionsLine, triggerWords, typeLines } from './labels';
import { OpenOrdersBar } from './open-orders-bar';
import { groupLists } from './order-lists';
import {
  amendRefusal,
  cancelAllNotice,
  historyPrice,
  historyStatus,
  restText,
} from './order-words';
import { batchOutcome } from './ladder';
import { trailDistance, trailState } from './trailing';

type Tab = 'open' | 'exits' | 'history' | 'fills' | 'balances';
const TABS: Array<[Tab, string]> = [
  ['open', 'Open orders'],
  ['exits', 'TP / SL'],
  ['history', 'Order history'],
  ['fills', 'My trades'],
  ['balances', 'Balances'],
];

function when(ms: number): string {
  const d = new Date(ms);
  const time = d.toLocaleTimeString([], { hour12: false });
  if (d.toDateString() === new Date().toDateString()) return time;
  return `${d.toLocaleDateString([], { month: '2-digit', day: '2-digit' })} ${time}`;
}
/**
 * An order's type: a take-profit's "take profit" (how it runs goes on the line under it, see
 * `optionsLine`), the others' in words ("stop market").
 */
const typeText = (o: Order) => typeLines(o.type).main;
/** A finished order's line under its type: how a take-profit ran, a trailing stop's distance. */
const historyFlags = (o: Order) =>
  [typeLines(o.type).kind ?? '', o.trailing ? trailDistance(o.trailing) : '']
    .filter(Boolean)
    .join(' · ');

const sideCell = (side: string) => <td className={side === 'buy' ? 'up' : 'down'}>{side}</td>;

/** A stop's or take-profit's trigger under its price ("stop 59100.00", "trigger ≥ 70000.00"). */
function Trigger({ o }: { o: Order }) {
  const words = triggerWords(o);
  return words ? (
    <div className="muted sub" title={words.title}>
      {words.text}
    </div>
  ) : null;
}

/**
 * An open order's price cell: its limit price (or "market"), under it the stop price (a
 * trailing stop's as it stands now, moved live by the orders stream) or a take-profit's
 * trigger, and the best price a trailing stop followed, or the price it waits for.
 */
function PriceCell({ o }: { o: Order }) {
  const state = o.trailing ? trailState(o.trailing) : undefined;
  return (
    <td className="num">
      {o.price ?? 'market'}
      <Trigger o={o} />
      {state ? <div className="muted sub">{state}</div> : null}
    </td>
  );
}

/** Columns of the open-orders table (spacer and amend rows span them all). */
const OPEN_COLUMNS = 8;

/**
 * The amend form, in the row opened under the order. A refusal is shown here only (not over
 * the screen as well), without the field name the exchange puts before it, until the next
 * edit or save.
 */
function AmendCell(props: { o: Order; onDone(): void }) {
  const [price, setPrice] = useState(props.o.price ?? '');
  const [qty, setQty] = useState(props.o.openQty);
  const [error, setError] = useState<string>();
  const save = async () => {
    setError(undefined);
    const newPrice = price !== props.o.price ? price : undefined;
    const newQty = qty !== props.o.openQty ? qty : undefined;
    try {
      await call('orders.amend', {
        orderId: props.o.orderId,
        ...(newPrice ? { price: newPrice } : {}),
        ...(newQty ? { qty: newQty } : {}),
      });
      props.onDone();
    } catch (err) {
      setError(
        err instanceof ClientError ? amendRefusal(err.message, err.details) : messageOf(err),
      );
    }
  };
  return (
    <td colSpan={OPEN_COLUMNS}>
      <div className="row amend-form" role="group" aria-label={`Amend order ${props.o.orderId}`}>
        <label className="field inline">
          <span>New price</span>
          <input
            value={price}
            onChange={(e) => {
              setPrice(e.target.value);
              setError(undefined);
            }}
          />
        </label>
        <label className="field inline">
          <span>New open quantity</span>
          <input
            value={qty}
            onChange={(e) => {
              setQty(e.target.value);
              setError(undefined);
            }}
          />
        </label>
        <button type="button" className="btn small primary" onClick={() => void save()}>
          Save
        </button>
        <button type="button" className="btn small" onClick={props.onDone}>
          Close
        </button>
        {error ? (
          <span className="error-text" role="alert">
            {error}
          </span>
        ) : null}
      </div>
    </td>
  );
}

/** An open order's row, or the amend form opened under it. */
type OpenRow = { kind: 'order' | 'amend'; o: Order };

/** Row heights before they are measured (the compact table's, the amend form's). */
const ROW_PX = 30;
const AMEND_PX = 46;

/** One open order's row: pick box, the order, amend and cancel buttons. */
function OpenOrderRow(props: {
  o: Order;
  index: number;
  /** The virtualizer measures each rendered row (an amend row is taller). */
  measure: (el: HTMLTableRowElement | null) => void;
  picked: boolean;
  onPick: () => void;
  amending: boolean;
  onAmend: () => void;
  onCancel: () => void;
}) {
  const { o, index, measure, picked, onPick, amending, onAmend, onCancel } = props;
  const list = o.orderListId;
  return (
    <tr
      data-index={index}
      aria-rowindex={index + 2}
      ref={measure}
      className={list !== undefined ? 'oco-leg' : undefined}
    >
      <td className="pick">
        <input
          type="checkbox"
          aria-label={`Select order ${o.orderId}`}
          checked={picked}
          onChange={onPick}
        />
      </td>
      <td>{o.symbol}</td>
      {sideCell(o.side)}
      <td className="nowrap">
        {typeText(o)}
        {/* Options and the trigger on a second line: the row stays inside 1440 px. */}
        {optionsLine(o) ? <div className="muted sub">{optionsLine(o)}</div> : null}
      </td>
      <PriceCell o={o} />
      <td className="num nowrap">{openAmount(o)}</td>
      {/* No status column: an open order is new, or partially filled when this is not 0. */}
      <td className="num">{o.filledQty}</td>
      <td className="actions">
        {o.type === 'limit' && list === undefined ? (
          <button
            type="button"
            className="btn small"
            aria-label={`Amend order ${o.orderId}`}
            aria-expanded={amending}
            title="Amend"
            onClick={onAmend}
          >
            ✎
          </button>
        ) : null}
        <button
          type="button"
          className="btn small danger"
          aria-label={list !== undefined ? `Cancel OCO list ${list}` : `Cancel order ${o.orderId}`}
          title={list !== undefined ? 'Cancel the OCO list (both legs)' : 'Cancel'}
          onClick={onCancel}
        >
          ✕
        </button>
      </td>
    </tr>
  );
}

/** The column titles, with the box that picks every open order (or none). */
function OpenOrdersHead(props: { everyPicked: boolean; none: boolean; onPickAll: () => void }) {
  return (
    <thead>
      <tr>
        <th className="pick">
          <input
            type="checkbox"
            aria-label="Select every open order"
            checked={props.everyPicked}
            disabled={props.none}
            onChange={props.onPickAll}
          />
        </th>
        <th>Market</th>
        <th>Side</th>
        <th>Type</th>
        <th className="num">Price</th>
        <th className="num">Open</th>
        <th className="num">Filled</th>
        <th />
      </tr>
    </thead>
  );
}

/**
 * Every open order, however many a bot keeps: only the rows in view of the scrolling panel
 * are rendered (a table of thousands re-rendered on every fill froze the screen), with
 * spacer rows keeping the scroll height; the header stays in view.
 */
function OpenOrders() {
  const {
    openOrders: unsorted,
    cancel,
    cancelList,
    cancelBatch,
    symbol,
  } = useTradeSlice('openOrders', 'cancel', 'cancelList', 'cancelBatch', 'symbol');
  const openOrders = groupLists(unsorted);
  const [amending, setAmending] = useState<number>();
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const [outcome, setOutcome] = useState<{ notice?: string; error?: string }>();
  const scroller = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);
  const here = openOrders.filter((o) => o.symbol === symbol).length;
  // A picked order that filled or was cancelled meanwhile is no longer picked.
  const selected = openOrders.filter((o) => picked.has(o.orderId)).map((o) => o.orderId);
  const everyPicked = openOrders.length > 0 && selected.length === openOrders.length;
  const [margin, setMargin] = useState(0);
  // Where the rows start inside the scrolling box (below the column titles), measured.
  useLayoutEffect(() => {
    const panel = scroller.current;
    if (!panel || !body.current) return;
    const top =
      body.current.getBoundingClientRect().top -
      panel.getBoundingClientRect().top +
      panel.scrollTop;
    setMargin((m) => (Math.abs(m - top) < 1 ? m : top));
  }, []);
  const rows: OpenRow[] = openOrders.flatMap((o) =>
    amending === o.orderId
      ? [
          { kind: 'order', o },
          { kind: 'amend', o },
        ]
      : [{ kind: 'order', o }],
  );
  // The React Compiler is not used in this build; the virtualizer is read afresh each render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (rows[i]?.kind === 'amend' ? AMEND_PX : ROW_PX),
    getItemKey: (i) => {
      const r = rows[i];
      return r ? `${r.kind}${r.o.orderId}` : i;
    },
    scrollMargin: margin,
    overscan: 12,
  });
  const items = virtual.getVirtualItems();
  const before = (items[0]?.start ?? margin) - margin;
  const after = virtual.getTotalSize() - ((items.at(-1)?.end ?? margin) - margin);
  const toggle = (id: number) =>
    setPicked((p) => {
      const next = new Set(p);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const cancelPicked = async () => {
    const ids = selected;
    setOutcome(undefined);
    try {
      const results = await cancelBatch(ids);
      setOutcome(batchOutcome(results, 'Cancelled', (i) => `order ${ids[i]}`));
      setPicked(new Set());
    } catch (err) {
      setOutcome({ error: messageOf(err) });
    }
  };
  // Its own outcome, here (not the screen's banner): how many it cancelled, or why not.
  const cancelAll = async () => {
    setOutcome(undefined);
    try {
      const { cancelled } = await call('orders.cancelAll', { symbol });
      setOutcome({ notice: cancelAllNotice(cancelled, symbol) });
      setPicked(new Set());
    } catch (err) {
      setOutcome({ error: messageOf(err) });
    }
  };
  return (
    <>
      <OpenOrdersBar
        open={openOrders.length}
        selected={selected.length}
        symbol={symbol}
        here={here}
        onStart={() => setOutcome(undefined)}
        onCancelPicked={() => void cancelPicked()}
        onCancelAll={() => void cancelAll()}
      />
      <Outcome error={outcome?.error} notice={outcome?.notice} />
      <div className="open-orders-scroll" ref={scroller}>
        <table
          className="table compact sticky-head"
          aria-label="Open orders"
          aria-rowcount={rows.length + 1}
        >
          <OpenOrdersHead
            everyPicked={everyPicked}
            none={openOrders.length === 0}
            onPickAll={() =>
              setPicked(everyPicked ? new Set() : new Set(openOrders.map((o) => o.orderId)))
            }
          />
          <tbody ref={body}>
            {before > 0 ? (
              <tr className="spacer" aria-hidden="true">
                <td colSpan={OPEN_COLUMNS} style={{ height: before }} />
              </tr>
            ) : null}
            {items.map((item) => {
              const r = rows[item.index];
              if (!r) return null;
              return r.kind === 'order' ? (
                <OpenOrderRow
                  key={`order${r.o.orderId}`}
                  o={r.o}
                  index={item.index}
                  measure={virtual.measureElement}
                  picked={picked.has(r.o.orderId)}
                  onPick={() => toggle(r.o.orderId)}
                  amending={amending === r.o.orderId}
                  onAmend={() => {
                    setOutcome(undefined);
                    setAmending(amending === r.o.orderId ? undefined : r.o.orderId);
                  }}
                  onCancel={() => {
                    setOutcome(undefined);
                    const list = r.o.orderListId;
                    const done = list !== undefined ? cancelList(list) : cancel(r.o.orderId);
                    void done.catch(() => undefined);
                  }}
                />
              ) : (
                <tr
                  key={`amend${r.o.orderId}`}
                  className="amend-row"
                  data-index={item.index}
                  aria-rowindex={item.index + 2}
                  ref={virtual.measureElement}
                >
                  <AmendCell o={r.o} onDone={() => setAmending(undefined)} />
                </tr>
              );
            })}
            {after > 0 ? (
              <tr className="spacer" aria-hidden="true">
                <td colSpan={OPEN_COLUMNS} style={{ height: after }} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {openOrders.length === 0 ? <p className="muted">No open orders.</p> : null}
    </>
  );
}

/** Under the recent lists: where the whole history is. */
function OlderNote(props: { what: string }) {
  return (
    <p className="muted small">
      The most recent {props.what}. All of them, over any period:{' '}
      <a className="link" href="#/wallet">
        Wallet → Statements
      </a>
      .
    </p>
  );
}

/** A moment with its date and seconds, for a tooltip. */
const fullTime = (ms: number) => new Date(ms).toLocaleString([], { hour12: false });

/**
 * A finished order's times: when it was placed (the list's order, newest first), and under it
 * when it ended, when that reads differently.
 */
function TimesCell({ o }: { o: Order }) {
  const placed = when(o.tsCreated);
  const ended = when(o.tsUpdated);
  return (
    <td
      className="nowrap"
      title={`Placed ${fullTime(o.tsCreated)}, ended ${fullTime(o.tsUpdated)}`}
    >
      {placed}
      {ended !== placed ? <div className="muted sub">ended {ended}</div> : null}
    </td>
  );
}

function History() {
  const history = useTrade((s) => s.history);
  const markets = useTrade((s) => s.markets);
  const marketOf = (symbol: string) => markets.find((m) => m.symbol === symbol);
  return (
    <>
      <table className="table compact" aria-label="Order history">
        <thead>
          <tr>
            <th>Placed</th>
            <th>Market</th>
            <th>Side</th>
            <th>Type</th>
            <th className="num">Price</th>
            <th className="num">Filled</th>
            <th className="num">Value</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {history.map((o) => {
            const m = marketOf(o.symbol);
            const price = historyPrice(o, m?.tickSize);
            const status = historyStatus(o);
            return (
              <tr key={o.orderId}>
                <TimesCell o={o} />
                <td>{o.symbol}</td>
                {sideCell(o.side)}
                <td>
                  {typeText(o)}
                  {historyFlags(o) ? <div className="muted sub">{historyFlags(o)}</div> : null}
                </td>
                <td
                  className="num"
                  title={
                    price.startsWith('avg')
                      ? 'Average fill price: value ÷ quantity filled'
                      : undefined
                  }
                >
                  {price}
                  <Trigger o={o} />
                </td>
                <td className="num">{o.filledQty}</td>
                <td className="num">{o.filledQuote}</td>
                {/* An order filled in part before it ended: what was left, and why, on hover. */}
                <td title={m && status.rest ? restText(o, m) : undefined}>
                  <span>{status.status}</span>
                  {status.rest ? <div className="muted sub">{status.rest}</div> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {history.length > 0 ? <OlderNote what="finished orders" /> : null}
    </>
  );
}

function Fills() {
  const fills = useTrade((s) => s.fills);
  return (
    <>
      <table className="table compact" aria-label="My trades">
        <thead>
          <tr>
            <th>Time</th>
            <th>Market</th>
            <th className="nowrap">Side · role</th>
            <th className="num">Price</th>
            <th className="num">Quantity</th>
            <th className="num">Value</th>
            <th className="num">Fee</th>
          </tr>
        </thead>
        <tbody>
          {fills.map((f) => (
            <tr key={`${f.symbol}-${f.tradeId}-${f.side}`}>
              <td>{when(f.ts)}</td>
              <td>{f.symbol}</td>
              {/* One column for both: the table fits the card without scrolling at 1440 px. */}
              <td className="nowrap">
                <span className={f.side === 'buy' ? 'up' : 'down'}>{f.side}</span>{' '}
                <span className="muted">· {f.role}</span>
              </td>
              <td className="num">{f.price}</td>
              <td className="num">{f.qty}</td>
              <td className="num">{f.quoteQty}</td>
              <td className="num">
                {/* Value and fee are in the quote asset; say the fee's only when it differs. */}
                {f.fee}
                {f.symbol.endsWith(`/${f.feeAsset}`) ? '' : ` ${f.feeAsset}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {fills.length > 0 ? <OlderNote what="fills" /> : null}
    </>
  );
}

function Balances() {
  const balances = useTrade((s) => s.balances);
  return <BalancesTable items={balances} compact />;
}

/** The user's open orders, order history, own trades and balances, live from the streams. */
export function MyTables() {
  const [tab, setTab] = useState<Tab>('open');
  const count: Partial<Record<Tab, number>> = useTrade(
    useShallow((s) => ({ open: s.openOrders.length, fills: s.fills.length })),
  );
  return (
    <section className="card trade-mine" aria-label="My orders and balances">
      <div className="tabs" role="tablist">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`tab ${tab === id ? 'active' : ''}`}
            onClick={() => setTab(id)}
          >
            {label}
            {count[id] ? <span className="tab-count">{count[id]}</span> : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="trade-mine-panel">
        {tab === 'open' ? <OpenOrders /> : null}
        {tab === 'exits' ? <ExitPlans /> : null}
        {tab === 'history' ? <History /> : null}
        {tab === 'fills' ? <Fills /> : null}
        {tab === 'balances' ? <Balances /> : null}
      </div>
    </section>
  );
}
