import type { Result } from '../money';
import { err, isValidPpm, ok } from '../money';
import type { IntLike, MarketSpec } from '../markets';
import { baseUnits, notionalQuoteUnits, toBigInt } from '../markets';
import { SYSTEM_FEES, available, held } from './accounts';
import type { JournalEntry, Posting } from './journal';
import { nonZero, posting, validateEntry } from './journal';
import type { OrderReservation } from './reservation';
import { nextFee } from './reservation';

/** One side of a trade: the order's reservation and the fee rate this fill charges it. */
export interface TradeParty {
  reservation: OrderReservation;
  /** The party's rate for its role in this trade (maker or taker), in ppm. */
  feePpm: number;
}

/** A trade from the engine, in its integers. */
export interface TradeInput {
  tradeId: string;
  priceTicks: IntLike;
  qtyLots: IntLike;
  /** Which side was resting in the book. */
  makerSide: 'buy' | 'sell';
  maker: TradeParty;
  taker: TradeParty;
}

/** The settlement of one trade: its entry, both reservations after it, and the amounts. */
export interface Settlement {
  entry: JournalEntry;
  buyer: OrderReservation;
  seller: OrderReservation;
  /** Quote minor units. */
  notional: bigint;
  /** Base minor units. */
  baseAmount: bigint;
  /** Quote minor units charged to each side. */
  buyerFee: bigint;
  sellerFee: bigint;
}

function partyProblem(spec: MarketSpec, party: TradeParty, side: 'buy' | 'sell'): string | null {
  const r = party.reservation;
  const asset = side === 'buy' ? spec.quote.code : spec.base.code;
  if (r.side !== side || r.symbol !== spec.config.symbol || r.asset !== asset) {
    return `order ${r.orderId} is not a ${side} order holding ${asset} on ${spec.config.symbol}`;
  }
  if (!isValidPpm(party.feePpm) || party.feePpm > r.maxFeePpm) {
    return `fee ${party.feePpm} ppm for order ${r.orderId} exceeds the ${r.maxFeePpm} ppm its hold covers`;
  }
  return null;
}

function consume(
  r: OrderReservation,
  amount: bigint,
  fee: ReturnType<typeof nextFee>,
): OrderReservation {
  return {
    ...r,
    remaining: r.remaining - amount,
    feeAccrual: fee.feeAccrual,
    feesPaid: fee.feesPaid,
  };
}

/**
 * Settles a trade. Fees are in the quote asset for both sides (one fee currency per market
 * keeps the fee account and the maths simple, as most spot venues do for quote-side fees):
 * - buyer: held quote −(notional + buyerFee), available base +qty;
 * - seller: held base −qty, available quote +(notional − sellerFee);
 * - `system:fees`: +(buyerFee + sellerFee) quote.
 * Fees round up per order, cumulatively (see `OrderReservation`). Refused with
 * `invalid_trade` (wrong sides/market, non-positive price or qty, fee above the hold's rate)
 * or `reservation_exceeded` (a fill the hold cannot cover: an engine bug, never a user error).
 */
export function settleTrade(spec: MarketSpec, trade: TradeInput): Result<Settlement> {
  const [buy, sell] =
    trade.makerSide === 'buy' ? [trade.maker, trade.taker] : [trade.taker, trade.maker];
  const problem = tradeProblem(spec, trade, buy, sell);
  if (problem) return err('invalid_trade', problem, { tradeId: trade.tradeId });
  const notional = notionalQuoteUnits(spec, trade.priceTicks, trade.qtyLots);
  const baseAmount = baseUnits(spec, trade.qtyLots);
  const buyFee = nextFee(buy.reservation, notional, buy.feePpm);
  const sellFee = nextFee(sell.reservation, notional, sell.feePpm);
  const buyerCost = notional + buyFee.fee;
  const short =
    shortfall(buy.reservation, buyerCost, trade) ?? shortfall(sell.reservation, baseAmount, trade);
  if (short) return short;
  const amounts = { notional, baseAmount, buyerFee: buyFee.fee, sellerFee: sellFee.fee };
  const entry = validateEntry({
    kind: 'trade_settlement',
    refType: 'trade',
    refId: trade.tradeId,
    postings: settlementPostings(spec, buy.reservation.owner, sell.reservation.owner, amounts),
  });
  if (!entry.ok) return entry;
  return ok({
    entry: entry.value,
    buyer: consume(buy.reservation, buyerCost, buyFee),
    seller: consume(sell.reservation, baseAmount, sellFee),
    ...amounts,
  });
}

function tradeProblem(
  spec: MarketSpec,
  trade: TradeInput,
  buy: TradeParty,
  sell: TradeParty,
): string | null {
  if (toBigInt(trade.priceTicks) <= 0n || toBigInt(trade.qtyLots) <= 0n) {
    return `trade ${trade.tradeId} has a non-positive price or quantity`;
  }
  return partyProblem(spec, buy, 'buy') ?? partyProblem(spec, sell, 'sell');
}

/** A fill the hold cannot cover means the engine matched beyond the order: refuse it. */
function shortfall(
  r: OrderReservation,
  needed: bigint,
  trade: TradeInput,
): Result<Settlement> | null {
  if (needed <= r.remaining) return null;
  return err(
    'reservation_exceeded',
    `order ${r.orderId} holds too little for trade ${trade.tradeId}`,
    {
      orderId: r.orderId,
      needed: needed.toString(),
      remaining: r.remaining.toString(),
    },
  );
}

function settlementPostings(
  spec: MarketSpec,
  buyer: string,
  seller: string,
  a: { notional: bigint; baseAmount: bigint; buyerFee: bigint; sellerFee: bigint },
): Posting[] {
  const quote = spec.quote.code;
  const base = spec.base.code;
  return nonZero([
    posting(held(buyer, quote), -(a.notional + a.buyerFee)),
    posting(available(seller, quote), a.notional - a.sellerFee),
    posting(available(SYSTEM_FEES, quote), a.buyerFee + a.sellerFee),
    posting(held(seller, base), -a.baseAmount),
    posting(available(buyer, base), a.baseAmount),
  ]);
}
