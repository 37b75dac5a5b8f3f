import { AppError } from '../../../src-shared/contract';
import type { AccountsPort } from './ports';

/**
 * Adapts the accounts service (registered as `accounts`) to what automation needs. A service
 * that already speaks the port (`byToken`, `get`, `listForUser`, `venue`, `markets`) is used
 * as is; `ExchangeVenue` (exchange-venue.ts) is the local-exchange venue in that shape.
 */
export function accountsPortFrom(services: Map<string, unknown>): AccountsPort {
  const accounts = services.get('accounts');
  if (!accounts) throw new AppError('unavailable', 'Trading accounts are not available');
  if (typeof (accounts as AccountsPort).byToken === 'function') return accounts as AccountsPort;
  throw new AppError(
    'unavailable',
    'Trading accounts are not connected to automation yet (no accounts adapter)',
  );
}
