import { create } from 'zustand';

export type Theme = 'dark' | 'light';

export const ROUTES = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'trade', label: 'Trade' },
  { id: 'backtest', label: 'Backtest' },
  { id: 'automation', label: 'Automation' },
  { id: 'bots', label: 'Bots' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'positions', label: 'Positions' },
  { id: 'api-keys', label: 'API keys' },
  { id: 'wallet', label: 'Wallet' },
  { id: 'admin', label: 'Admin' },
  { id: 'settings', label: 'Settings' },
  { id: 'profile', label: 'Profile' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

function routeFromHash(): RouteId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return (ROUTES.find((r) => r.id === id)?.id ?? 'dashboard') as RouteId;
}

function initialTheme(): Theme {
  const saved = localStorage.getItem('bourse.theme');
  if (saved === 'dark' || saved === 'light') return saved;
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

interface UiState {
  theme: Theme;
  route: RouteId;
  setTheme(theme: Theme): void;
  navigate(route: RouteId): void;
  syncFromHash(): void;
}

/** Theme and navigation. The route lives in the URL hash so reloads and links keep it. */
export const useUi = create<UiState>((set) => ({
  theme: initialTheme(),
  route: routeFromHash(),
  setTheme(theme) {
    localStorage.setItem('bourse.theme', theme);
    set({ theme });
  },
  navigate(route) {
    window.location.hash = `/${route}`;
    set({ route });
  },
  syncFromHash() {
    set({ route: routeFromHash() });
  },
}));
