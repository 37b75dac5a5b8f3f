/**
 * Decimal strings ⇄ minor units. One implementation for both processes lives in
 * src-shared/decimal.ts (the renderer's previews use it too); the domain keeps its names.
 */
export {
  MAX_SCALE,
  formatDecimal,
  formatDecimalTrimmed,
  isValidScale,
  parseDecimal,
  pow10,
  significantDecimals,
} from '../../../src-shared/decimal';
