import { create } from 'zustand';
import type { OperationInput, OperationOutput } from '../../../src-shared/contract';
import { call, messageOf } from './session';

export type LogSummary = OperationOutput<'automation.log.list'>['items'][number];
export type LogDetail = OperationOutput<'automation.log.get'>;
export type RiskSettings = OperationOutput<'automation.risk.get'>['settings'];
export type Receiver = OperationOutput<'automation.receiver.get'>;
export type Status = OperationOutput<'automation.status'>;
export type TestAnswer = OperationOutput<'automation.testAlert'>;
export type LogFilters = Omit<OperationInput<'automation.log.list'>, 'cursor' | 'limit'>;

/** A trading account as this screen needs it (from the accounts capability). */
export interface AccountRow {
  id: string;
  name: string;
  venue: string;
  enabled: boolean;
  demo?: boolean;
  stopped?: boolean;
  /** The webhook token, known only right after creation or regeneration. */
  token?: string;
}

interface AutomationState {
  accounts: AccountRow[];
  accountsError?: string;
  receiver?: Receiver;
  status?: Status;
  log: LogSummary[];
  nextCursor?: string;
  filters: LogFilters;
  detail?: LogDetail;
  error?: string;
  busy: boolean;
  load(): Promise<void>;
  setAccounts(accounts: AccountRow[], error?: string): void;
  rememberToken(accountId: string, token: string): void;
  loadLog(filters?: LogFilters): Promise<void>;
  moreLog(): Promise<void>;
  openLog(id: number): Promise<void>;
  closeLog(): void;
  refreshStatus(): Promise<void>;
  emergencyStop(accountId?: string): Promise<void>;
  rearm(): Promise<void>;
}

/** The automation screen's data: status, webhook log and the receiver's URLs. */
export const useAutomation = create<AutomationState>((set, get) => ({
  accounts: [],
  log: [],
  filters: {},
  busy: false,
  async load() {
    try {
      const [receiver, status] = await Promise.all([
        call('automation.receiver.get', {}),
        call('automation.status', {}),
      ]);
      set({ receiver, status, error: undefined });
      await get().loadLog();
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },
  setAccounts(accounts, accountsError) {
    const tokens = new Map(get().accounts.map((a) => [a.id, a.token]));
    set({
      accounts: accounts.map((a) => ({ ...a, token: a.token ?? tokens.get(a.id) })),
      accountsError,
    });
  },
  rememberToken(accountId, token) {
    set({ accounts: get().accounts.map((a) => (a.id === accountId ? { ...a, token } : a)) });
  },
  async loadLog(filters) {
    const f = filters ?? get().filters;
    try {
      const page = await call('automation.log.list', { ...f, limit: 50 });
      set({ log: page.items, nextCursor: page.nextCursor, filters: f, error: undefined });
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },
  async moreLog() {
    const { nextCursor, filters, log } = get();
    if (!nextCursor) return;
    const page = await call('automation.log.list', { ...filters, cursor: nextCursor, limit: 50 });
    set({ log: [...log, ...page.items], nextCursor: page.nextCursor });
  },
  async openLog(id) {
    try {
      set({ detail: await call('automation.log.get', { id }) });
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },
  closeLog() {
    set({ detail: undefined });
  },
  async refreshStatus() {
    try {
      set({ status: await call('automation.status', {}) });
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },
  async emergencyStop(accountId) {
    set({ busy: true });
    try {
      await call('automation.emergencyStop', {
        ...(accountId ? { accountId } : {}),
        reason: 'Emergency stop button',
      });
      await Promise.all([get().refreshStatus(), get().loadLog()]);
    } catch (err) {
      set({ error: messageOf(err) });
    } finally {
      set({ busy: false });
    }
  },
  async rearm() {
    set({ busy: true });
    try {
      await call('automation.rearm', {});
      await get().refreshStatus();
    } catch (err) {
      set({ error: messageOf(err) });
    } finally {
      set({ busy: false });
    }
  },
}));
