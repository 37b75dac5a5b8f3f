// The answers of the trading-account operations, built from stored rows.
import { formatDecimal, formatDecimalText } from '../../domain/money';
import { marginState, unrealisedOf } from '../../domain/paper';
import type { PaperBroker } from '../../connectors/paper/broker';
import { positionRisk } from '../../connectors/paper/contracts';
import type { PaperAccount } from '../../connectors/paper/store';
import type { BrokerAttachedClose, BrokerOrder } from '../../connectors/broker/port';
import type { AccountRow, FillRow, PendingRow, PositionRow } from './repo';
import { BRIDGE_HASH } from './tokens';
import type { VenueDriver } from './venues';

const abs = (v: bigint) => (v < 0n ? -v : v);

/**
 * An open paper position, valued at the current quote; a future's or CFD's with its
 * maintenance requirement and liquidation price (which need the account: its balance and
 * other positions count).
 */
export function positionView(paper: PaperBroker, r: PositionRow, a?: PaperAccount) {
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
    trailPercent: percentOfBps(r.trailBps),
    trailAmount: r.trailAmount,
    takeProfit: r.takeProfit,
    openedAt: r.openedAt,
    ...contractFields(paper, r, m.contract?.kind ?? 'spot-cfd', a),
  };
}

function contractFields(
  paper: PaperBroker,
  r: PositionRow,
  kind: 'spot-cfd' | 'future' | 'cfd',
  a: PaperAccount | undefined,
) {
  if (kind === 'spot-cfd') return { kind };
  const risk = a ? positionRisk(paper, a, r.symbol) : null;
  const m = paper.market(r.symbol);
  return {
    kind,
    maintenanceMargin: risk ? formatDecimal(risk.maintenance, m.quoteScale) : null,
    liquidationPrice:
      risk?.liquidationPrice != null ? formatDecimal(risk.liquidationPrice, m.priceScale) : null,
  };
}

/** Basis points as a percent (`250` → `2.5`); null stays null. */
function percentOfBps(bps: number | null): string | null {
  return bps === null ? null : formatDecimalText(BigInt(bps), 2);
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
    trailPercent: percentOfBps(o.trailBps),
    trailAmount: o.trailAmount,
    trailTracking: (o.trailBps !== null || o.trailAmount !== null) && o.trailActive,
    stopLossTrailPercent: percentOfBps(o.stopLossTrailBps),
    stopLossTrailAmount: o.stopLossTrailAmount,
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

/**
 * A trading account as the operations answer it: its settings (never the bridge token's hash)
 * and, for venues that keep figures (paper), its summary in the account's currency.
 */
export function accountView(
  a: AccountRow,
  driver: VenueDriver,
  scaleOf: (a: AccountRow) => number,
) {
  return {
    id: a.id,
    name: a.name,
    venue: a.venue,
    mode: a.mode,
    enabled: a.enabled,
    baseCurrency: a.baseCurrency,
    tokenHint: a.tokenHint,
    paperConfig: a.paperConfig,
    createdAt: a.createdAt,
    lastSyncedAt: a.lastSyncedAt,
    summary: summaryView(a, driver, scaleOf),
    settings: a.brokerSettings
      ? Object.fromEntries(Object.entries(a.brokerSettings).filter(([k]) => k !== BRIDGE_HASH))
      : null,
    outageQueueSec: Math.round(a.outageQueueMs / 1000),
  };
}

/** A venue's figures for an account (paper), null for venues without them. */
export function summaryView(
  a: AccountRow,
  driver: VenueDriver,
  scaleOf: (a: AccountRow) => number,
) {
  const s = driver.summary(a);
  if (!s) return null;
  const scale = scaleOf(a);
  const f = (v: bigint) => formatDecimal(v, scale);
  return {
    currency: a.baseCurrency,
    balance: f(s.balance),
    unrealisedPnl: f(s.unrealised),
    equity: f(s.equity),
    marginUsed: f(s.marginUsed),
    freeMargin: f(s.freeMargin),
    marginLevelPct: s.marginLevelBp === null ? null : formatDecimal(s.marginLevelBp, 2),
    marginState: a.paperConfig ? marginState(s, a.paperConfig) : ('ok' as const),
    openPositions: driver.openPositions(a),
  };
}

/** An attached close as the API shows it: its fields only. */
const closeView = (c: BrokerAttachedClose) => ({
  type: c.type,
  price: c.price,
  offset: c.offset,
  limitPrice: c.limitPrice,
  trailPercent: c.trailPercent,
  trailAmount: c.trailAmount,
});

/**
 * A broker order as the API shows it: the view's fields only (a connector's extras, such as
 * `updatedAt`, are not part of it), the port's optional fields as null.
 */
export function brokerOrderView(o: BrokerOrder) {
  return {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    filledQty: o.filledQty,
    price: o.price,
    stopPrice: o.stopPrice,
    trailPercent: o.trailPercent ?? null,
    trailAmount: o.trailAmount ?? null,
    // Absent: the connector does not say (null); `[]`: the broker says there are none.
    closes: o.closes ? o.closes.map(closeView) : null,
    avgPrice: o.avgPrice,
    status: o.status,
    reason: o.reason ?? null,
  };
}
