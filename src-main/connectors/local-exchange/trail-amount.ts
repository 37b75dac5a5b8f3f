import { parseDecimal, type DecimalText } from '../../domain/money';
import { distanceToTicks, ticksToPrice, type MarketSpec } from '../../domain/markets';

/** A trailing distance in price units, read against a market: on its ticks, or why not. */
export type TrailAmount = { ok: true; ticks: number; amount: string } | { ok: false; why: string };

/**
 * An alert's trailing distance in price units (`trailAmount`, `stopLoss.trailAmount`) as the
 * exchange takes it: the same distance in ticks, and as the market writes prices
 * (`150` → `150.00`). Never rounded: an amount with more decimals than the market's prices, or
 * between two of its ticks, is refused by the caller with `why`, as one too large to be a
 * price is.
 */
export function trailAmountOf(spec: MarketSpec, amount: DecimalText): TrailAmount {
  const { symbol, tickSize } = spec.config;
  const units = parseDecimal(amount, spec.priceScale);
  if (!units.ok && units.error.code === 'too_many_decimals') {
    return {
      ok: false,
      why: `${amount} has more decimals than ${symbol}'s tick (${tickSize}); it is not rounded`,
    };
  }
  if (units.ok && units.value % spec.tickUnits !== 0n) {
    return {
      ok: false,
      why: `${amount} is not a multiple of ${symbol}'s tick (${tickSize}); it is not rounded`,
    };
  }
  const ticks = distanceToTicks(spec, amount);
  if (!ticks.ok) {
    return { ok: false, why: `${amount} is not a distance on ${symbol}: ${ticks.error.message}` };
  }
  return { ok: true, ticks: ticks.value, amount: ticksToPrice(spec, ticks.value) };
}
