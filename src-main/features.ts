import type { Feature } from './feature';
import { systemFeature } from './operations/system';
import { secretsFeature } from './secrets/feature';
import { accountsFeature } from './services/accounts/feature';
import { automationFeature } from './services/automation/feature';
import { backtestFeature } from './services/backtest/feature';
import { exchangeFeature } from './services/exchange/feature';
import { identityFeature } from './services/identity/feature';
import { marketDataFeature } from './services/market-data/feature';
import { simulatorFeature } from './services/simulator/feature';

/**
 * Every capability of the backend, in setup order. Adding a feature here makes its
 * operations reachable through every door.
 */
export const features: Feature[] = [
  systemFeature,
  secretsFeature,
  identityFeature,
  exchangeFeature,
  marketDataFeature,
  simulatorFeature,
  accountsFeature,
  automationFeature,
  backtestFeature,
];
