import type { Result } from '../money';
import { PPM, applyPpm, divRound, err, isValidPpm, ok } from '../money';
import type { IntLike, MarketSpec } from '../markets';
import { baseUnits, notionalQuoteUnits, toBigInt } from '../markets';
import { available, held, mayTrade } from './accounts';
import type { JournalEntry } from './journal';
import { posting, validateEntry } from './journal';

/**
 * What an open order still holds. Settlement consumes it fill by fill and release returns
 * the rest, so the user's held balance always equals the sum of their reservations.
 *
 * Fees are charged cumulatively per order: after each fill the order has paid
 * ceil(feeAccrual / 10^6) in total, where feeAccrual = Σ notional × feePpm of its fills.
 * Rounding up per fill instead would let many small fills pay more than the hold's fee.
 */
export interface OrderReservation {
  orderId: string;
  owner: string;
  symbol: string;
  side: 'buy' | 'sell';
  /** The held asset: quote for a buy, base for a sell. */
  asset: string;
  /** Minor units still held. */
  remaining: bigint;
  /** Σ notional × feePpm over fills so far (quote minor units × ppm). */
  feeAccrual: bigint;
  /** Quote minor units of fee charged so far = ceil(feeAccrual / 10^6). */
  feesPaid: bigint;
  /** The highest fee rate the hold was sized for; a fill may not charge more. */
  maxFeePpm: number;
}

/**
 * What to size a hold on:
 * - sell (limit or market): the quantity, in base;
 * - buy with a price bound: the limit price, or for a market buy by quantity the price-band
 *   ceiling — notional at that price plus the maximum fee, in quote;
 * - buy by quote amount (market): that spend plus the maximum fee on it, in quote.
 */
export type HoldBasis =
  | { side: 'sell'; qtyLots: IntLike }
  | { side: 'buy'; qtyLots: IntLike; priceTicks: IntLike }
  | { side: 'buy'; quoteUnits: bigint };

/** An order to place, with what its hold is sized on. */
export interface HoldRequest {
  orderId: string;
  owner: string;
  basis: HoldBasis;
  /** Highest fee rate any fill of this order may charge; defaults to the market's taker fee. */
  maxFeePpm?: number;
}

/** The most an order can cost: asset and minor units to move from available to held. */
export function holdAmount(
  spec: MarketSpec,
  basis: HoldBasis,
  maxFeePpm: number,
): { asset: string; amount: bigint } {
  if (basis.side === 'sell')
    return { asset: spec.base.code, amount: baseUnits(spec, basis.qtyLots) };
  const spend =
    'quoteUnits' in basis
      ? basis.quoteUnits
      : notionalQuoteUnits(spec, basis.priceTicks, basis.qtyLots);
  return { asset: spec.quote.code, amount: spend + applyPpm(spend, maxFeePpm, 'ceil') };
}

function basisProblem(basis: HoldBasis): string | null {
  if ('quoteUnits' in basis) return basis.quoteUnits > 0n ? null : 'quote amount must be positive';
  if (toBigInt(basis.qtyLots) <= 0n) return 'quantity must be positive';
  if ('priceTicks' in basis && toBigInt(basis.priceTicks) <= 0n) return 'price must be positive';
  return null;
}

/**
 * Placing an order: moves its maximum cost from the owner's available to held and opens its
 * reservation. Refused with `invalid_user`, `invalid_order` or `invalid_rate`; a shortfall is
 * refused by `applyEntry` (`insufficient_funds`).
 */
export function placeOrderHold(
  spec: MarketSpec,
  request: HoldRequest,
): Result<{ entry: JournalEntry; reservation: OrderReservation }> {
  const maxFeePpm = request.maxFeePpm ?? spec.config.takerFeePpm;
  if (!mayTrade(request.owner))
    return err('invalid_user', `not a trading account: ${request.owner}`);
  if (!isValidPpm(maxFeePpm))
    return err('invalid_rate', `fee rate ${maxFeePpm} ppm is out of range`);
  const problem = basisProblem(request.basis);
  if (problem) return err('invalid_order', problem, { orderId: request.orderId });
  const { asset, amount } = holdAmount(spec, request.basis, maxFeePpm);
  const entry = validateEntry({
    kind: 'order_hold',
    refType: 'order',
    refId: request.orderId,
    postings: [
      posting(available(request.owner, asset), -amount),
      posting(held(request.owner, asset), amount),
    ],
  });
  if (!entry.ok) return entry;
  const reservation: OrderReservation = {
    orderId: request.orderId,
    owner: request.owner,
    symbol: spec.config.symbol,
    side: request.basis.side,
    asset,
    remaining: amount,
    feeAccrual: 0n,
    feesPaid: 0n,
    maxFeePpm,
  };
  return ok({ entry: entry.value, reservation });
}

/** Why a reservation is released (recorded as the entry's reason). */
export type ReleaseReason = 'cancelled' | 'expired' | 'filled' | 'rejected';

/**
 * Ends a reservation: whatever is still held goes back to available (a cancelled remainder,
 * or the excess of a buy that filled below its limit). `entry` is null when nothing is left.
 */
export function releaseReservation(
  reservation: OrderReservation,
  reason: ReleaseReason,
): { entry: JournalEntry | null; reservation: OrderReservation } {
  const closed = { ...reservation, remaining: 0n };
  if (reservation.remaining === 0n) return { entry: null, reservation: closed };
  const { owner, asset, remaining } = reservation;
  const entry: JournalEntry = {
    kind: 'order_release',
    refType: 'order',
    refId: reservation.orderId,
    reason,
    postings: [
      posting(held(owner, asset), -remaining),
      posting(available(owner, asset), remaining),
    ],
  };
  return { entry, reservation: closed };
}

/**
 * Fee for the next fill under cumulative charging: the order's total fee becomes
 * ceil(accrual' / 10^6) and this fill pays the increase. Never more than ceil of this fill
 * alone (so never more than its notional), and the order's total never exceeds the hold's fee.
 */
export function nextFee(
  reservation: OrderReservation,
  notional: bigint,
  feePpm: number,
): { fee: bigint; feeAccrual: bigint; feesPaid: bigint } {
  const feeAccrual = reservation.feeAccrual + notional * BigInt(feePpm);
  const feesPaid = divRound(feeAccrual, BigInt(PPM), 'ceil');
  return { fee: feesPaid - reservation.feesPaid, feeAccrual, feesPaid };
}
