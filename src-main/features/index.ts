import type { Feature } from './feature';
import { systemFeature } from './system/feature';
import { secretsFeature } from './secrets/feature';
import { accountsFeature } from './accounts/feature';
import { automationFeature } from './automation/feature';
import { backtestFeature } from './backtest/feature';
import { exchangeFeature } from './exchange/feature';
import { identityFeature } from './identity/feature';
import { marketDataFeature } from './market-data/feature';
import { simulatorFeature } from './simulator/feature';

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
