import { compareDecimal, decimalsOf, readDecimalText } from '../../../src-shared/decimal';
import { BrokerError } from '../broker/errors';
import type {
  BrokerFill,
  BrokerInstrument,
  BrokerOrder,
  BrokerOrderRequest,
  BrokerOrderStatus,
  BrokerOrderType,
} from '../broker/port';
import { listOf, readCloseText } from './conditional-close';
import { VENUE } from './errors';
import type { PairIndex } from './pairs';

/** An order as OpenOrders/ClosedOrders/QueryOrders return it (notes §1.7). */
export interface KrakenOrder {
  status: 'pending' | 'open' | 'closed' | 'canceled' | 'expired';
  cl_ord_id?: string | null;
  opentm: number;
  closetm?: number;
  /** Older answers (and the spec's OpenOrders example) carry only the `order` text. */
  descr: {
    pair?: string;
    type?: 'buy' | 'sell';
    ordertype?: string;
    price?: string;
    price2?: string;
    order?: string;
    /** The conditional close in words (`close position @ stop loss 58000.0`), `""` for none. */
    close?: string;
  };
  vol: string;
  vol_exec: string;
  price?: string;
  /**
   * The trigger price; on a trailing stop where it is now (descr.price is then relative:
   * `+2.0000%` by percent, `+50.0` by an amount in quote currency).
   */
  stopprice?: string;
  reason?: string | null;
}

/** A trade as TradesHistory returns it. */
export interface KrakenTrade {
  ordertxid: string;
  pair: string;
  time: number;
  type: 'buy' | 'sell';
  price: string;
  fee?: string;
  vol: string;
}

/** Canonical decimal text, or null for missing, unparsable or zero ("0.00000" = none). */
export function nonZero(v: string | undefined | null): string | null {
  if (v === undefined || v === null) return null;
  const r = readDecimalText(v);
  return r.ok && r.value !== '0' ? r.value : null;
}

const canon = (v: string): string => {
  const r = readDecimalText(v);
  return r.ok ? r.value : v;
};

const TYPES: Record<string, BrokerOrderType> = {
  market: 'market',
  limit: 'limit',
  iceberg: 'limit',
  'stop-loss': 'stop',
  'take-profit': 'stop',
  'trailing-stop': 'stop',
  'stop-loss-limit': 'stop_limit',
  'take-profit-limit': 'stop_limit',
  'trailing-stop-limit': 'stop_limit',
};

function statusOf(o: KrakenOrder): BrokerOrderStatus {
  switch (o.status) {
    case 'pending':
      return 'pending';
    case 'open':
      return nonZero(o.vol_exec) ? 'partially_filled' : 'open';
    case 'closed':
      return 'filled';
    case 'canceled':
      return 'cancelled';
    case 'expired':
      return 'expired';
  }
}

/**
 * An order's description in words → its parts, for a descr without fields (Kraken's answer to
 * AddOrder has only the words). The spec's examples: `sell 3.00000000 XBTUSD @ limit 500.00000`,
 * `sell 0.25000000 XBTUSD @ market`, `… @ limit 14500.0 with 5:1 leverage`. Kraken words its
 * other order types with spaces (`@ stop loss 58000.0`, `@ trailing stop +5.0000%`, and a
 * stop-loss-limit as `@ stop loss 22000.0 -> limit 21000.0`, as in its conditional-close
 * example); the hyphenated API names are read too.
 */
export function descrParts(
  order: string | undefined,
):
  | { side: 'buy' | 'sell'; pair: string; ordertype: string; price?: string; price2?: string }
  | undefined {
  const m = /^(buy|sell) \S+ (\S+) @ (.*)$/.exec(order ?? '');
  if (!m) return undefined;
  const [, side, pair, rest] = m as unknown as [string, 'buy' | 'sell', string, string];
  const [head = '', limit] = rest.split(' -> limit ');
  const words: string[] = [];
  let price: string | undefined;
  for (const token of head.split(' ')) {
    if (/^[+-]?\d/.test(token)) {
      price = token;
      break;
    }
    if (token === 'with') break;
    words.push(token);
  }
  const named = words.join('-');
  const ordertype = limit !== undefined ? `${named}-limit` : named;
  const price2 = limit?.split(' ')[0];
  return {
    side,
    pair,
    ordertype,
    ...(price !== undefined ? { price } : {}),
    ...(price2 ? { price2 } : {}),
  };
}

/**
 * A Kraken order in Bourse's words. Its `closes` are what `descr.close` says (one close, or
 * `[]`), and absent when that cannot be read (the connector then falls back to what Bourse
 * sent: `CloseMemory`).
 */
export function toBrokerOrder(id: string, o: KrakenOrder, pairs: PairIndex | null): BrokerOrder {
  const text = descrParts(o.descr.order);
  const d = {
    pair: o.descr.pair ?? text?.pair ?? '',
    side: o.descr.type ?? text?.side ?? 'buy',
    ordertype: o.descr.ordertype ?? text?.ordertype ?? 'limit',
    price: o.descr.price ?? text?.price,
  };
  const type = TYPES[d.ordertype] ?? 'limit';
  const trailing = d.ordertype.startsWith('trailing-stop');
  const p1 = trailing ? nonZero(o.stopprice) : nonZero(d.price);
  const p2 = nonZero(o.descr.price2 ?? text?.price2);
  const filled = nonZero(o.vol_exec);
  const close = readCloseText(o.descr.close);
  return {
    orderId: id,
    clientOrderId: o.cl_ord_id || null,
    symbol: pairs?.find(d.pair)?.symbol ?? d.pair,
    side: d.side,
    type,
    qty: canon(o.vol),
    filledQty: filled ?? '0',
    price: type === 'limit' ? p1 : type === 'stop_limit' ? p2 : null,
    stopPrice: type === 'stop' || type === 'stop_limit' ? p1 : null,
    ...(trailing ? trailDistanceOf(d.price) : {}),
    ...(close.ok ? { closes: listOf(close.close) } : {}),
    avgPrice: filled ? nonZero(o.price) : null,
    status: statusOf(o),
    reason: o.reason ?? null,
    updatedAt: Math.round((o.closetm ?? o.opentm) * 1000),
  };
}

/**
 * The distance of a trailing stop's relative price (`+2.5%`, `+2.5000%`) in percent; null for
 * an absolute offset (`+150`, a price distance) or anything else.
 */
export function percentOf(relative: string | undefined): string | null {
  const m = /^\+(\d+(?:\.\d+)?)%$/.exec(relative ?? '');
  return m ? nonZero(m[1]) : null;
}

/**
 * The distance of a trailing stop's relative price in price units (`+50`, `+50.0`: no `%`,
 * add.yaml's "absolute price difference"); null for a percentage or anything else.
 */
export function amountOf(relative: string | undefined): string | null {
  const m = /^\+(\d+(?:\.\d+)?)$/.exec(relative ?? '');
  return m ? nonZero(m[1]) : null;
}

/** A trailing stop's distance as Bourse says it: `trailAmount` without `%`, else `trailPercent`. */
function trailDistanceOf(
  relative: string | undefined,
): Pick<BrokerOrder, 'trailPercent' | 'trailAmount'> {
  const amount = amountOf(relative);
  return amount ? { trailAmount: amount } : { trailPercent: percentOf(relative) };
}

/** A TradesHistory entry as a fill (`orderId`/`symbol` mapped; client id unknown there). */
export function toBrokerFill(id: string, t: KrakenTrade, pairs: PairIndex | null): BrokerFill {
  return {
    fillId: id,
    orderId: t.ordertxid,
    clientOrderId: null,
    symbol: pairs?.find(t.pair)?.symbol ?? t.pair,
    side: t.type,
    qty: canon(t.vol),
    price: canon(t.price),
    fee: t.fee === undefined ? null : canon(t.fee),
    feeAsset: null,
    time: Math.round(t.time * 1000),
  };
}

/** Kraken's rule for `cl_ord_id`: a UUID, a 32-hex short UUID, or ≤ 18 printable ASCII chars. */
export function validClientOrderId(id: string): boolean {
  return (
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ||
    /^[0-9a-f]{32}$/i.test(id) ||
    /^[\x20-\x7e]{1,18}$/.test(id)
  );
}

const invalid = (message: string, field?: string) =>
  new BrokerError('invalid', VENUE, message, undefined, undefined, field);

/** `v` when it is a decimal above zero; refused naming `what` otherwise. */
function positive(v: string | undefined, what: string): string {
  if (v === undefined || readDecimalText(v).ok === false || compareDecimal(v, '0') <= 0) {
    throw invalid(`${what} must be a positive decimal`);
  }
  return v;
}

/**
 * A trailing distance as Kraken's relative price (add.yaml, `price`: "Trailing Stops: Must use
 * a relative price for this field, namely the `+` prefix, from which the direction will be
 * automatic based on if the original order is a buy or sell … The `%` suffix also works for
 * these order types to use a relative percentage price"): `+2.5%` for a percent, `+50` for an
 * amount in quote currency ("Prices can also be suffixed with a `%` to signify the relative
 * amount as a percentage, rather than an absolute price difference"). An amount is a price
 * difference, so it takes the pair's price decimals (`pair_decimals`, the tick): one with more
 * is refused here rather than rounded, as Kraken refuses it ("price can only be specified up
 * to N decimals"). Undefined when the request does not trail there.
 */
function relativeTrail(
  percent: string | undefined,
  amount: string | undefined,
  what: string,
  instrument: BrokerInstrument,
  /** The request's amount field (`trailAmount`, `stopLossTrailAmount`), named in a refusal. */
  field: string,
): string | undefined {
  if (percent !== undefined && amount !== undefined) {
    throw invalid(`${what}: give it in percent or in price units, not both`);
  }
  if (percent !== undefined) return `+${positive(percent, what)}%`;
  if (amount === undefined) return undefined;
  const value = readDecimalText(positive(amount, what));
  const canonical = value.ok ? value.value : amount;
  const scale = decimalsOf(instrument.tickSize);
  if (decimalsOf(canonical) > scale) {
    throw invalid(
      `${what} ${amount} has more decimals than ${instrument.symbol} prices take (${scale}); Kraken refuses it and Bourse does not round it`,
      field,
    );
  }
  return `+${canonical}`;
}

/** AddOrder parameters for a Bourse order request (notes §1.8). */
export function addOrderParams(
  r: BrokerOrderRequest,
  instrument: BrokerInstrument,
): Record<string, string | undefined> {
  if (!validClientOrderId(r.clientOrderId)) {
    throw invalid('client order id must be a UUID or at most 18 ASCII characters');
  }
  if (r.reduceOnly) throw invalid('spot orders cannot be reduce-only (there are no positions)');
  if (r.stopLoss !== undefined && r.takeProfit !== undefined) {
    throw invalid('Kraken attaches one conditional close per order: stop loss or take profit');
  }
  const trail = relativeTrail(
    r.trailPercent,
    r.trailAmount,
    'trailing distance',
    instrument,
    'trailAmount',
  );
  const closeTrail = relativeTrail(
    r.stopLossTrailPercent,
    r.stopLossTrailAmount,
    'trailing stop loss',
    instrument,
    'stopLossTrailAmount',
  );
  if (trail !== undefined && r.type !== 'stop') {
    throw invalid('a trailing stop is sent as a stop (trailing-stop) order');
  }
  if (closeTrail !== undefined && (r.stopLoss !== undefined || r.takeProfit !== undefined)) {
    throw invalid('Kraken attaches one conditional close per order: a trailing stop loss alone');
  }
  const ordertype =
    trail !== undefined
      ? 'trailing-stop'
      : { market: 'market', limit: 'limit', stop: 'stop-loss', stop_limit: 'stop-loss-limit' }[
          r.type
        ];
  const price =
    trail !== undefined
      ? trail
      : r.type === 'limit'
        ? positive(r.price, 'price')
        : r.type === 'market'
          ? undefined
          : positive(r.stopPrice, 'stop price');
  const close =
    closeTrail !== undefined
      ? { 'close[ordertype]': 'trailing-stop', 'close[price]': closeTrail }
      : r.stopLoss !== undefined
        ? { 'close[ordertype]': 'stop-loss', 'close[price]': positive(r.stopLoss, 'stop loss') }
        : r.takeProfit !== undefined
          ? {
              'close[ordertype]': 'take-profit',
              'close[price]': positive(r.takeProfit, 'take profit'),
            }
          : {};
  return {
    pair: instrument.venueId,
    type: r.side,
    ordertype,
    volume: positive(r.qty, 'quantity'),
    price,
    price2: r.type === 'stop_limit' ? positive(r.price, 'limit price') : undefined,
    timeinforce: r.timeInForce,
    cl_ord_id: r.clientOrderId,
    validate: r.validateOnly ? 'true' : undefined,
    ...close,
  };
}
