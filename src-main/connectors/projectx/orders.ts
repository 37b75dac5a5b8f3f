import { decimalsOf, unitsAt } from '../../../src-shared/decimal';
import { BrokerError } from '../broker/errors';
import type { BrokerInstrument, BrokerOrder, BrokerOrderRequest } from '../broker/port';
import { symbolOfContract, type ContractBook } from './instruments';
import {
  JsonDecimal,
  optionalDecimal,
  ORDER_TYPE,
  SIDE,
  sideOf,
  statusOf,
  timeOf,
  typeOf,
  VENUE,
  type WireOrder,
} from './protocol';

/** Wire orders as Bourse orders, and Bourse order requests as `/api/Order/place` bodies. */

export function toBrokerOrder(o: WireOrder, book: ContractBook | null): BrokerOrder {
  const filled = o.fillVolume ?? 0;
  return {
    orderId: String(o.id),
    clientOrderId: o.customTag ?? null,
    symbol: symbolOfContract(book, o.contractId),
    side: sideOf(o.side),
    type: typeOf(o.type),
    qty: String(o.size),
    filledQty: String(filled),
    price: optionalDecimal(o.limitPrice),
    stopPrice: optionalDecimal(o.stopPrice),
    // ProjectX's brackets are orders of their own (listed as such), never part of this one.
    closes: [],
    avgPrice: filled > 0 ? optionalDecimal(o.filledPrice) : null,
    status: statusOf(o.status, filled > 0),
    updatedAt: timeOf(o.updateTimestamp) ?? timeOf(o.creationTimestamp),
  };
}

const invalid = (message: string) => new BrokerError('invalid', VENUE, message);

/** Whole contracts only: the gateway's `size` is an integer. */
export function contractsOf(qty: string): number {
  if (!/^[1-9]\d{0,5}$/.test(qty)) {
    throw invalid(`quantity ${qty} is not a whole number of contracts (1 to 999999)`);
  }
  return Number(qty);
}

/** Exact: is `value` a whole number of `step`s? */
export function onStep(value: string, step: string): boolean {
  const scale = Math.max(decimalsOf(value), decimalsOf(step));
  const s = unitsAt(step, scale);
  return s > 0n && unitsAt(value, scale) % s === 0n;
}

function priceOn(i: BrokerInstrument, label: string, price: string | undefined): JsonDecimal {
  if (price === undefined) throw invalid(`a ${label} is required for this order type`);
  if (!/^\d+(\.\d+)?$/.test(price)) throw invalid(`${label} ${price} is not a decimal`);
  if (!onStep(price, i.tickSize))
    throw invalid(`${label} ${price} is not on the tick ${i.tickSize}`);
  return new JsonDecimal(price);
}

/** Whole ticks from the entry to a level, signed relative to the entry (level − entry). */
function ticksBetween(i: BrokerInstrument, entry: string, level: string, label: string): number {
  const scale = Math.max(decimalsOf(entry), decimalsOf(level), decimalsOf(i.tickSize));
  const diff = unitsAt(level, scale) - unitsAt(entry, scale);
  const tick = unitsAt(i.tickSize, scale);
  if (diff % tick !== 0n) throw invalid(`${label} ${level} is not a whole number of ticks away`);
  return Number(diff / tick);
}

export type BracketTicks = 'signed' | 'unsigned';

/**
 * ProjectX brackets are distances in ticks from the fill; Bourse gives absolute levels, so
 * they are measured from the order's own price (a market order has none: refused).
 * Observed clients send the ticks signed relative to the side (a buy's stop loss negative);
 * whether unsigned ticks work is (unverified), hence the setting.
 */
function brackets(r: BrokerOrderRequest, i: BrokerInstrument, mode: BracketTicks) {
  if (r.stopLoss === undefined && r.takeProfit === undefined) return {};
  const entry = r.type === 'stop' ? r.stopPrice : r.price;
  if (entry === undefined) {
    throw invalid('stop loss / take profit levels need an order price (a market order has none)');
  }
  const dir = r.side === 'buy' ? 1 : -1;
  const out: Record<string, { ticks: number; type: number }> = {};
  if (r.stopLoss !== undefined) {
    const t = ticksBetween(i, entry, r.stopLoss, 'stop loss');
    if (t * dir >= 0) throw invalid(`stop loss ${r.stopLoss} is on the wrong side of ${entry}`);
    out.stopLossBracket = { ticks: mode === 'signed' ? t : Math.abs(t), type: ORDER_TYPE.stop };
  }
  if (r.takeProfit !== undefined) {
    const t = ticksBetween(i, entry, r.takeProfit, 'take profit');
    if (t * dir <= 0) throw invalid(`take profit ${r.takeProfit} is on the wrong side of ${entry}`);
    out.takeProfitBracket = { ticks: mode === 'signed' ? t : Math.abs(t), type: ORDER_TYPE.limit };
  }
  return out;
}

/** The `/api/Order/place` body for a request, checked first against what the gateway takes. */
export function placeBody(
  r: BrokerOrderRequest,
  accountId: number,
  i: BrokerInstrument,
  mode: BracketTicks,
): Record<string, unknown> {
  if (r.reduceOnly) throw invalid('ProjectX has no reduce-only orders; close the position');
  if (r.timeInForce === 'IOC') throw invalid('ProjectX orders have no IOC time in force');
  if (!r.clientOrderId || r.clientOrderId.length > 64) {
    throw invalid('a client order id of 1 to 64 characters is required');
  }
  const body: Record<string, unknown> = {
    accountId,
    contractId: i.venueId,
    type: ORDER_TYPE[r.type],
    side: SIDE[r.side],
    size: contractsOf(r.qty),
    customTag: r.clientOrderId,
  };
  if (r.type === 'limit' || r.type === 'stop_limit') body.limitPrice = priceOn(i, 'price', r.price);
  if (r.type === 'stop' || r.type === 'stop_limit') {
    body.stopPrice = priceOn(i, 'stop price', r.stopPrice);
  }
  return { ...body, ...brackets(r, i, mode) };
}

/** What Bourse knows of an order the gateway just accepted (its answer is only the id). */
export function acceptedOrder(r: BrokerOrderRequest, orderId: number, now: number): BrokerOrder {
  return {
    orderId: String(orderId),
    clientOrderId: r.clientOrderId,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    qty: r.qty,
    filledQty: '0',
    price: r.type === 'limit' || r.type === 'stop_limit' ? (r.price ?? null) : null,
    stopPrice: r.type === 'stop' || r.type === 'stop_limit' ? (r.stopPrice ?? null) : null,
    avgPrice: null,
    // A market order fills at once; its fill arrives on the stream.
    status: r.type === 'market' ? 'pending' : 'open',
    updatedAt: now,
  };
}
