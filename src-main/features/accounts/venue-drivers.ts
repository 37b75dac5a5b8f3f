import { DEFAULT_PAPER_CONFIG, type PaperSummary } from '../../domain/paper';
import { ExchangeVenue } from '../../connectors/local-exchange/venue';
import type { ExchangeBrackets } from '../../connectors/local-exchange/brackets';
import type { ExchangeApi } from '../exchange/api';
import type { PaperBroker } from '../../connectors/paper/broker';
import { PaperVenue } from '../../connectors/paper/venue';
import type { AccountRow, AccountsRepo } from './repo';
import type { VenueDriver } from './venues';
import { BROKER_ADDRESSES, type BrokerDefinition } from '../../connectors/broker/port';
import type { BrokerAccounts } from './brokers';

/**
 * The local exchange as a venue: spot balances, orders through the exchange's own API; an
 * alert's take-profit and stop-loss kept by `brackets` until its entry is done.
 */
export function localDriver(exchange: ExchangeApi, brackets?: ExchangeBrackets): VenueDriver {
  return {
    name: 'local',
    label: 'Local exchange (spot balances)',
    positions: false,
    external: false,
    fields: [],
    addresses: [],
    modes: ['live', 'demo'],
    defaultCurrency: 'USDT',
    automation: (a) =>
      new ExchangeVenue(
        exchange,
        a.userId,
        brackets ? { keeper: brackets, accountId: a.id } : undefined,
      ),
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
    external: false,
    fields: [],
    addresses: [],
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

/** An external broker as a venue: its form, a live session per account, its positions. */
export function brokerDriver(def: BrokerDefinition, brokers: BrokerAccounts): VenueDriver {
  return {
    name: def.venue,
    label: def.label,
    positions: def.positions,
    external: true,
    fields: def.fields,
    // A venue that has an address among its own fields (Kraken's) shows it there only.
    addresses: (def.addresses ?? BROKER_ADDRESSES).filter(
      (a) => !def.fields.some((f) => f.name === a),
    ),
    modes: def.modes,
    defaultCurrency: def.defaultCurrency,
    automation: (a) => brokers.venueOf(a),
    openPositions: (a) => brokers.openPositions(a),
    summary: () => null,
    sync: (a) => brokers.sync(a),
  };
}
