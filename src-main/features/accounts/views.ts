// The answers of the trading-account operations, built from stored rows.
import { formatDecimal } from '../../domain/money';
import { unrealisedOf } from '../../domain/paper';
import type { PaperBroker } from '../../connectors/paper/broker';
import type { FillRow, PendingRow, PositionRow } from './repo';

const abs = (v: bigint) => (v < 0n ? -v : v);

/** An open paper position, valued at the current quote. */
export function positionView(paper: PaperBroker, r: PositionRow) {
  const p = paper.decode(r);
  const m = paper.market(r.symbol);
  const q = paper.quote(r.symbol);
  const mark = paper.markOf(p);
  return {
    symbol: r.symbol,
    side: p.qty > 0n ? ('long' as const) : ('short' as const),
    qty: formatDecimal(abs(p.qty), m.baseScale),
    entryPrice: r.entryPrice,
    markPrice: mark === null ? null : formatDecimal(mark, m.priceScale),
    leverage: r.leverage,
    margin: r.margin,
    unrealisedPnl: q ? formatDecimal(unrealisedOf(m, p, q), m.quoteScale) : null,
    realisedPnl: r.realised,
    stopLoss: r.stopLoss,
    takeProfit: r.takeProfit,
    openedAt: r.openedAt,
  };
}

export function pendingView(o: PendingRow) {
  return {
    id: o.id,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    price: o.price,
    leverage: o.leverage,
    stopLoss: o.stopLoss,
    takeProfit: o.takeProfit,
    status: o.status,
    reason: o.reason,
    fillId: o.fillId,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export function fillView(f: FillRow) {
  return {
    id: f.id,
    symbol: f.symbol,
    side: f.side,
    qty: f.qty,
    price: f.price,
    touchPrice: f.touchPrice,
    slippagePpm: f.slippagePpm,
    commission: f.commission,
    realisedPnl: f.realisedPnl,
    reason: f.reason,
    ts: f.ts,
  };
}
