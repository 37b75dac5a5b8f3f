import type { RouteId } from '../stores/ui';

/** Line icons (24×24, stroke) so the UI does not depend on which fonts have which glyphs. */
const PATHS: Record<RouteId, string> = {
  dashboard: 'M3 3h8v8H3zM13 3h8v5h-8zM13 12h8v9h-8zM3 15h8v6H3z',
  trade: 'M3 17l6-6 4 4 8-8M15 7h6v6',
  backtest: 'M3 12a9 9 0 1 0 3-6.7M3 4v5h5M12 7v5l3 2',
  automation: 'M13 2L4 14h7l-1 8 9-12h-7l1-8z',
  bots: 'M6 8h12a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2zM12 8V4M9 13h.01M15 13h.01M9 17h6',
  accounts: 'M4 5h16v14H4zM4 9h16M8 13h3M8 16h6',
  positions: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
  'api-keys': 'M15 7a4 4 0 1 1-3.9 5H3v3h3v3h3v-3h2.1A4 4 0 0 1 15 7zm1 3h.01',
  wallet: 'M3 7h15a3 3 0 0 1 3 3v7a3 3 0 0 1-3 3H6a3 3 0 0 1-3-3V7zm0 0l12-4v4M16 13h2',
  admin: 'M12 3l8 4v5c0 5-3.5 8-8 9-4.5-1-8-4-8-9V7l8-4zM9 12l2 2 4-4',
  settings: 'M4 6h16M4 12h16M4 18h16M8 4v4M16 10v4M10 16v4',
  profile: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
};

export function NavIcon(props: { route: RouteId }) {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[props.route]} />
    </svg>
  );
}
