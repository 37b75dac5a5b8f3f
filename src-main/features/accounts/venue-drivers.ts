import { DEFAULT_PAPER_CONFIG, type PaperSummary } from '../../domain/paper';
import { ExchangeVenue } from '../../connectors/local-exchange/venue';
import type { ExchangeApi } from '../exchange/api';
import type { PaperBroker } from '../../connectors/paper/broker';
import { PaperVenue } from '../../connectors/paper/venue';
import type { AccountRow, AccountsRepo } from './repo';
import type { VenueDriver } from './venues';

/** The local exchange as a venue: spot balances, orders through the exchange's own API. */
export function localDriver(exchange: ExchangeApi): VenueDriver {
  return {
    name: 'local',
    label: 'Local exchange (spot balances)',
    positions: false,
    modes: ['live', 'demo'],
    defaultCurrency: 'USDT',
    automation: (a) => new ExchangeVenue(exchange, a.userId),
    openPositions: () => 0,
    summary: () => null,
    sync: async () => undefined,
  };
}

/** The paper broker as a venue: simulated CFD/futures positions with margin. */
export function paperDriver(
  paper: PaperBroker,
  repo: AccountsRepo,
  current: (id: string) => AccountRow,
): VenueDriver {
  return {
    name: 'paper',
    label: 'Paper broker (simulated CFD/futures)',
    positions: true,
    modes: ['demo'],
    defaultCurrency: 'USDT',
    automation: (a) =>
      new PaperVenue(
        paper,
        () => current(a.id),
        () => current(a.id).paperConfig ?? DEFAULT_PAPER_CONFIG,
      ),
    openPositions: (a) => repo.positions(a.id).length,
    summary: (a): PaperSummary => paper.summary(a),
    sync: async (a) => {
      if (a.paperConfig) await paper.check(a, a.paperConfig);
    },
  };
}
