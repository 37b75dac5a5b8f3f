/**
 * Every capability of the backend. The composition root (backend.ts) sets them up in order,
 * handing each the typed services of those before it; adding a feature there makes its
 * operations reachable through every door.
 */
export { systemFeature } from './system/feature';
export { secretsFeature } from './secrets/feature';
export { identityFeature } from './identity/feature';
export { exchangeFeature } from './exchange/feature';
export { marketDataFeature } from './market-data/feature';
export { simulatorFeature } from './simulator/feature';
export { accountsFeature } from './accounts/feature';
export { automationFeature } from './automation/feature';
export { backtestFeature } from './backtest/feature';
export { analyticsFeature } from './analytics/feature';
export { botsFeature } from './bots/feature';
export { withdrawalsFeature } from './withdrawals/feature';
export { fundingFeature } from './funding/feature';
