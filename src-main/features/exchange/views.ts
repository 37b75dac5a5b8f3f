import type { Asset, MarketSpec } from '../../domain/markets';
import { lotsToQty, ticksToPrice } from '../../domain/markets';
import { formatDecimal } from '../../domain/money';
import type { OrderState, TradeRow } from './types';

/** The API shape of an order (decimals as strings). */
export function orderView(o: OrderState, spec: MarketSpec) {
  const quoteScale = spec.quote.scale;
  const quoteQty =
    o.quoteQty > 0 ? formatDecimal(BigInt(o.quoteQty) * spec.tickLotQuoteUnits, quoteScale) : null;
  return {
    orderId: o.id,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.kind,
    tif: o.tif,
    price: o.price > 0 ? ticksToPrice(spec, o.price) : null,
    stopPrice: o.stopPrice > 0 ? ticksToPrice(spec, o.stopPrice) : null,
    qty: o.qty > 0 ? lotsToQty(spec, o.qty) : null,
    quoteQty,
    filledQty: lotsToQty(spec, o.filledQty),
    openQty: lotsToQty(spec, o.openQty),
    filledQuote: formatDecimal(o.filledQuote, quoteScale),
    fees: formatDecimal(o.res.feesPaid, quoteScale),
    held: formatDecimal(o.res.remaining, o.side === 'buy' ? quoteScale : spec.base.scale),
    postOnly: o.postOnly,
    stp: o.stp,
    status: o.status,
    cancelReason: o.cancelReason,
    ...(o.listId !== undefined ? { orderListId: o.listId } : {}),
    ...(o.trail ? { trailing: trailingView(o.trail, spec) } : {}),
    tsCreated: o.tsCreated,
    tsUpdated: o.tsUpdated,
  };
}

export type OrderView = ReturnType<typeof orderView>;

/**
 * A trailing stop's distance, activation price, best price so far and when it started
 * tracking (null: not yet).
 */
function trailingView(t: NonNullable<OrderState['trail']>, spec: MarketSpec) {
  return {
    ...(t.bps > 0 ? { bps: t.bps } : { amount: ticksToPrice(spec, t.amount) }),
    activationPrice: t.from > 0 ? ticksToPrice(spec, t.from) : null,
    anchorPrice: t.anchor > 0 ? ticksToPrice(spec, t.anchor) : null,
    trackingSince: t.since > 0 ? t.since : null,
  };
}

/** Market configuration with the live best prices. */
export function marketView(
  spec: MarketSpec,
  book: { lastPrice: number; bestBid(): number; bestAsk(): number },
) {
  const px = (t: number) => (t > 0 ? ticksToPrice(spec, t) : null);
  const c = spec.config;
  return {
    symbol: c.symbol,
    base: c.base,
    quote: c.quote,
    tickSize: c.tickSize,
    lotSize: c.lotSize,
    minQty: c.minQty,
    minNotional: c.minNotional,
    makerFeePpm: c.makerFeePpm,
    takerFeePpm: c.takerFeePpm,
    status: c.status,
    priceBandBps: c.priceBandBps,
    lastPrice: px(book.lastPrice),
    bestBid: px(book.bestBid()),
    bestAsk: px(book.bestAsk()),
  };
}

export function assetView(a: Asset) {
  return { code: a.code, scale: a.scale, name: a.name };
}

/** One side of a fill as the `fills` stream and `trades.list` show it (decimals). */
export function fillView(t: TradeRow, side: 'buy' | 'sell', spec: MarketSpec) {
  const scale = spec.quote.scale;
  return {
    symbol: t.symbol,
    tradeId: t.tradeId,
    orderId: side === 'buy' ? t.buyOrderId : t.sellOrderId,
    side,
    role: t.takerSide === side ? ('taker' as const) : ('maker' as const),
    price: ticksToPrice(spec, t.price),
    qty: lotsToQty(spec, t.qty),
    quoteQty: formatDecimal(t.quoteUnits, scale),
    fee: formatDecimal(side === 'buy' ? t.buyerFee : t.sellerFee, scale),
    feeAsset: spec.quote.code,
    ts: t.ts,
  };
}
