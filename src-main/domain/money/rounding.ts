/**
 * Integer division with an explicit rounding mode. Every place money is divided names its
 * mode, so who gains the fraction of a minor unit is a visible decision:
 * - `floor`: toward −∞ (e.g. what a user receives);
 * - `ceil`: toward +∞ (e.g. fees, holds — in the exchange's favour);
 * - `half_even`: to nearest, ties to even (statistics, display; no bias over many values).
 */
export type RoundingMode = 'floor' | 'ceil' | 'half_even';

/** Divides `numerator` by a non-zero `denominator`, rounding by `mode` (exact for any signs). */
export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  // Normalise to a positive denominator so floor/ceil reason about one sign only.
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const truncated = n / d; // bigint division truncates toward zero
  const remainder = n - truncated * d; // same sign as n
  if (remainder === 0n) return truncated;
  const floor = remainder < 0n ? truncated - 1n : truncated;
  if (mode === 'floor') return floor;
  if (mode === 'ceil') return floor + 1n;
  const twiceFromFloor = 2n * (n - floor * d); // in (0, 2d)
  if (twiceFromFloor < d) return floor;
  if (twiceFromFloor > d) return floor + 1n;
  return floor % 2n === 0n ? floor : floor + 1n;
}

/** `a × b / d` rounded by `mode`, with the product kept exact (bigint never overflows). */
export function mulDiv(a: bigint, b: bigint, d: bigint, mode: RoundingMode): bigint {
  return divRound(a * b, d, mode);
}

/**
 * Re-expresses minor units at `fromScale` as minor units at `toScale`. Scaling up is exact;
 * scaling down rounds by `mode`.
 */
export function rescale(
  units: bigint,
  fromScale: number,
  toScale: number,
  mode: RoundingMode,
): bigint {
  if (toScale >= fromScale) return units * 10n ** BigInt(toScale - fromScale);
  return divRound(units, 10n ** BigInt(fromScale - toScale), mode);
}
