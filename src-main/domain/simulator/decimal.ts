import type { Result } from '../money';
import { err, ok } from '../money';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

function parse(text: string): { units: bigint; scale: number } | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const frac = m[2] ?? '';
  return { units: BigInt(`${m[1]}${frac}`), scale: frac.length };
}

/**
 * Converts a non-negative decimal string to a count of `step`s (a tick size or lot size,
 * also a decimal string), rounding half up: `("0.049", "0.00001") → 4900`. Exact: both
 * sides are scaled to a common power of ten as bigints before dividing. A tiny local
 * helper so simulator defaults do not depend on the markets module's evolving API.
 */
export function decimalToSteps(value: string, step: string): Result<number> {
  const v = parse(value);
  const s = parse(step);
  if (!v) return err('sim_bad_decimal', `not a non-negative decimal: ${value}`, { value });
  if (!s || s.units === 0n) return err('sim_bad_decimal', `not a positive step: ${step}`, { step });
  const scale = Math.max(v.scale, s.scale);
  const num = v.units * 10n ** BigInt(scale - v.scale);
  const den = s.units * 10n ** BigInt(scale - s.scale);
  const steps = (2n * num + den) / (2n * den);
  if (steps > BigInt(Number.MAX_SAFE_INTEGER)) {
    return err('sim_bad_decimal', `${value} is too many steps of ${step}`, { value, step });
  }
  return ok(Number(steps));
}
