/** Integer division with a named rounding mode: the implementation is in src-shared/decimal.ts. */
export type { RoundingMode } from '../../../src-shared/decimal';
export { divRound, mulDiv, rescale } from '../../../src-shared/decimal';
