/** Every table of the database. Feature schema files are re-exported here. */
export * from './core';
export * from './identity';
export * from './exchange';
export * from './automation';
export * from './accounts';
export * from './backtest';
export * from './market-data';
export * from './simulator';
export * from './brokers';
export * from './bots';
export * from './funding';
export * from './withdrawals';
export * from './order-lists';
export * from './broker-fills';
export * from './deposits';
export * from './paper-instruments';
export * from './exchange-brackets';
