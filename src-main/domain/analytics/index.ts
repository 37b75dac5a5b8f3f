/** P&L analytics: round trips from fills, trade statistics, equity and benchmark curves. */
export * from './round-trips';
export * from './stats';
export * from './equity';
export * from './calendar';
export { fx, mul as fixedMul, text as fixedText } from './fixed';
export * from './convert';
export * from './valuation';
