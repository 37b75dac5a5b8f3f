import { create } from 'zustand';
import type { OperationInput, OperationOutput, StreamPayloads } from '../../../src-shared/contract';
import { addDecimal, decimalsOf, showDecimal } from '../../../src-shared/decimal';
import { client } from '../client/client';
import { keyedActions } from './keyed-actions';
import { ClientError } from '../client/transport';
import { call } from './session';

export type BrokerState = StreamPayloads['brokers'];
export type BrokerPosition = BrokerState['positions'][number];
export type BrokerOrder = BrokerState['orders'][number];
export type ConnectionReport = OperationOutput<'brokers.test'>;
export type Portfolio = OperationOutput<'brokers.positions'>;
export type PortfolioAccount = Portfolio['accounts'][number];
export type PortfolioPosition = Portfolio['items'][number];
export type BrokerOrderInput = OperationInput<'brokers.place'>;

/**
 * A refusal as the server explained it (problem+json `code`, `message`, `details.field`), kept
 * under the key of what caused it so the screen shows it next to that control.
 */
export interface Problem {
  code: string;
  message: string;
  /** The input the server blamed (`apiKey`, `qty`…), without a `settings.`/`credentials.` prefix. */
  field?: string;
}

/** The input a path such as `settings.apiKey` or `/stopLoss` names (its last part). */
const lastPart = (raw: unknown): string | undefined =>
  typeof raw === 'string' ? raw.split(/[./]/).filter(Boolean).pop() : undefined;

/**
 * The server's explanation of any error a call can throw. The input it blames is
 * `details.field`, or the one input a schema refusal lists in `details.fields`.
 */
export function problemOf(err: unknown): Problem {
  if (err instanceof ClientError) {
    const details: unknown = err.details;
    const d = typeof details === 'object' && details !== null ? details : {};
    let field = 'field' in d ? lastPart(d.field) : undefined;
    if (!field && 'fields' in d && Array.isArray(d.fields) && d.fields.length === 1) {
      const first: unknown = d.fields[0];
      field =
        typeof first === 'object' && first !== null && 'field' in first
          ? lastPart(first.field)
          : undefined;
    }
    return { code: err.code, message: err.message, ...(field ? { field } : {}) };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/** Sums the known P&L figures exactly, with as many decimals as they have; null when none is known. */
export function sumPnl(values: (string | null)[]): string | null {
  const known = values.filter((v): v is string => v !== null);
  if (known.length === 0) return null;
  return showDecimal(addDecimal(...known), Math.max(...known.map(decimalsOf)));
}

/** Keys of what an action is about, so its error and its busy state show next to it. */
export const actionKey = {
  test: (id: string) => `${id}:test`,
  sync: (id: string) => `${id}:sync`,
  close: (id: string, symbol: string) => `${id}:close:${symbol}`,
  cancel: (id: string, orderId?: string) => `${id}:cancel:${orderId ?? '*'}`,
  state: (id: string) => `${id}:state`,
  place: (id: string) => `${id}:place`,
};

interface BrokersStore {
  /** The latest state of each broker account, from `brokers.state` then the `brokers` stream. */
  states: Record<string, BrokerState>;
  /** The last connection test of each account. */
  reports: Record<string, ConnectionReport>;
  portfolio?: Portfolio;
  portfolioError?: string;
  /** Errors by action key (see `actionKey`). */
  problems: Record<string, Problem>;
  /** Actions under way, by action key. */
  pending: Record<string, boolean>;
  /** What the last action did, by account. */
  notices: Record<string, string>;
  /** Streams broker states while the returned function is not called (shared, counted). */
  live(): () => void;
  loadState(id: string): Promise<void>;
  loadPortfolio(): Promise<void>;
  test(id: string): Promise<ConnectionReport | undefined>;
  sync(id: string): Promise<void>;
  /** Places an order; `clientOrderId` makes a retry of the same ticket safe. */
  place(input: BrokerOrderInput): Promise<BrokerOrder | undefined>;
  close(id: string, symbol: string, qty?: string): Promise<boolean>;
  cancel(id: string, orderId?: string): Promise<boolean>;
  forget(id: string): void;
}

/** A portfolio with one account's broker positions and figures replaced by its new state. */
export function foldState(p: Portfolio, s: BrokerState): Portfolio | undefined {
  const account = p.accounts.find((a) => a.accountId === s.accountId);
  if (!account) return undefined;
  const items = s.positions.map((x): PortfolioPosition => ({
    accountId: s.accountId,
    accountName: account.name,
    venue: s.venue,
    symbol: x.symbol,
    side: x.side,
    qty: x.qty,
    entryPrice: x.avgPrice,
    markPrice: x.markPrice,
    unrealisedPnl: x.unrealisedPnl,
    currency: account.currency,
  }));
  const at = p.items.findIndex((x) => x.accountId === s.accountId);
  const others = p.items.filter((x) => x.accountId !== s.accountId);
  // The account's rows stay where they were in the table.
  const merged =
    at < 0 ? [...others, ...items] : [...others.slice(0, at), ...items, ...others.slice(at)];
  return {
    items: merged,
    accounts: p.accounts.map((a) =>
      a.accountId === s.accountId
        ? {
            ...a,
            connection: s.connection,
            positions: s.positions.length,
            unrealisedPnl: sumPnl(s.positions.map((x) => x.unrealisedPnl)),
          }
        : a,
    ),
  };
}

/**
 * Broker accounts as the brokers report them: connection, balances, positions, orders, kept
 * current by the `brokers` push stream; the positions of all accounts; the trader's actions.
 */
export const useBrokers = create<BrokersStore>((set, get) => {
  let listeners = 0;
  let off: (() => void) | undefined;
  let portfolioTimer: ReturnType<typeof setTimeout> | undefined;

  function onState(s: BrokerState): void {
    set((st) => ({ states: { ...st.states, [s.accountId]: s } }));
    const p = get().portfolio;
    if (!p) return;
    const next = foldState(p, s);
    if (next) set({ portfolio: next });
    // An account the table does not know yet: read the whole portfolio again, once.
    else portfolioTimer ??= setTimeout(() => void get().loadPortfolio(), 100);
  }

  const act = keyedActions(set, problemOf);

  const notify = (id: string, text: string) =>
    set((s) => ({ notices: { ...s.notices, [id]: text } }));

  return {
    states: {},
    reports: {},
    problems: {},
    pending: {},
    notices: {},
    live() {
      listeners += 1;
      off ??= client.subscribe('brokers', onState);
      return () => {
        listeners -= 1;
        if (listeners > 0) return;
        off?.();
        off = undefined;
      };
    },
    async loadState(id) {
      const s = await act(actionKey.state(id), () => call('brokers.state', { id }));
      if (s) onState(s);
    },
    async loadPortfolio() {
      clearTimeout(portfolioTimer);
      portfolioTimer = undefined;
      try {
        const portfolio = await call('brokers.positions', {});
        // States pushed while the request was under way are newer than its answer.
        const folded = Object.values(get().states).reduce<Portfolio>(
          (p, s) => foldState(p, s) ?? p,
          portfolio,
        );
        set({ portfolio: folded, portfolioError: undefined });
      } catch (err) {
        set({ portfolioError: problemOf(err).message });
      }
    },
    async test(id) {
      const report = await act(actionKey.test(id), () => call('brokers.test', { id }));
      if (report) {
        set((s) => ({ reports: { ...s.reports, [id]: report } }));
        notify(id, 'Connection tested.');
      }
      return report;
    },
    async sync(id) {
      const done = await act(actionKey.sync(id), async () => {
        await call('accounts.sync', { id });
        return call('brokers.state', { id });
      });
      if (done) {
        onState(done);
        notify(id, 'Synced with the broker.');
      }
    },
    async place(input) {
      const order = await act(actionKey.place(input.id), () => call('brokers.place', input));
      if (order) {
        const what = `${order.side} ${order.qty} ${order.symbol}`;
        notify(input.id, `Order ${order.orderId} (${what}) ${order.status.replace('_', ' ')}.`);
      }
      return order;
    },
    async close(id, symbol, qty) {
      const out = await act(actionKey.close(id, symbol), () =>
        call('brokers.close', { id, symbol, ...(qty ? { qty } : {}) }),
      );
      if (!out) return false;
      notify(
        id,
        out.order === null
          ? `${qty ? `Closing ${qty} of ${symbol}` : `Closing ${symbol}`}: sent to the broker.`
          : `${qty ? `Closing ${qty} of ${symbol}` : `Closing ${symbol}`}: order ${out.order.orderId} ${out.order.status.replace('_', ' ')}.`,
      );
      return true;
    },
    async cancel(id, orderId) {
      const out = await act(actionKey.cancel(id, orderId), () =>
        call('brokers.cancel', { id, ...(orderId ? { orderId } : {}) }),
      );
      if (!out) return false;
      notify(id, orderId ? `Order ${orderId} cancelled.` : `${out.cancelled} orders cancelled.`);
      return true;
    },
    forget(id) {
      set((s) => {
        const states = { ...s.states };
        const reports = { ...s.reports };
        delete states[id];
        delete reports[id];
        return { states, reports };
      });
    },
  };
});
