import {
  CLOSE_UNSAID,
  type BrokerAttachedClose,
  type BrokerBalance,
  type BrokerFill,
  type BrokerInstrument,
  type BrokerOrder,
  type BrokerPosition,
} from '../broker/port';
import { compareDecimal, readDecimalText } from '../../../src-shared/decimal';
import type {
  CommandBody,
  CommandResult,
  HeartbeatBody,
  MtDeal,
  MtOrder,
  MtPosition,
  MtSymbol,
} from './protocol';

/**
 * Bourse's names ↔ the terminal's: many brokers add a suffix to every symbol (`EURUSD.r`,
 * `XAUUSDm`); the user gives it once and alerts keep the plain name.
 */
export class SymbolMap {
  constructor(private readonly suffix: string) {}

  toTerminal(symbol: string): string {
    return this.suffix && !symbol.endsWith(this.suffix) ? symbol + this.suffix : symbol;
  }

  fromTerminal(name: string): string {
    return this.suffix && name.endsWith(this.suffix) && name.length > this.suffix.length
      ? name.slice(0, -this.suffix.length)
      : name;
  }
}

export function toInstrument(s: MtSymbol, map: SymbolMap): BrokerInstrument {
  return {
    symbol: map.fromTerminal(s.name),
    venueId: s.name,
    kind: s.forex ? 'forex' : 'cfd',
    ...(s.forex && s.name.length >= 6
      ? { baseAsset: s.name.slice(0, 3), quoteAsset: s.name.slice(3, 6) }
      : {}),
    tickSize: s.tickSize,
    lotSize: s.volumeStep,
    minQty: s.volumeMin,
    tickValue: s.tickValue,
    contractSize: s.contractSize,
  };
}

export function toPosition(p: MtPosition, map: SymbolMap): BrokerPosition {
  return {
    symbol: map.fromTerminal(p.symbol),
    side: p.side === 'buy' ? 'long' : 'short',
    qty: p.volume,
    avgPrice: p.openPrice,
    unrealisedPnl: p.profit,
    positionId: p.ticket,
    // The terminal's own current price (a decimal string as the EA formatted it); an older EA
    // sends none and the session marks the position from quotes instead.
    ...(p.priceCurrent !== undefined ? { markPrice: p.priceCurrent } : {}),
  };
}

export function toBalances(hb: HeartbeatBody): BrokerBalance[] {
  return [
    { asset: hb.account.currency, total: hb.account.balance, available: hb.account.freeMargin },
  ];
}

/**
 * An order's stop-loss and take-profit as the terminal holds them (`ORDER_SL`/`ORDER_TP`,
 * MT4 `OrderStopLoss()`/`OrderTakeProfit()`): absolute prices, stop-loss first, as the EA
 * wrote them (at the symbol's digits, like the order's price). The EA sends null for none
 * (the terminal's 0.0); a zero (`"0.00000"`) reads as none as well, so an order says `[]`
 * rather than a close at 0.
 */
export function closesOf(
  sl: string | null | undefined,
  tp: string | null | undefined,
): BrokerAttachedClose[] {
  const level = (v: string | null | undefined) => {
    const r = v ? readDecimalText(v) : null;
    return r?.ok && compareDecimal(r.value, '0') > 0 ? v! : null;
  };
  const closes: BrokerAttachedClose[] = [];
  const stop = level(sl);
  const profit = level(tp);
  if (stop) closes.push({ ...CLOSE_UNSAID, type: 'stop_loss', price: stop });
  if (profit) closes.push({ ...CLOSE_UNSAID, type: 'take_profit', price: profit });
  return closes;
}

/** A pending order from the heartbeat, with its stop-loss and take-profit. */
export function toOrder(o: MtOrder, map: SymbolMap, clientOrderId: string | null): BrokerOrder {
  // MT5 stop-limit: `price` is the limit, `stopPrice` the trigger (the EA reports it so).
  const isStop = o.type === 'stop';
  return {
    orderId: o.ticket,
    clientOrderId,
    symbol: map.fromTerminal(o.symbol),
    side: o.side,
    type: o.type,
    qty: o.volume,
    filledQty: '0',
    price: isStop ? null : o.price,
    stopPrice: isStop ? o.price : o.stopPrice,
    closes: closesOf(o.sl, o.tp),
    avgPrice: null,
    status: 'open',
    updatedAt: o.setupTime * 1000,
  };
}

/**
 * The order an `open` command made, as its result describes it; its stop-loss and take-profit
 * are the ones the command carried (the result does not repeat them; the heartbeat's listing
 * of the order then shows the terminal's own).
 */
export function orderFromResult(
  cmd: Extract<CommandBody, { action: 'open' }>,
  r: CommandResult,
  map: SymbolMap,
): BrokerOrder {
  const status: BrokerOrder['status'] = !r.ok ? 'rejected' : (r.status ?? 'open');
  const filled =
    status === 'filled' ? (r.filledVolume ?? r.volume ?? cmd.volume) : (r.filledVolume ?? '0');
  return {
    orderId: r.ticket ?? '',
    clientOrderId: cmd.clientOrderId,
    symbol: map.fromTerminal(cmd.symbol),
    side: cmd.side,
    type: cmd.type,
    qty: r.volume ?? cmd.volume,
    filledQty: filled,
    price: cmd.price ?? null,
    stopPrice: cmd.stopPrice ?? null,
    closes: closesOf(cmd.sl, cmd.tp),
    avgPrice: status === 'filled' || status === 'partially_filled' ? (r.price ?? null) : null,
    status,
    reason: r.ok ? null : r.message,
    updatedAt: r.executedAt * 1000,
  };
}

export function toFill(d: MtDeal, map: SymbolMap, clientOrderId: string | null): BrokerFill {
  return {
    fillId: d.ticket,
    orderId: d.order,
    clientOrderId,
    symbol: map.fromTerminal(d.symbol),
    side: d.side,
    qty: d.volume,
    price: d.price,
    time: d.time * 1000,
  };
}

/** A position reported in both snapshots whose volume, price, current price or profit changed. */
export function positionChanged(a: MtPosition, b: MtPosition): boolean {
  return (
    a.volume !== b.volume ||
    a.openPrice !== b.openPrice ||
    a.profit !== b.profit ||
    a.sl !== b.sl ||
    a.priceCurrent !== b.priceCurrent
  );
}
