/** Exact money: bigint minor units, strict decimal strings at the edge, explicit rounding. */
export type { DomainError, Result } from './result';
export { err, ok, unwrap } from './result';
export type { DecimalText, DecimalTextOptions } from './decimal';
export {
  MAX_EXPONENT,
  MAX_SCALE,
  addDecimal,
  compareDecimal,
  decimalsOf,
  divDecimal,
  formatDecimalText,
  mulDecimal,
  negateDecimal,
  readDecimalText,
  showDecimal,
  subDecimal,
  unitsAt,
  formatDecimal,
  formatDecimalTrimmed,
  isValidScale,
  parseDecimal,
  pow10,
  significantDecimals,
} from './decimal';
export type { RoundingMode } from './rounding';
export { divRound, mulDiv, rescale } from './rounding';
export { PPM, applyPpm, isValidPpm, percentFromPpm, ppmFromPercent } from './rate';
