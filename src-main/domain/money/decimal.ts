/**
 * Decimal strings ⇄ minor units. One implementation for both processes lives in
 * src-shared/decimal.ts (the renderer's previews use it too); the domain keeps its names.
 */
export type { DecimalText, DecimalTextOptions } from '../../../src-shared/decimal';
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
} from '../../../src-shared/decimal';
