import { compareDecimal, mulDecimal, negateDecimal, subDecimal, type DecimalText } from '../money';

/** A market order that moves a live position to its target. */
export interface DiffOrder {
  side: 'buy' | 'sell';
  /** Positive decimal, a multiple of the lot step. */
  qty: DecimalText;
}

/**
 * The live position a bot aims for: the shadow backtest's position (float units) rounded
 * toward zero to a whole number of lots, as exact decimal text. Toward zero for both signs: a
 * bot never holds more than its backtest (a short of -0.37 with lot 0.1 targets -0.3).
 * The 1e-9 lot tolerance absorbs float noise (0.3 / 0.1 = 2.9999999999999996 lots is 3).
 */
export function targetPosition(shadowUnits: number, lotStep: DecimalText): DecimalText {
  const step = Number(lotStep);
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`bad lot step ${lotStep}`);
  if (!Number.isFinite(shadowUnits) || shadowUnits === 0) return '0';
  const lots = Math.floor(Math.abs(shadowUnits) / step + 1e-9);
  if (lots === 0) return '0';
  const units = mulDecimal(String(lots), lotStep);
  return shadowUnits < 0 ? negateDecimal(units) : units;
}

/**
 * The one market order taking `live` to `target`, or null when they are equal. A flip (long
 * to short) is one order of both legs: the venue nets it.
 */
export function diffOrder(target: DecimalText, live: DecimalText): DiffOrder | null {
  const d = subDecimal(target, live);
  const sign = compareDecimal(d, '0');
  if (sign === 0) return null;
  return sign > 0 ? { side: 'buy', qty: d } : { side: 'sell', qty: negateDecimal(d) };
}
