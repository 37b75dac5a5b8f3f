import { compareDecimal, decimalsOf, readDecimalText, unitsAt } from '../../../src-shared/decimal';
import type { Book, FakeInstrument, FakeOrder, FakePosition } from './book';

/** A refusal with an HTTP status: 4xx for a malformed request, as the real API answers. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;
type Answer = { status: number; body: unknown } | null;

/** The keys the SDK's create_order sends; anything else is refused. */
const PLACE_KEYS = new Set([
  'tradableInstrumentId',
  'qty',
  'side',
  'type',
  'price',
  'stopPrice',
  'validity',
  'routeId',
  'stopLoss',
  'stopLossType',
  'takeProfit',
  'takeProfitType',
  'strategyId',
]);

const bad = (msg: string): never => {
  throw new Refusal(400, msg);
};

const decimalString = (v: unknown, name: string): string => {
  if (typeof v !== 'string') return bad(`${name} must be a string`);
  const r = readDecimalText(v);
  if (!r.ok || compareDecimal(r.value, '0') <= 0)
    return bad(`${name} must be a positive decimal string`);
  return r.value;
};

/** A price field: a JSON number (read back with String, exact for what a client wrote) or null. */
const priceOf = (v: unknown, name: string): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !(v > 0)) return bad(`${name} must be a positive number`);
  const r = readDecimalText(String(v), { exponent: true });
  return r.ok ? r.value : bad(`${name} is not a number`);
};

const onStep = (value: string, step: string) => {
  const s = Math.max(decimalsOf(value), decimalsOf(step));
  return unitsAt(value, s) % unitsAt(step, s) === 0n;
};

/** A business refusal: answered `200 {s:'error', errmsg}` (the SDK reads it as a rejection). */
const refuse = (errmsg: string) => ({ ok: false as const, errmsg });

function checkQty(i: FakeInstrument, qty: string): string | null {
  if (compareDecimal(qty, i.minLot) < 0) return `Quantity is below the minimum lot ${i.minLot}`;
  if (compareDecimal(qty, i.maxLot) > 0) return `Quantity is above the maximum lot ${i.maxLot}`;
  if (!onStep(qty, i.lotStep)) return `Quantity must be a multiple of ${i.lotStep}`;
  return null;
}

/**
 * `POST /trade/accounts/{id}/orders`, strictly: the SDK's field set, strings for id and qty,
 * IOC for market and GTC for limit/stop, stopPrice for stop, a type for each SL/TP, strategyId
 * of at most 32 characters; lot, tick and SL/TP sides checked like a broker would. A refused
 * order is recorded as Rejected in the history, as TradeLocker does.
 */
export function placeOrder(
  book: Book,
  raw: unknown,
  rejectWith: string | null,
): { ok: true; orderId: string } | { ok: false; errmsg: string } {
  const b = raw as Body;
  for (const k of Object.keys(b)) if (!PLACE_KEYS.has(k)) bad(`Unknown field ${k}`);
  if (typeof b.tradableInstrumentId !== 'string' || !/^\d+$/.test(b.tradableInstrumentId)) {
    bad('tradableInstrumentId must be a string of digits');
  }
  const i = book.instrument(b.tradableInstrumentId as string);
  if (!i) throw new Refusal(404, 'Instrument not found');
  const qty = decimalString(b.qty, 'qty');
  if (b.side !== 'buy' && b.side !== 'sell') bad('side must be buy or sell');
  if (b.type !== 'market' && b.type !== 'limit' && b.type !== 'stop')
    bad('type must be market, limit or stop');
  const type = b.type as FakeOrder['type'];
  if (b.validity !== (type === 'market' ? 'IOC' : 'GTC'))
    bad(`validity ${String(b.validity)} is not allowed for ${type} orders`);
  if (typeof b.routeId !== 'string') bad('routeId must be a string');
  const price = priceOf(b.price, 'price');
  const stopPrice = priceOf(b.stopPrice, 'stopPrice');
  if (type === 'limit' && price === null) bad('price is required for limit orders');
  if (type === 'stop' && stopPrice === null) bad('stopPrice is required for stop orders');
  const stopLoss = priceOf(b.stopLoss, 'stopLoss');
  const takeProfit = priceOf(b.takeProfit, 'takeProfit');
  if (
    stopLoss !== null &&
    !['absolute', 'offset', 'trailingOffset'].includes(String(b.stopLossType))
  )
    bad('stopLossType is required with stopLoss');
  if (takeProfit !== null && !['absolute', 'offset'].includes(String(b.takeProfitType)))
    bad('takeProfitType is required with takeProfit');
  if (
    b.strategyId !== null &&
    b.strategyId !== undefined &&
    (typeof b.strategyId !== 'string' || b.strategyId.length > 32)
  ) {
    bad('strategyId must be a string of at most 32 characters');
  }
  const o = book.blank(i.id, b.routeId as string, b.side as 'buy' | 'sell', type, qty);
  Object.assign(o, {
    price: type === 'limit' ? price : null,
    stopPrice: type === 'stop' ? stopPrice : null,
    stopLoss,
    stopLossType: stopLoss !== null ? b.stopLossType : null,
    takeProfit,
    takeProfitType: takeProfit !== null ? b.takeProfitType : null,
    strategyId: (b.strategyId as string | null | undefined) ?? null,
  });
  const why = rejectWith ?? businessCheck(i, o, b.routeId as string);
  if (why) {
    o.status = 'Rejected';
    book.orders.set(o.id, o);
    return refuse(why);
  }
  book.add(o);
  return { ok: true, orderId: o.id };
}

function businessCheck(i: FakeInstrument, o: FakeOrder, routeId: string): string | null {
  if (routeId !== i.tradeRoute) return 'Invalid route';
  const lot = checkQty(i, o.qty);
  if (lot) return lot;
  const level = o.price ?? o.stopPrice;
  if (level !== null && !onStep(level, i.tick)) return `Price must be a multiple of ${i.tick}`;
  if (o.type === 'stop') {
    const wrongSide =
      o.side === 'buy'
        ? compareDecimal(o.stopPrice!, i.ask) <= 0
        : compareDecimal(o.stopPrice!, i.bid) >= 0;
    if (wrongSide) return 'Invalid stop price';
  }
  const ref = o.price ?? o.stopPrice ?? (o.side === 'buy' ? i.ask : i.bid);
  if (o.stopLossType === 'absolute' && o.stopLoss !== null) {
    const ok =
      o.side === 'buy' ? compareDecimal(o.stopLoss, ref) < 0 : compareDecimal(o.stopLoss, ref) > 0;
    if (!ok) return 'Invalid stop loss price';
  }
  if (o.takeProfitType === 'absolute' && o.takeProfit !== null) {
    const ok =
      o.side === 'buy'
        ? compareDecimal(o.takeProfit, ref) > 0
        : compareDecimal(o.takeProfit, ref) < 0;
    if (!ok) return 'Invalid take profit price';
  }
  return null;
}

const MODIFY_KEYS = new Set(['qty', 'price', 'stopPrice', 'validity']);

/** `PATCH /trade/orders/{id}`: qty (string), price / stopPrice (numbers) of a working order. */
export function modifyOrder(book: Book, o: FakeOrder, raw: unknown): Answer {
  const b = raw as Body;
  if (Object.keys(b).length === 0) bad('Nothing to modify');
  for (const k of Object.keys(b)) if (!MODIFY_KEYS.has(k)) bad(`Unknown field ${k}`);
  const i = book.instrument(o.instrumentId)!;
  const qty = b.qty === undefined ? o.qty : decimalString(b.qty, 'qty');
  const price = b.price === undefined ? o.price : priceOf(b.price, 'price');
  const stopPrice = b.stopPrice === undefined ? o.stopPrice : priceOf(b.stopPrice, 'stopPrice');
  if (b.price !== undefined && o.type !== 'limit') bad('price applies to limit orders');
  if (b.stopPrice !== undefined && o.type !== 'stop') bad('stopPrice applies to stop orders');
  const why =
    checkQty(i, qty) ??
    (compareDecimal(qty, o.filledQty) <= 0 ? 'Quantity is below the filled quantity' : null);
  const level = price ?? stopPrice;
  const tick =
    level !== null && !onStep(level, i.tick) ? `Price must be a multiple of ${i.tick}` : null;
  if (why ?? tick) return { status: 200, body: { s: 'error', errmsg: why ?? tick } };
  Object.assign(o, { qty, price, stopPrice, lastModified: book.now() });
  const at = book.marketPrice(o);
  if (at !== null) book.fill(o.id, qty, at);
  return null;
}

/** `DELETE /trade/positions/{id}` with `{"qty":"<n>"}`: `"0"` closes all of it. */
export function closePosition(book: Book, p: FakePosition, raw: unknown): Answer {
  const b = raw as Body;
  if (Object.keys(b).join(',') !== 'qty' || typeof b.qty !== 'string')
    bad('Body must be {"qty":"<n>"}');
  const r = readDecimalText(b.qty as string);
  if (!r.ok || compareDecimal(r.value, '0') < 0) bad('qty must be a non-negative decimal string');
  const qty = (r as { value: string }).value;
  const i = book.instrument(p.instrumentId)!;
  if (compareDecimal(qty, p.qty) > 0)
    return { status: 200, body: { s: 'error', errmsg: 'Quantity exceeds the position' } };
  if (qty !== '0' && !onStep(qty, i.lotStep))
    return {
      status: 200,
      body: { s: 'error', errmsg: `Quantity must be a multiple of ${i.lotStep}` },
    };
  book.close(p, qty);
  return null;
}
