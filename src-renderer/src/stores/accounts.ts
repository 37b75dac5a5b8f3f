import { create, type StoreApi } from 'zustand';
import type { OperationInput, OperationOutput } from '../../../src-shared/contract';
import { call, messageOf } from './session';
import { useAutomation } from './automation';
import { problemOf, useBrokers, type ConnectionReport, type Problem } from './brokers';

export type TradingAccount = OperationOutput<'accounts.list'>['items'][number];
export type Venue = OperationOutput<'accounts.venues'>['items'][number];
export type Position = OperationOutput<'accounts.positions'>['items'][number];
export type PaperFill = OperationOutput<'accounts.fills'>['items'][number];
export type PaperOrder = OperationOutput<'accounts.orders'>['items'][number];

/** A webhook token shown once, right after creation or regeneration. */
export interface FreshToken {
  accountId: string;
  accountName: string;
  token: string;
  path: string;
}

/** What creating a broker account answered besides the webhook token (shown once). */
export interface FreshConnection {
  accountId: string;
  accountName: string;
  venue: string;
  report?: ConnectionReport;
  /** MetaTrader bridge: the token to paste into the EA's inputs. */
  bridgeToken?: string;
}

interface AccountsState {
  accounts: TradingAccount[];
  venues: Venue[];
  selectedId?: string;
  positions: Position[];
  fills: PaperFill[];
  orders: PaperOrder[];
  fresh?: FreshToken;
  freshConnection?: FreshConnection;
  /** Why the last create was refused (shown in the form, by the field it names). */
  createProblem?: Problem;
  /** Why the paper ticket's last order was refused (shown at the field it names). */
  orderProblem?: Problem;
  error?: string;
  /** The account whose action failed (its row or panel shows `error`); none: the screen does. */
  errorAbout?: string;
  notice?: string;
  busy: boolean;
  load(): Promise<void>;
  select(id: string): Promise<void>;
  refreshSelected(): Promise<void>;
  create(input: OperationInput<'accounts.create'>): Promise<boolean>;
  update(input: OperationInput<'accounts.update'>): Promise<void>;
  regenerate(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  sync(id: string): Promise<void>;
  placeOrder(input: OperationInput<'accounts.placeOrder'>): Promise<boolean>;
  close(symbol: string, qty?: string): Promise<void>;
  cancelOrder(orderId?: number): Promise<void>;
  /** A level sets it, null clears it, undefined keeps it (a trailing stop-loss keeps trailing). */
  brackets(
    symbol: string,
    stopLoss: string | null | undefined,
    takeProfit: string | null | undefined,
  ): Promise<boolean>;
  dismissToken(): void;
  dismissConnection(): void;
  clearCreateProblem(): void;
}

type SetState = StoreApi<AccountsState>['setState'];

/** Runs an action, showing its error (the server's message) instead of throwing. */
function actor(set: SetState) {
  return async function act<T>(
    fn: () => Promise<T>,
    notice?: string,
    about?: string,
  ): Promise<T | undefined> {
    set({ busy: true, error: undefined, errorAbout: undefined, notice: undefined });
    try {
      const out = await fn();
      set({ notice });
      return out;
    } catch (err) {
      set({ error: messageOf(err), errorAbout: about });
      return undefined;
    } finally {
      set({ busy: false });
    }
  };
}

/** Keeps a just-issued webhook token for this session (shown once by the server). */
function rememberer(set: SetState) {
  return function remember(out: OperationOutput<'accounts.create'>) {
    set({
      fresh: {
        accountId: out.account.id,
        accountName: out.account.name,
        token: out.webhookToken,
        path: out.webhookPath,
      },
    });
    // The automation screen shows the full URL for this session too.
    useAutomation.getState().rememberToken(out.account.id, out.webhookToken);
  };
}

/** What a broker account's creation found (its connection test, a MetaTrader bridge token). */
function freshConnectionOf(out: OperationOutput<'accounts.create'>): FreshConnection | undefined {
  if (!out.connection && !out.bridgeToken) return undefined;
  return {
    accountId: out.account.id,
    accountName: out.account.name,
    venue: out.account.venue,
    ...(out.connection ? { report: out.connection } : {}),
    ...(out.bridgeToken ? { bridgeToken: out.bridgeToken } : {}),
  };
}

/**
 * What a placed paper order says: a trailing stop has no price when it trails from now, and
 * trails by percent ("trailing 1 %") or by an amount in price units ("trailing 250.50").
 */
export function placedNotice(input: OperationInput<'accounts.placeOrder'>): string {
  const type = input.type ?? 'market';
  if (type === 'market') {
    return `${input.side === 'buy' ? 'Bought' : 'Sold'} ${input.qty} ${input.symbol}.`;
  }
  const distance = input.trailPercent ? `${input.trailPercent} %` : input.trailAmount;
  const at = distance
    ? `trailing ${distance}${input.price ? ` from ${input.price}` : ''}`
    : `@ ${input.price}`;
  return `${type} ${input.side} ${input.qty} ${input.symbol} ${at} placed.`;
}

/** Re-reads the selected paper or local account's positions, fills and orders. */
async function refreshSelected(get: () => AccountsState, set: SetState): Promise<void> {
  const id = get().selectedId;
  const a = get().accounts.find((x) => x.id === id);
  if (!id || !a) return;
  // A broker account's figures come from its broker panel (brokers.state and the stream).
  if (get().venues.find((v) => v.venue === a.venue)?.external) return;
  try {
    const [pos, fills, orders] = await Promise.all([
      call('accounts.positions', { id }),
      call('accounts.fills', { id, limit: 50 }),
      a.venue === 'paper'
        ? call('accounts.orders', { id, limit: 50 })
        : Promise.resolve({ items: [] }),
    ]);
    set((s) => ({
      positions: pos.items,
      fills: fills.items,
      orders: orders.items,
      accounts: s.accounts.map((x) => (x.id === id ? { ...x, summary: pos.summary } : x)),
    }));
  } catch (err) {
    set({ error: messageOf(err) });
  }
}

/** Trading accounts, the selected paper account's positions and fills. */
export const useAccounts = create<AccountsState>((set, get) => {
  const act = actor(set);
  const remember = rememberer(set);
  return {
    accounts: [],
    venues: [],
    positions: [],
    fills: [],
    orders: [],
    busy: false,
    async load() {
      try {
        const [accounts, venues] = await Promise.all([
          call('accounts.list', {}),
          call('accounts.venues', {}),
        ]);
        const selectedId = accounts.items.some((a) => a.id === get().selectedId)
          ? get().selectedId
          : accounts.items[0]?.id;
        set({ accounts: accounts.items, venues: venues.items, selectedId });
        await get().refreshSelected();
      } catch (err) {
        set({ error: messageOf(err) });
      }
    },
    async select(id) {
      set({ selectedId: id, positions: [], fills: [], orders: [], orderProblem: undefined });
      await get().refreshSelected();
    },
    refreshSelected: () => refreshSelected(get, set),
    async create(input) {
      set({ busy: true, error: undefined, notice: undefined, createProblem: undefined });
      let out: OperationOutput<'accounts.create'>;
      try {
        out = await call('accounts.create', input);
      } catch (err) {
        set({ createProblem: problemOf(err) });
        return false;
      } finally {
        set({ busy: false });
      }
      set({ notice: `Account ${input.name} created.` });
      remember(out);
      set({
        selectedId: out.account.id,
        freshConnection: freshConnectionOf(out),
      });
      await get().load();
      return true;
    },
    async update(input) {
      await act(() => call('accounts.update', input), undefined, input.id);
      await get().load();
    },
    async regenerate(id) {
      const out = await act(
        () => call('accounts.regenerateToken', { id }),
        'New token issued; the old URL no longer works.',
        id,
      );
      if (out) remember(out);
      await get().load();
    },
    async remove(id) {
      const a = get().accounts.find((x) => x.id === id);
      const external = get().venues.find((v) => v.venue === a?.venue)?.external === true;
      const done = await act(
        () => call('accounts.delete', { id }),
        external
          ? 'Account deleted; its credentials were removed from the keychain.'
          : 'Account deleted.',
        id,
      );
      if (done) {
        set({ selectedId: undefined, fresh: undefined, freshConnection: undefined });
        useBrokers.getState().forget(id);
      }
      await get().load();
    },
    async sync(id) {
      await act(() => call('accounts.sync', { id }), 'Synced.', id);
      await get().load();
    },
    async placeOrder(input) {
      // A refusal is the ticket's to show, at the field it names (not the screen's error).
      set({
        busy: true,
        error: undefined,
        errorAbout: undefined,
        notice: undefined,
        orderProblem: undefined,
      });
      let placed = false;
      try {
        await call('accounts.placeOrder', input);
        set({ notice: placedNotice(input) });
        placed = true;
      } catch (err) {
        set({ orderProblem: problemOf(err) });
      } finally {
        set({ busy: false });
      }
      await get().load();
      return placed;
    },
    async close(symbol, qty) {
      const id = get().selectedId;
      if (!id) return;
      await act(
        () => call('accounts.closePosition', { id, symbol, ...(qty ? { qty } : {}) }),
        qty ? `Closed ${qty} of ${symbol}.` : `${symbol} closed.`,
      );
      await get().load();
    },
    async cancelOrder(orderId) {
      const id = get().selectedId;
      if (!id) return;
      await act(
        () => call('accounts.cancelOrder', { id, ...(orderId ? { orderId } : {}) }),
        orderId ? `Order ${orderId} cancelled.` : 'Waiting orders cancelled.',
      );
      await get().refreshSelected();
    },
    async brackets(symbol, stopLoss, takeProfit) {
      const id = get().selectedId;
      if (!id) return false;
      const out = await act(
        () =>
          call('accounts.modifyPosition', {
            id,
            symbol,
            ...(stopLoss !== undefined ? { stopLoss } : {}),
            ...(takeProfit !== undefined ? { takeProfit } : {}),
          }),
        `Brackets of ${symbol} saved.`,
      );
      await get().refreshSelected();
      return out !== undefined;
    },
    dismissToken() {
      set({ fresh: undefined });
    },
    dismissConnection() {
      set({ freshConnection: undefined });
    },
    clearCreateProblem() {
      set({ createProblem: undefined });
    },
  };
});
