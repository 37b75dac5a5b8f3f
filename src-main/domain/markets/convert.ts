import type { Result } from '../money';
import { err, formatDecimal, ok, parseDecimal } from '../money';
import type { MarketSpec, MarketStatus } from './types';

/**
 * Engine integers (ticks, lots) may arrive as `number` (safe integers, what an engine keeps
 * in arrays) or `bigint`; the edge conversions return `number`, the money maths `bigint`.
 */
export type IntLike = number | bigint;

/** Converts an engine integer to bigint, refusing fractions and unsafe numbers loudly. */
export function toBigInt(value: IntLike): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return BigInt(value);
}

function toSafeNumber(value: bigint, what: string): Result<number> {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return err('out_of_range', `${what} is too large`);
  return ok(Number(value));
}

/**
 * Parses a decimal price (quote per base) into ticks. Errors: `invalid_decimal`,
 * `tick_size` (not a multiple of tickSize, including more decimals than the tick has),
 * `invalid_price` (not positive), `out_of_range`.
 */
export function priceToTicks(spec: MarketSpec, price: string): Result<number> {
  const parsed = parseDecimal(price, spec.priceScale);
  if (!parsed.ok)
    return parsed.error.code === 'too_many_decimals' ? tickError(spec, price) : parsed;
  if (parsed.value <= 0n) return err('invalid_price', `price must be positive: ${price}`);
  if (parsed.value % spec.tickUnits !== 0n) return tickError(spec, price);
  return toSafeNumber(parsed.value / spec.tickUnits, 'price');
}

/**
 * A distance in price units (a trailing stop's `trailAmount`) in ticks: read as a price is —
 * positive, on the tick grid, never rounded — with refusals worded for a distance.
 */
export function distanceToTicks(spec: MarketSpec, distance: string): Result<number> {
  const r = priceToTicks(spec, distance);
  if (r.ok) return r;
  return err(r.error.code, r.error.message.replace(/^price\b/, 'distance'), r.error.details);
}

function tickError(spec: MarketSpec, price: string): Result<number> {
  return err('tick_size', `price ${price} is not a multiple of ${spec.config.tickSize}`, {
    price,
    tickSize: spec.config.tickSize,
  });
}

/**
 * Parses a decimal base quantity into lots. Errors: `invalid_decimal`, `lot_size` (not a
 * multiple of lotSize), `invalid_quantity` (not positive), `out_of_range`.
 */
export function qtyToLots(spec: MarketSpec, qty: string): Result<number> {
  const parsed = parseDecimal(qty, spec.base.scale);
  const lotError = err<number>(
    'lot_size',
    `quantity ${qty} is not a multiple of ${spec.config.lotSize}`,
    {
      qty,
      lotSize: spec.config.lotSize,
    },
  );
  if (!parsed.ok) return parsed.error.code === 'too_many_decimals' ? lotError : parsed;
  if (parsed.value <= 0n) return err('invalid_quantity', `quantity must be positive: ${qty}`);
  if (parsed.value % spec.lotBaseUnits !== 0n) return lotError;
  return toSafeNumber(parsed.value / spec.lotBaseUnits, 'quantity');
}

/** Formats ticks as a price with the tick's decimals (`3000000` ticks of 0.01 → `"30000.00"`). */
export function ticksToPrice(spec: MarketSpec, priceTicks: IntLike): string {
  return formatDecimal(toBigInt(priceTicks) * spec.tickUnits, spec.priceScale);
}

/** Formats lots as a quantity with the lot's decimals (`5000` lots of 0.0001 → `"0.5000"`). */
export function lotsToQty(spec: MarketSpec, qtyLots: IntLike): string {
  return formatDecimal(toBigInt(qtyLots) * spec.lotUnits, spec.qtyScale);
}

/** Quantity in base minor units (exact: a lot is a whole number of base units). */
export function baseUnits(spec: MarketSpec, qtyLots: IntLike): bigint {
  return toBigInt(qtyLots) * spec.lotBaseUnits;
}

/** price × quantity in quote minor units, exact (validation made tick × lot whole units). */
export function notionalQuoteUnits(
  spec: MarketSpec,
  priceTicks: IntLike,
  qtyLots: IntLike,
): bigint {
  return toBigInt(priceTicks) * toBigInt(qtyLots) * spec.tickLotQuoteUnits;
}

/** Parses a quote amount (e.g. a market buy's spend) into quote minor units, positive only. */
export function quoteAmountToUnits(spec: MarketSpec, amount: string): Result<bigint> {
  const parsed = parseDecimal(amount, spec.quote.scale);
  if (!parsed.ok) return parsed;
  if (parsed.value <= 0n) return err('invalid_amount', `amount must be positive: ${amount}`);
  return parsed;
}

/** Refuses orders below the market's minimums: `min_qty`, `min_notional`. */
export function checkOrderSize(
  spec: MarketSpec,
  priceTicks: IntLike,
  qtyLots: IntLike,
): Result<true> {
  if (toBigInt(qtyLots) < spec.minQtyLots) {
    return err('min_qty', `quantity is below the minimum ${spec.config.minQty} ${spec.base.code}`);
  }
  if (notionalQuoteUnits(spec, priceTicks, qtyLots) < spec.minNotionalUnits) {
    return err(
      'min_notional',
      `order value is below the minimum ${spec.config.minNotional} ${spec.quote.code}`,
    );
  }
  return ok(true);
}

/**
 * The accepted price range around a reference price (last trade or mid), in ticks:
 * floor side rounded up, ceiling side rounded down, so both bounds stay inside the band.
 * The ceiling is also the price bound used to hold funds for a market buy by quantity.
 */
export function priceBand(
  spec: MarketSpec,
  referenceTicks: IntLike,
): { minTicks: bigint; maxTicks: bigint } {
  const ref = toBigInt(referenceTicks);
  const bps = BigInt(spec.config.priceBandBps);
  const lower = ref * (10_000n - bps);
  const minTicks = (lower + 9_999n) / 10_000n;
  const maxTicks = (ref * (10_000n + bps)) / 10_000n;
  return { minTicks: minTicks < 1n ? 1n : minTicks, maxTicks };
}

/** Whether a market in `status` accepts new orders / cancellations. */
export function marketAllows(status: MarketStatus, action: 'place' | 'cancel'): boolean {
  if (status === 'trading') return true;
  return status === 'cancel_only' && action === 'cancel';
}
