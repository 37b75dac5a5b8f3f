/**
 * The contract: operation specs, schemas, error codes and stream names. Node-free, imported
 * by main, preload and renderer alike. A feature adds its spec list to `catalogue`.
 */
import type { InputOf, OutputOf } from './define';
import { accountsOperations } from './accounts';
import { paperInstrumentsOperations } from './paper-instruments';
import { analyticsOperations } from './analytics';
import { brokersOperations } from './brokers';
import { auditOperations } from './audit';
import { automationOperations } from './automation';
import { backtestOperations } from './backtest';
import { botsOperations } from './bots';
import { exchangeOperations } from './exchange';
import { orderListOperations } from './order-lists';
import { exitPlanOperations } from './exit-plans';
import { fundingOperations } from './funding';
import { identityOperations } from './identity';
import { marketDataOperations } from './market-data';
import { secretsOperations } from './secrets';
import { simulatorOperations } from './simulator';
import { systemOperations } from './system';
import { withdrawalsOperations } from './withdrawals';

export * from './errors';
export * from './permissions';
export * from './define';
export * from './streams';
export * from './common';
export * from './system';
export * from './identity';
export * from './audit';
export * from './roles';
export * from './exchange';
export * from './order-lists';
export * from './exit-plans';
export * from './automation';
export * from './accounts';
export * from './paper-instruments';
export * from './brokers';
export * from './backtest';
export * from './bots';
export * from './market-data';
export * from './simulator';
export * from './secrets';
export * from './analytics';
export * from './withdrawals';
export * from './funding';

/** Every operation spec in the product. The main process must bind a handler to each. */
export const catalogue = [
  ...systemOperations,
  ...identityOperations,
  ...auditOperations,
  ...exchangeOperations,
  ...orderListOperations,
  ...exitPlanOperations,
  ...marketDataOperations,
  ...simulatorOperations,
  ...automationOperations,
  ...accountsOperations,
  ...paperInstrumentsOperations,
  ...brokersOperations,
  ...backtestOperations,
  ...botsOperations,
  ...secretsOperations,
  ...analyticsOperations,
  ...withdrawalsOperations,
  ...fundingOperations,
] as const;

export type CatalogueSpec = (typeof catalogue)[number];
export type OperationName = CatalogueSpec['name'];
export type SpecOf<N extends OperationName> = Extract<CatalogueSpec, { name: N }>;
export type OperationInput<N extends OperationName> = InputOf<SpecOf<N>>;
export type OperationOutput<N extends OperationName> = OutputOf<SpecOf<N>>;
