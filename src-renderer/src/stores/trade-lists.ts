import type { OperationOutput } from '../../../src-shared/contract';

export type Order = OperationOutput<'orders.get'>;
export type Fill = OperationOutput<'trades.list'>['items'][number];
export type Balance = OperationOutput<'balances.get'>['items'][number];
export type Ticker = OperationOutput<'marketData.tickers'>['items'][number];
export type Candle = OperationOutput<'marketData.candles'>['items'][number];
export type PublicTrade = OperationOutput<'marketData.trades'>['items'][number];

/** Finished orders and own trades kept on the Trade screen (the rest is in Statements). */
export const RECENT_ROWS = 200;
export const TAPE_ROWS = 60;
const OPEN_STATUSES = new Set(['new', 'partially_filled']);

/** The user's lists the Trade screen shows, as the streams keep them. */
export interface UserLists {
  openOrders: Order[];
  history: Order[];
  fills: Fill[];
  balances: Balance[];
  tickers: Record<string, Ticker>;
}

/** One message of the user's streams (`orders`, `fills`, `balances`) or of the tickers. */
export type UserMessage =
  | { kind: 'order'; order: Order }
  | { kind: 'fill'; fill: Fill }
  | { kind: 'balance'; balance: Balance }
  | { kind: 'ticker'; ticker: Ticker };

const newestFirst = (a: Order, b: Order) => b.orderId - a.orderId;

/**
 * Applies a run of stream messages, in the order they arrived, and returns only the lists
 * that changed. The screen calls it once per frame with everything received since the last
 * one: a bot placing a thousand orders costs one re-sort and one render per frame, not a
 * thousand of each (each of which copied and sorted every open order).
 */
export function applyUserMessages(lists: UserLists, messages: UserMessage[]): Partial<UserLists> {
  let open: Map<number, Order> | undefined;
  let finished: Map<number, Order> | undefined;
  const fills: Fill[] = [];
  let balances: Map<string, Balance> | undefined;
  let tickers: Record<string, Ticker> | undefined;
  for (const m of messages) {
    if (m.kind === 'order') {
      const o = m.order;
      open ??= new Map(lists.openOrders.map((x) => [x.orderId, x]));
      if (OPEN_STATUSES.has(o.status)) {
        open.set(o.orderId, o);
      } else {
        open.delete(o.orderId);
        finished ??= new Map();
        finished.set(o.orderId, o);
      }
    } else if (m.kind === 'fill') {
      fills.push(m.fill);
    } else if (m.kind === 'balance') {
      balances ??= new Map(lists.balances.map((b) => [b.asset, b]));
      balances.set(m.balance.asset, m.balance);
    } else {
      tickers ??= { ...lists.tickers };
      tickers[m.ticker.symbol] = m.ticker;
    }
  }
  const out: Partial<UserLists> = {};
  if (open) out.openOrders = [...open.values()].sort(newestFirst);
  if (finished) {
    const kept = lists.history.filter((o) => !finished.has(o.orderId));
    out.history = [...finished.values(), ...kept].sort(newestFirst).slice(0, RECENT_ROWS);
  }
  if (fills.length > 0) out.fills = [...fills.reverse(), ...lists.fills].slice(0, RECENT_ROWS);
  if (balances)
    out.balances = [...balances.values()].sort((x, y) => x.asset.localeCompare(y.asset));
  if (tickers) out.tickers = tickers;
  return out;
}

/** Folds new public trades into the tape (newest first, at most `TAPE_ROWS`). */
export function foldTape(tape: PublicTrade[], arrived: PublicTrade[]): PublicTrade[] {
  return [...arrived.slice().reverse(), ...tape].slice(0, TAPE_ROWS);
}

/** Folds candle updates into the series: the open bar is replaced, a new bar is appended. */
export function foldCandles(candles: Candle[], updates: Candle[]): Candle[] {
  let out = candles;
  for (const c of updates) {
    const last = out.at(-1);
    if (last && last.openTime === c.openTime) out = [...out.slice(0, -1), c];
    else if (!last || last.openTime < c.openTime) out = [...out, c];
  }
  return out;
}
