/** Exact money: bigint minor units, strict decimal strings at the edge, explicit rounding. */
export type { DomainError, Result } from './result';
export { err, ok, unwrap } from './result';
export type { DecimalText, DecimalTextOptions } from './decimal';
export * from './decimal';
export type { RoundingMode } from './rounding';
export { divRound, mulDiv, rescale } from './rounding';
export { PPM, applyPpm, isValidPpm, percentFromPpm, ppmFromPercent } from './rate';
