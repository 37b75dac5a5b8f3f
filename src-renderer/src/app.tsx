import { useEffect, type ComponentType } from 'react';
import { BacktestScreen } from './screens/backtest/backtest-screen';
import { AutomationScreen } from './screens/automation/automation-screen';
import { BotsScreen } from './screens/bots/bots-screen';
import { showDesktopNotifications } from './client/desktop-notifications';
import { listenToAppMenu } from './client/menu';
import { NavIcon } from './components/icons';
import {
  NotificationToasts,
  NotificationsBell,
  useNotificationsCenter,
} from './components/notifications-center';
import { AccountsScreen } from './screens/accounts/accounts-screen';
import { AdminScreen } from './screens/admin/admin-screen';
import { ApiKeysScreen } from './screens/api-keys/api-keys-screen';
import { AuthScreen } from './screens/auth/auth-screen';
import { CreatePassphraseForm, UnlockForm } from './screens/auth/vault-forms';
import { DashboardScreen } from './screens/dashboard/dashboard-screen';
import { PositionsScreen } from './screens/positions/positions-screen';
import { ProfileScreen } from './screens/profile/profile-screen';
import { SettingsScreen } from './screens/settings/settings-screen';
import { TradeScreen } from './screens/trade/trade-screen';
import { WalletScreen } from './screens/wallet/wallet-screen';
import { useSession } from './stores/session';
import { useSystem } from './stores/system';
import { useVault } from './stores/vault';
import { ROUTES, useUi, type RouteId } from './stores/ui';

const SCREENS: Record<RouteId, ComponentType> = {
  dashboard: DashboardScreen,
  trade: TradeScreen,
  backtest: BacktestScreen,
  automation: AutomationScreen,
  bots: BotsScreen,
  accounts: AccountsScreen,
  positions: PositionsScreen,
  'api-keys': ApiKeysScreen,
  wallet: WalletScreen,
  admin: AdminScreen,
  settings: SettingsScreen,
  profile: ProfileScreen,
};

function StatusBar() {
  const { health, version, error } = useSystem();
  const state = error ? 'down' : health?.status === 'ok' ? 'up' : 'unknown';
  const label = error ? 'Backend unreachable' : health ? `Backend ${health.status}` : 'Connecting…';
  return (
    <footer className="statusbar" role="contentinfo">
      <span className={`dot dot-${state}`} aria-hidden="true" />
      <span>{label}</span>
      <span className="spacer" />
      <span className="muted">{version ? `Bourse ${version.version} · ${version.mode}` : ''}</span>
    </footer>
  );
}

/** The shell: navigation, the current screen, the status bar. */
export function App() {
  const { route, theme, navigate, syncFromHash } = useUi();
  const refresh = useSystem((s) => s.refresh);
  const Screen = SCREENS[route];
  const session = useSession((s) => s.status);
  const init = useSession((s) => s.init);
  const role = useSession((s) => s.user?.role);
  const vault = useVault();
  const refreshVault = vault.refresh;

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    window.addEventListener('hashchange', syncFromHash);
    return () => window.removeEventListener('hashchange', syncFromHash);
  }, [syncFromHash]);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 15_000);
    return () => clearInterval(timer);
  }, [refresh]);
  useEffect(() => {
    void init();
  }, [init]);
  useEffect(() => {
    void refreshVault();
  }, [refreshVault, session]);
  useEffect(() => listenToAppMenu(navigate), [navigate]);
  useEffect(() => (session === 'signed-in' ? showDesktopNotifications() : undefined), [session]);
  useNotificationsCenter(session === 'signed-in');

  // Until someone is signed in: first-run setup, sign-in, 2FA or password reset.
  if (session !== 'signed-in') return <AuthScreen />;
  // No OS keychain and no passphrase yet: the owner chooses it before anything needs secrets.
  if (role === 'owner' && vault.status?.state === 'uninitialized' && !vault.deferred) {
    return <CreatePassphraseForm />;
  }
  // Asked for from Settings or Profile after "Continue without unlocking".
  if (vault.status?.state === 'locked' && vault.asked) return <UnlockForm />;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            B
          </span>
          <span className="brand-name">Bourse</span>
          <NotificationsBell />
        </div>
        <ul>
          {ROUTES.map((r) => (
            <li key={r.id}>
              <a
                href={`#/${r.id}`}
                className={route === r.id ? 'active' : ''}
                aria-current={route === r.id ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(r.id);
                }}
              >
                <NavIcon route={r.id} />
                {r.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Screen />
      </main>
      <StatusBar />
      <NotificationToasts />
    </div>
  );
}
