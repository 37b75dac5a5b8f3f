import { AppError } from '../../../src-shared/contract';
import { isLimitType, isStopType, isTriggerType } from '../../../src-shared/contract/exchange';
import type { PlaceInput } from './api';
import type { EngineEvent, PlaceCommand, ResultCode } from '../../domain/exchange';
import { holdRequirement, initialTrailStop, validatePlace } from '../../domain/exchange';
import { placeOrderHold, type HoldBasis } from '../../domain/ledger';
import {
  checkOrderSize,
  distanceToTicks,
  lotsToQty,
  notionalQuoteUnits,
  priceBand,
  priceToTicks,
  qtyToLots,
  quoteAmountToUnits,
  ticksToPrice,
  type MarketSpec,
} from '../../domain/markets';
import { formatDecimalTrimmed, type Result } from '../../domain/money';
import { amendTarget, clientKey, type ExchangeState } from './state';
import type { MarketRuntime, OrderState } from './types';

/** How long a client order id is remembered for idempotent retries (open or closed orders). */
export const CLIENT_ID_WINDOW_MS = 24 * 60 * 60 * 1000;

export type { PlaceInput };

const ENGINE_MESSAGES: Partial<Record<ResultCode, string>> = {
  market_halted: 'The market is halted',
  market_cancel_only: 'The market accepts cancellations only',
  post_only_would_take: 'A post-only order would have traded as taker',
  fok_cannot_fill: 'The fill-or-kill order could not be filled entirely at once',
  no_liquidity: 'Nothing to trade against',
  price_band: 'The market order found no price inside the price band',
  self_trade_prevented: 'Self-trade prevention cancelled the order',
  duplicate_client_order_id: 'An open order already uses this clientOrderId',
  unknown_order: 'No such open order',
  order_not_amendable: 'Only resting limit orders can be amended (not waiting stops)',
  no_reference_price:
    'A trailing stop without a stopPrice trails from the last trade price, and this market has not traded yet: give a stopPrice to start trailing at',
};

export function engineError(code: ResultCode, details?: Record<string, unknown>): AppError {
  return new AppError(code, ENGINE_MESSAGES[code] ?? `Refused by the engine: ${code}`, details);
}

/** The word an edge message starts with for a field that needs no prefix ("price: price …"). */
const SELF_NAMED: Record<string, string> = { price: 'price ', qty: 'quantity ' };

function unwrapEdge<T>(r: Result<T>, field: string): T {
  if (r.ok) return r.value;
  const named = r.error.message.startsWith(SELF_NAMED[field] ?? `${field} `);
  throw new AppError(r.error.code, named ? r.error.message : `${field}: ${r.error.message}`, {
    field,
    ...asObj(r.error.details),
  });
}

const asObj = (d: unknown): Record<string, unknown> =>
  typeof d === 'object' && d !== null ? (d as Record<string, unknown>) : {};

function invalid(message: string, field?: string): AppError {
  return new AppError('invalid_order', message, field ? { field } : undefined);
}

/** Edge validation with messages that carry the numbers, then the engine command. */
export function toPlaceCommand(
  m: MarketRuntime,
  userId: string,
  orderId: number,
  ts: number,
  input: PlaceInput,
): PlaceCommand {
  const spec = m.spec;
  const isTrigger = isTriggerType(input.type);
  const isLimit = isLimitType(input.type);
  if (isLimit && input.price === undefined)
    throw invalid(`${input.type} orders need a price`, 'price');
  if (!isLimit && input.price !== undefined)
    throw invalid(`${input.type} orders take no price (they run as market orders)`, 'price');
  const trails = input.trailBps !== undefined || input.trailAmount !== undefined;
  const trailField = input.trailBps !== undefined ? 'trailBps' : 'trailAmount';
  if (trails && !isStopType(input.type)) {
    throw invalid(
      `only stop orders trail (stop_market or stop_limit), not ${input.type}`,
      trailField,
    );
  }
  if (input.trailBps !== undefined && input.trailAmount !== undefined) {
    throw invalid(
      'a trailing stop trails by trailBps (percent) or by trailAmount (price units), not both',
      'trailAmount',
    );
  }
  // A trailing stop's stopPrice is optional: its activation price when given.
  if (!trails && isTrigger !== (input.stopPrice !== undefined)) {
    throw invalid(
      !isTrigger
        ? 'only stop and take-profit orders take a stopPrice'
        : isStopType(input.type)
          ? 'stop orders need a stopPrice (or trailBps or trailAmount)'
          : 'take-profit orders need a stopPrice: the price that triggers them',
      'stopPrice',
    );
  }
  if (trails && input.stopPrice === undefined && m.engine.lastPrice === 0) {
    throw engineError('no_reference_price', { symbol: input.symbol, field: 'stopPrice' });
  }
  if (isLimit && (input.qty === undefined || input.quoteQty !== undefined)) {
    throw invalid('limit orders need qty (and no quoteQty)', 'qty');
  }
  if (!isLimit && (input.qty === undefined) === (input.quoteQty === undefined)) {
    throw invalid('market orders need exactly one of qty and quoteQty', 'qty');
  }
  if (input.quoteQty !== undefined && input.side !== 'buy') {
    throw invalid('quoteQty is for market buys only', 'quoteQty');
  }
  if (!isLimit && input.tif !== undefined && input.tif !== 'IOC') {
    throw invalid('market orders are always IOC', 'tif');
  }
  if (input.postOnly === true && input.type !== 'limit') {
    throw invalid(`postOnly is for limit orders, not ${input.type}`, 'postOnly');
  }
  const cmd: PlaceCommand = {
    type: 'place',
    ts,
    orderId,
    userId,
    side: input.side,
    kind: input.type,
    tif: input.tif ?? (isLimit ? 'GTC' : 'IOC'),
  };
  if (input.clientOrderId !== undefined) cmd.clientOrderId = input.clientOrderId;
  if (input.trailBps !== undefined) cmd.trailBps = input.trailBps;
  if (input.trailAmount !== undefined)
    cmd.trailAmount = unwrapEdge(distanceToTicks(spec, input.trailAmount), 'trailAmount');
  if (input.postOnly) cmd.postOnly = true;
  if (input.stp) cmd.stp = input.stp;
  if (input.price !== undefined) cmd.price = unwrapEdge(priceToTicks(spec, input.price), 'price');
  if (input.stopPrice !== undefined) {
    cmd.stopPrice = unwrapEdge(priceToTicks(spec, input.stopPrice), 'stopPrice');
  }
  if (input.qty !== undefined) cmd.qty = unwrapEdge(qtyToLots(spec, input.qty), 'qty');
  if (input.quoteQty !== undefined) {
    const units = unwrapEdge(quoteAmountToUnits(spec, input.quoteQty), 'quoteQty');
    cmd.quoteQty = Number(units / spec.tickLotQuoteUnits);
  }
  if (cmd.trailAmount !== undefined) checkTrailReach(m, cmd, input);
  checkSizes(m, cmd);
  const code = validatePlace(m.engine.config, cmd);
  if (code !== null) throw engineError(code);
  return cmd;
}

/**
 * A sell trailing by an amount as large as the price it starts from (its activation price,
 * else the last price) would put its stop at one tick: a stop that could never trigger.
 */
function checkTrailReach(m: MarketRuntime, cmd: PlaceCommand, input: PlaceInput): void {
  const from = cmd.stopPrice ?? m.engine.lastPrice;
  if (cmd.side !== 'sell' || from === 0 || (cmd.trailAmount ?? 0) < from) return;
  const at = ticksToPrice(m.spec, from);
  throw invalid(
    `A sell trailing ${input.trailAmount} behind a price of ${at} would put its stop at or under 0: it would never trigger`,
    'trailAmount',
  );
}

function checkSizes(m: MarketRuntime, cmd: PlaceCommand): void {
  const spec = m.spec;
  const c = spec.config;
  if (cmd.qty !== undefined) {
    // A trailing stop tracking from placement is valued at the stop price it starts with.
    const valuedAt =
      cmd.price ?? initialTrailStop(cmd, m.engine.lastPrice, m.engine.config.tickSize);
    const size = checkOrderSize(spec, valuedAt, cmd.qty);
    if (!size.ok && (size.error.code === 'min_qty' || valuedAt > 0)) {
      const qty = lotsToQty(spec, cmd.qty);
      // Say what was measured: the quantity for min_qty, the order's value for min_notional.
      const got =
        size.error.code === 'min_notional'
          ? `${qty} × ${ticksToPrice(spec, valuedAt)} = ${formatDecimalTrimmed(notionalQuoteUnits(spec, valuedAt, cmd.qty), spec.quote.scale)} ${c.quote}`
          : qty;
      throw new AppError(size.error.code, `${size.error.message} (got ${got})`, {
        qty,
        minQty: c.minQty,
        minNotional: c.minNotional,
      });
    }
  }
  if (
    cmd.quoteQty !== undefined &&
    BigInt(cmd.quoteQty) * spec.tickLotQuoteUnits < spec.minNotionalUnits
  ) {
    throw new AppError(
      'min_notional',
      `quoteQty is below the minimum ${c.minNotional} ${c.quote}`,
      {
        minNotional: c.minNotional,
      },
    );
  }
  const last = m.engine.lastPrice;
  if (cmd.kind === 'limit' && cmd.price !== undefined && last > 0 && c.priceBandBps > 0) {
    const band = priceBand(spec, last);
    const p = BigInt(cmd.price);
    if (p < band.minTicks || p > band.maxTicks) {
      const lo = ticksToPrice(spec, band.minTicks);
      const hi = ticksToPrice(spec, band.maxTicks);
      throw new AppError(
        'price_band',
        `price ${ticksToPrice(spec, cmd.price)} is outside the band ${lo}–${hi} around the last price ${ticksToPrice(spec, last)}`,
        { price: ticksToPrice(spec, cmd.price), min: lo, max: hi },
      );
    }
  }
}

/** What the order's hold is sized on (see the ledger's HoldBasis). */
export function holdBasis(m: MarketRuntime, cmd: PlaceCommand): HoldBasis {
  const spec: MarketSpec = m.spec;
  const qty = cmd.qty ?? 0;
  if (cmd.side === 'sell') return { side: 'sell', qtyLots: qty };
  if (cmd.quoteQty !== undefined) {
    return { side: 'buy', quoteUnits: BigInt(cmd.quoteQty) * spec.tickLotQuoteUnits };
  }
  const need = holdRequirement(m.engine.config, cmd, m.engine.marketReference('buy'));
  if (need === null) {
    throw new AppError(
      'no_reference_price',
      'A market buy by quantity needs a reference price (a last trade or a resting ask) and a price band; give quoteQty instead',
    );
  }
  // The price per lot, not amount ÷ qty: past 2^53 the amount is not exact (reservations.ts).
  return { side: 'buy', qtyLots: qty, priceTicks: need.priceTicks ?? need.amount / qty };
}

/** True when a place command ended at once without touching anything but the taker. */
function refusedWhole(events: readonly EngineEvent[], orderId: number): boolean {
  if (events.length === 1 && events[0]?.type === 'rejected') return true;
  return (
    events.length === 2 &&
    events[0]?.type === 'accepted' &&
    events[1]?.type === 'cancelled' &&
    events[1].orderId === orderId
  );
}

/** Places an order inside the queue; returns the order (or the original one on a retry). */
function checkOpen(m: MarketRuntime, symbol: string): void {
  if (m.engine.status !== 'trading') {
    throw engineError(m.engine.status === 'halted' ? 'market_halted' : 'market_cancel_only', {
      symbol,
    });
  }
}

/**
 * Everything a placement checks before it reaches the book — the market is open, the order
 * keeps its rules (tick, lot, minimum size, price band), the funds cover its hold — and the
 * hold it would make. Changes nothing.
 */
function admit(
  s: ExchangeState,
  m: MarketRuntime,
  userId: string,
  orderId: number,
  input: PlaceInput,
) {
  checkOpen(m, input.symbol);
  const cmd = toPlaceCommand(m, userId, orderId, s.batch.ts, input);
  const spec = m.spec;
  const maxFeePpm = Math.max(spec.config.takerFeePpm, spec.config.makerFeePpm);
  const hold = placeOrderHold(spec, {
    orderId: String(orderId),
    owner: userId,
    basis: holdBasis(m, cmd),
    maxFeePpm,
  });
  if (!hold.ok) throw new AppError(hold.error.code, hold.error.message, hold.error.details);
  s.ledger.check(hold.value.entry);
  return { cmd, hold };
}

/** `orders.test`: what placing this order now would hold, or why it would be refused. */
export function testOrder(
  s: ExchangeState,
  userId: string,
  input: PlaceInput,
): { asset: string; amount: bigint } {
  const { hold } = admit(s, s.market(input.symbol), userId, s.nextOrderId, input);
  return { asset: hold.value.reservation.asset, amount: hold.value.reservation.remaining };
}

/**
 * How a repeated clientOrderId is read: `idempotent` (the native API) returns the order it
 * named within CLIENT_ID_WINDOW_MS, open or closed, so a retry never places twice;
 * `unique_open` (Binance's rule, for its facade) refuses one an open order uses and otherwise
 * places a new order.
 */
export type ClientIdRule = 'idempotent' | 'unique_open';

export function placeOrder(
  s: ExchangeState,
  userId: string,
  input: PlaceInput,
  findClient: (userId: string, cid: string, since: number) => number | undefined,
  rule: ClientIdRule = 'idempotent',
): { order: OrderState; spec: MarketSpec } | { existing: number } {
  const m = s.market(input.symbol);
  if (input.clientOrderId !== undefined && rule === 'unique_open') {
    const open = s.openByClient.get(clientKey(userId, input.clientOrderId));
    if (open !== undefined) throw engineError('duplicate_client_order_id', { orderId: open });
  } else if (input.clientOrderId !== undefined) {
    const key = clientKey(userId, input.clientOrderId);
    const known =
      s.batch.clientIds.get(key) ??
      s.openByClient.get(key) ??
      findClient(userId, input.clientOrderId, s.batch.ts - CLIENT_ID_WINDOW_MS);
    if (known !== undefined) return { existing: known };
  }
  checkOpen(m, input.symbol); // before the id is taken, as a refusal by the market takes none
  const orderId = s.nextOrderId++;
  const { cmd, hold } = admit(s, m, userId, orderId, input);
  const spec = m.spec;
  s.batch.markets.add(spec.config.symbol);
  const code = m.engine.execute(cmd);
  const events = m.engine.events.slice();
  if (refusedWhole(events, orderId)) {
    const reason = events[1]?.type === 'cancelled' ? events[1].reason : null;
    const finalCode =
      code !== 'ok'
        ? code
        : reason === 'no_liquidity'
          ? 'no_liquidity'
          : reason === 'fok'
            ? 'fok_cannot_fill'
            : 'self_trade_prevented';
    pushEvents(s, spec.config.symbol, events);
    // The id and the engine's reason let a door answer as its protocol does (Binance reports
    // an IOC/FOK that found nothing as an EXPIRED order, not a refusal).
    throw engineError(finalCode as ResultCode, { symbol: spec.config.symbol, orderId, reason });
  }
  const order: OrderState = {
    id: orderId,
    userId,
    symbol: spec.config.symbol,
    clientOrderId: input.clientOrderId ?? null,
    side: cmd.side,
    kind: cmd.kind,
    tif: cmd.tif ?? 'GTC',
    postOnly: cmd.postOnly ?? false,
    stp: cmd.stp ?? 'cancel_newest',
    price: cmd.price ?? 0,
    stopPrice: cmd.stopPrice ?? 0,
    qty: cmd.qty ?? 0,
    quoteQty: cmd.quoteQty ?? 0,
    openQty: cmd.qty ?? 0,
    filledQty: 0,
    filledQuote: 0n,
    status: 'new',
    cancelReason: null,
    waiting: false,
    priority: 0,
    res: hold.value.reservation,
    tsCreated: s.batch.ts,
    tsUpdated: s.batch.ts,
  };
  const trail = trailOf(cmd);
  if (trail) order.trail = trail;
  s.record(hold.value.entry);
  s.addOpen(order);
  s.applyEvents(m, events);
  return { order, spec };
}

/** Adds events of a refused command to the batch (they used sequence numbers). */
export function pushEvents(s: ExchangeState, symbol: string, events: EngineEvent[]): void {
  let list = s.batch.events.get(symbol);
  if (!list) s.batch.events.set(symbol, (list = []));
  list.push(...events);
}

/** Finds an open order of this user by id or client id. */
export function findOpen(
  s: ExchangeState,
  userId: string,
  ref: { orderId?: number; clientOrderId?: string },
): OrderState {
  const id =
    ref.orderId ??
    (ref.clientOrderId !== undefined
      ? s.openByClient.get(clientKey(userId, ref.clientOrderId))
      : undefined);
  if (ref.orderId === undefined && ref.clientOrderId === undefined) {
    throw new AppError('validation_failed', 'Give orderId or clientOrderId', {
      fields: [{ field: 'orderId', message: 'orderId or clientOrderId is required' }],
    });
  }
  const o = id !== undefined ? s.open.get(id) : undefined;
  if (!o || o.userId !== userId) {
    throw new AppError('unknown_order', `No open order ${ref.orderId ?? ref.clientOrderId}`, ref);
  }
  return o;
}

/** Cancels one resting order in its market's engine and applies what the engine did. */
export function cancelInEngine(
  s: ExchangeState,
  symbol: string,
  orderId: number,
  userId: string,
): void {
  const m = s.market(symbol);
  const code = m.engine.execute({ type: 'cancel', ts: s.batch.ts, orderId, userId });
  s.batch.markets.add(symbol);
  if (code !== 'ok') throw engineError(code);
  s.applyEvents(m, m.engine.events.slice());
}

export function cancelOrder(s: ExchangeState, o: OrderState): OrderState {
  cancelInEngine(s, o.symbol, o.id, o.userId);
  return o;
}

export function cancelAllOrders(
  s: ExchangeState,
  userId: string,
  symbol: string,
  reason: 'user' | 'dead_man_switch' = 'user',
): number {
  const m = s.market(symbol);
  m.engine.execute({ type: 'cancel_all', ts: s.batch.ts, userId, reason });
  const events = m.engine.events.slice();
  s.applyEvents(m, events);
  return events.filter((e) => e.type === 'cancelled').length;
}

export function amendOrder(
  s: ExchangeState,
  o: OrderState,
  input: { price?: string; qty?: string },
): OrderState {
  const m = s.market(o.symbol);
  if (o.waiting) throw engineError('order_not_amendable');
  const price =
    input.price !== undefined ? unwrapEdge(priceToTicks(m.spec, input.price), 'price') : o.price;
  const qty = input.qty !== undefined ? unwrapEdge(qtyToLots(m.spec, input.qty), 'qty') : o.openQty;
  const size = checkOrderSize(m.spec, price, qty);
  if (!size.ok)
    throw new AppError(size.error.code, size.error.message, { price: input.price, qty: input.qty });
  const delta = amendTarget(m, o, price, qty) - o.res.remaining;
  if (delta > 0n) {
    s.ledger.check({
      kind: 'order_hold',
      refType: 'order',
      refId: String(o.id),
      postings: [
        {
          account: { owner: o.userId, asset: o.res.asset, purpose: 'available' },
          asset: o.res.asset,
          amount: -delta,
        },
        {
          account: { owner: o.userId, asset: o.res.asset, purpose: 'held' },
          asset: o.res.asset,
          amount: delta,
        },
      ],
    });
  }
  s.batch.markets.add(o.symbol);
  const code = m.engine.execute({
    type: 'amend',
    ts: s.batch.ts,
    orderId: o.id,
    userId: o.userId,
    price,
    qty,
  });
  const events = m.engine.events.slice();
  if (!events.some((e) => e.type === 'amended')) {
    pushEvents(s, o.symbol, events);
    throw engineError(code);
  }
  s.applyEvents(m, events);
  return o;
}

/** The service's record of a trailing stop as placed (undefined: not one). */
export function trailOf(cmd: PlaceCommand): OrderState['trail'] {
  if (cmd.trailBps === undefined && cmd.trailAmount === undefined) return undefined;
  const from = cmd.stopPrice ?? 0;
  return { bps: cmd.trailBps ?? 0, amount: cmd.trailAmount ?? 0, anchor: 0, from, since: 0 };
}
