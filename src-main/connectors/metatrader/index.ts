export { BridgeHub, type HubOptions, type TerminalStatus } from './hub';
export { MetaTraderConnector } from './connector';
export { metatraderDefinition } from './definition';
export { newBridgeToken, hashBridgeToken } from './token';
export type { CommandBody, CommandResult, HeartbeatBody } from './protocol';
