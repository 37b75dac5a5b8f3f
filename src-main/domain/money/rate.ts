/** Rates in parts per million: the implementation is in src-shared/decimal.ts. */
export {
  PPM,
  applyPpm,
  isValidPpm,
  percentFromPpm,
  ppmFromPercent,
} from '../../../src-shared/decimal';
