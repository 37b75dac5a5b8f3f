import type { Feature } from './feature';
import { systemFeature } from './operations/system';
import { automationFeature } from './services/automation/feature';
import { exchangeFeature } from './services/exchange/feature';
import { identityFeature } from './services/identity/feature';

/**
 * Every capability of the backend, in setup order. Adding a feature here makes its
 * operations reachable through every door.
 */
export const features: Feature[] = [
  systemFeature,
  identityFeature,
  exchangeFeature,
  automationFeature,
];
