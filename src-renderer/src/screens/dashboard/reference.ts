import { create } from 'zustand';
import { call } from '../../stores/session';
import { moneyAt } from './model';

/**
 * What the dashboard's figures are read against, read once per visit: each asset's scale
 * (money is shown at it) and when each trading account was opened (the total equity's curve
 * is drawn apart before the last opening). Either list refused or not yet read leaves the
 * figures as the server gives them and the curve whole.
 */
interface ReferenceState {
  /** Decimals of each asset the exchange keeps (`USDT` → 6, `USD` → 2). */
  scales: Record<string, number>;
  /** When each trading account was opened, by account id (ms). */
  openedAt: Record<string, number>;
  load(): Promise<void>;
  /** Re-reads the accounts (one opened while the screen is open). */
  loadAccounts(): Promise<void>;
}

export const useDashboardReference = create<ReferenceState>((set, get) => ({
  scales: {},
  openedAt: {},
  async load() {
    await Promise.all([
      call('assets.list', {}).then(
        (r) => set({ scales: Object.fromEntries(r.items.map((a) => [a.code, a.scale])) }),
        () => undefined,
      ),
      get().loadAccounts(),
    ]);
  },
  async loadAccounts() {
    try {
      const r = await call('accounts.list', {});
      set({ openedAt: Object.fromEntries(r.items.map((a) => [a.id, a.createdAt])) });
    } catch {
      // The curve is then drawn whole, as the server answers it.
    }
  },
}));

/** Money in a currency as the dashboard shows it, at that currency's scale. */
export function useMoney(): (v: string | null, currency: string) => string {
  const scales = useDashboardReference((s) => s.scales);
  return (v, currency) => moneyAt(v, scales[currency]);
}
