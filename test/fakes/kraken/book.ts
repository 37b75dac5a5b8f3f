import {
  addDecimal,
  compareDecimal,
  divDecimal,
  mulDecimal,
  readDecimalText,
  subDecimal,
} from '../../../src-shared/decimal';
import { FakeCounter, fakeAgePenalty } from './limits';
import {
  closeText,
  newPeak,
  readTrailOffset,
  trailText,
  trailTrigger,
  triggers,
  type Trail,
} from './triggers';
import pairsFixture from './fixtures/asset-pairs.json';

/**
 * The fake Kraken's account and order book: balances (legacy asset codes), orders by txid,
 * trades, and the per-pair trading-engine counter. Every refusal is Kraken's own error string;
 * the HTTP layer (server.ts) only authenticates and routes.
 */

export type Pair = (typeof pairsFixture.result)['XXBTZUSD'];
export const PAIRS: Record<string, Pair> = pairsFixture.result;

export interface FakeOrder {
  txid: string;
  cl_ord_id: string | null;
  userref: number | null;
  pair: string;
  side: 'buy' | 'sell';
  ordertype: string;
  price: string;
  price2: string;
  vol: string;
  vol_exec: string;
  cost: string;
  status: 'pending' | 'open' | 'closed' | 'canceled' | 'expired';
  reason: string | null;
  opentm: number;
  closetm?: number;
  misc: string;
  /** A trailing stop's distance and peak; `price` is then its trigger now. */
  trail: Trail | null;
  /** The conditional close placed when this order fills (`close[ordertype]`, `close[price]`). */
  close: { ordertype: string; price: string } | null;
}

export interface FakeTrade {
  id: string;
  ordertxid: string;
  pair: string;
  time: number;
  side: 'buy' | 'sell';
  ordertype: string;
  price: string;
  vol: string;
  cost: string;
  fee: string;
}

/** A refusal with Kraken's error string. */
export class KrakenRefusal extends Error {}
const refuse = (s: string): never => {
  throw new KrakenRefusal(s);
};

const ORDER_TYPES = [
  'market',
  'limit',
  'stop-loss',
  'stop-loss-limit',
  'take-profit',
  'take-profit-limit',
  'trailing-stop',
];
/** `close[ordertype]` values add.yaml lists that the fake places (no iceberg, no *-limit). */
const CLOSE_TYPES = ['limit', 'stop-loss', 'take-profit', 'trailing-stop'];
const CL_ORD_ID =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|[\x20-\x7e]{1,18})$/i;

const dec = (v: string | undefined, what: string): string => {
  const r = v === undefined ? null : readDecimalText(v);
  if (!r || !r.ok) return refuse(`EGeneral:Invalid arguments:${what}`);
  return r.value;
};
const decimals = (s: string) => s.split('.')[1]?.length ?? 0;
const multipleOf = (v: string, step: string) => {
  const scale = Math.max(decimals(v), decimals(step));
  const u = (x: string) => BigInt(x.replace('.', '') + '0'.repeat(scale - decimals(x)));
  return u(v) % u(step) === 0n;
};

/**
 * A trailing stop's relative price, checked as Kraken checks it: `+` and a distance above
 * zero (`EGeneral:Invalid arguments:<field>` otherwise, the fake's choice of text, unverified),
 * and an amount (no `%`) within the pair's price decimals, refused with Kraken's own text for
 * a price with too many ("EOrder:Invalid price:XXBTZEUR price can only be specified up to 1
 * decimals.", as users have quoted it). Percentages are not limited here: Kraken truncates
 * the price they give to the pair's decimals.
 */
function trailOffset(
  v: string | undefined,
  key: string,
  pair: Pair,
  field: string,
): { offset: string; percent: boolean } {
  const offset = readTrailOffset(v) ?? refuse(`EGeneral:Invalid arguments:${field}`);
  if (!offset.percent && decimals(offset.offset) > pair.pair_decimals) {
    refuse(
      `EOrder:Invalid price:${key} price can only be specified up to ${pair.pair_decimals} decimals.`,
    );
  }
  return offset;
}

export type ExecPush = (item: Record<string, unknown>) => void;

export class FakeBook {
  readonly orders = new Map<string, FakeOrder>();
  readonly trades = new Map<string, FakeTrade>();
  /** Legacy asset code → balance. */
  readonly balances = new Map<string, string>([
    ['ZUSD', '100000'],
    ['XXBT', '10'],
    ['XETH', '100'],
  ]);
  /** Market price per pair key (fills of market orders and marketable limits). */
  readonly prices = new Map<string, string>([
    ['XXBTZUSD', '60000'],
    ['XETHXXBT', '0.05'],
  ]);
  private readonly engine = new Map<string, FakeCounter>();
  private seq = 0;
  deadManAt: number | null = null;

  constructor(
    private readonly clock: () => number,
    private readonly tradingLimit: { max: number; decayPerSec: number },
    private readonly push: ExecPush,
  ) {}

  pairOf(name: string | undefined): [string, Pair] {
    if (!name) return refuse('EGeneral:Invalid arguments:pair');
    const hit = Object.entries(PAIRS).find(
      ([k, p]) => k === name || p.altname === name || p.wsname === name,
    );
    return hit ?? refuse('EQuery:Unknown asset pair');
  }

  private counter(pair: string): FakeCounter {
    let c = this.engine.get(pair);
    if (!c) {
      c = new FakeCounter(this.tradingLimit.max, this.tradingLimit.decayPerSec, this.clock);
      this.engine.set(pair, c);
    }
    return c;
  }

  /** Charges the trading-engine counter, or refuses when it is full. */
  private charge(pair: string, cost: number): void {
    if (!this.counter(pair).take(cost)) refuse('EOrder:Rate limit exceeded');
  }

  /** Fills the trading counter (as another program on the same account would). */
  exhaustTrading(pairKey: string): void {
    this.counter(pairKey).fill();
  }

  available(asset: string): string {
    let held = '0';
    for (const o of this.orders.values()) {
      if (o.status !== 'open' && o.status !== 'pending') continue;
      const p = PAIRS[o.pair]!;
      const left = subDecimal(o.vol, o.vol_exec);
      if (o.side === 'buy' && p.quote === asset) {
        held = addDecimal(held, mulDecimal(left, o.price2 !== '0' ? o.price2 : o.price));
      }
      if (o.side === 'sell' && p.base === asset) held = addDecimal(held, left);
    }
    return subDecimal(this.balances.get(asset) ?? '0', held);
  }

  held(asset: string): string {
    return subDecimal(this.balances.get(asset) ?? '0', this.available(asset));
  }

  private newTxid(): string {
    const n = (++this.seq).toString(36).toUpperCase().padStart(5, '0');
    return `O${n}X-FAKE${n.slice(-1)}-K${n}R`.slice(0, 19);
  }

  /**
   * AddOrder (notes §1.8). Returns the txid (null for validate=true), the order's description
   * and, only when the order has a conditional close, the close's (`descr.close`).
   */
  add(p: Record<string, string>): { txid: string | null; descr: string; close?: string } {
    const [key, pair] = this.pairOf(p.pair);
    // The fixed +1 applies even when validation then fails [DOC spot-ratelimits].
    this.charge(key, 1);
    if (p.type !== 'buy' && p.type !== 'sell') refuse('EGeneral:Invalid arguments:type');
    if (!ORDER_TYPES.includes(p.ordertype ?? '')) refuse('EGeneral:Invalid arguments:ordertype');
    const vol = dec(p.volume, 'volume');
    if (decimals(vol) > pair.lot_decimals || compareDecimal(vol, '0') <= 0) {
      refuse('EGeneral:Invalid arguments:volume');
    }
    if (compareDecimal(vol, pair.ordermin) < 0) refuse('EOrder:Order minimum not met');
    const market = p.ordertype === 'market';
    const trailing = p.ordertype === 'trailing-stop';
    // A trailing stop's price must be relative with `+` (add.yaml); its trigger is computed.
    const offset = trailing ? trailOffset(p.price, key, pair, 'price') : null;
    const trail = offset ? { ...offset, peak: this.prices.get(key)! } : null;
    const price = market
      ? '0'
      : trail
        ? trailTrigger(p.type as 'buy' | 'sell', trail, pair.tick_size)
        : dec(p.price, 'price');
    if (!market && (compareDecimal(price, '0') <= 0 || !multipleOf(price, pair.tick_size))) {
      refuse(
        compareDecimal(price, '0') <= 0 ? 'EOrder:Invalid price' : 'EOrder:Tick size check failed',
      );
    }
    const limited = p.ordertype!.endsWith('-limit');
    const price2 = limited ? dec(p.price2, 'price2') : '0';
    if (limited && !multipleOf(price2, pair.tick_size)) refuse('EOrder:Tick size check failed');
    const close = this.readClose(p);
    if (p.userref !== undefined && p.cl_ord_id !== undefined) refuse('EGeneral:Invalid arguments');
    if (p.cl_ord_id !== undefined && !CL_ORD_ID.test(p.cl_ord_id)) {
      refuse('EGeneral:Invalid arguments:cl_ord_id');
    }
    if (p.timeinforce !== undefined && !['GTC', 'IOC', 'GTD'].includes(p.timeinforce)) {
      refuse('EGeneral:Invalid arguments:timeinforce');
    }
    const ref = limited ? price2 : market ? this.prices.get(key)! : price;
    if (compareDecimal(mulDecimal(vol, ref), pair.costmin) < 0)
      refuse('EOrder:Cost minimum not met');
    const need = p.type === 'buy' ? mulDecimal(vol, ref) : vol;
    const from = p.type === 'buy' ? pair.quote : pair.base;
    if (compareDecimal(this.available(from), need) < 0) refuse('EOrder:Insufficient funds');
    if (p.cl_ord_id !== undefined) {
      // (unverified) Kraken's answer to a cl_ord_id already in use by an open order.
      const dup = [...this.orders.values()].some(
        (o) => o.cl_ord_id === p.cl_ord_id && o.status === 'open',
      );
      if (dup) refuse('EOrder:Duplicate cl_ord_id');
    }
    const shown = trail ? trailText(trail, pair.pair_decimals) : price;
    const descr = `${p.type} ${vol} ${pair.altname} @ ${p.ordertype}${market ? '' : ` ${shown}`}`;
    const closeDescr = close ? { close: closeText(close, pair.pair_decimals) } : {};
    if (p.validate === 'true') return { txid: null, descr, ...closeDescr };
    const o: FakeOrder = {
      txid: this.newTxid(),
      cl_ord_id: p.cl_ord_id ?? null,
      userref: p.userref === undefined ? null : Number(p.userref),
      pair: key,
      side: p.type as 'buy' | 'sell',
      ordertype: p.ordertype!,
      price,
      price2,
      vol,
      vol_exec: '0',
      cost: '0',
      status: 'open',
      reason: null,
      opentm: this.clock() / 1000,
      misc: '',
      trail,
      close,
    };
    this.orders.set(o.txid, o);
    this.push({ exec_type: 'pending_new', order_status: 'pending_new', ...this.execOrder(o) });
    this.push({ exec_type: 'new', order_status: 'new', ...this.execOrder(o) });
    const mkt = this.prices.get(key)!;
    const marketable =
      market ||
      (p.ordertype === 'limit' &&
        (o.side === 'buy' ? compareDecimal(price, mkt) >= 0 : compareDecimal(price, mkt) <= 0));
    if (marketable) this.fill(o.txid, undefined, mkt);
    else if (p.timeinforce === 'IOC') this.close(o, 'canceled', 'Immediate or cancel');
    return { txid: o.txid, descr, ...closeDescr };
  }

  /**
   * `close[ordertype]` / `close[price]`: both or neither; a trailing close's price relative
   * with `+`, any other a price on the tick.
   */
  private readClose(p: Record<string, string>): FakeOrder['close'] {
    const type = p['close[ordertype]'];
    const price = p['close[price]'];
    if (type === undefined && price === undefined) return null;
    if (type === undefined || !CLOSE_TYPES.includes(type)) {
      return refuse('EGeneral:Invalid arguments:close[ordertype]');
    }
    if (type === 'trailing-stop') {
      const [key, pair] = this.pairOf(p.pair);
      trailOffset(price, key, pair, 'close[price]');
      return { ordertype: type, price: price! };
    }
    const ok =
      price !== undefined &&
      readDecimalText(price).ok &&
      compareDecimal(price, '0') > 0 &&
      multipleOf(price, this.pairOf(p.pair)[1].tick_size);
    if (!ok) refuse('EGeneral:Invalid arguments:close[price]');
    return { ordertype: type, price: price! };
  }

  /**
   * A trade on the pair at `price` (the market moved): trailing stops follow a new peak,
   * and stop-loss, take-profit and trailing stops it reaches trigger and fill at it.
   */
  tradeAt(pairKey: string, price: string): void {
    this.prices.set(pairKey, price);
    const tick = PAIRS[pairKey]!.tick_size;
    for (const o of [...this.orders.values()]) {
      if (o.pair !== pairKey || (o.status !== 'open' && o.status !== 'pending')) continue;
      if (o.trail && newPeak(o.side, o.trail.peak, price)) {
        o.trail.peak = price;
        o.price = trailTrigger(o.side, o.trail, tick);
      }
      const triggered =
        ['stop-loss', 'take-profit', 'trailing-stop'].includes(o.ordertype) &&
        triggers(o.ordertype, o.side, o.price, price);
      if (triggered) {
        o.misc = 'stopped';
        this.fill(o.txid, undefined, price);
      }
    }
  }

  /** The conditional close of a filled order: the same quantity, the other side. */
  private placeClose(o: FakeOrder): void {
    if (!o.close) return;
    const trail = o.close.ordertype === 'trailing-stop' ? readTrailOffset(o.close.price) : null;
    const side = o.side === 'buy' ? 'sell' : 'buy';
    const c: FakeOrder = {
      ...o,
      txid: this.newTxid(),
      cl_ord_id: null,
      userref: null,
      side,
      ordertype: o.close.ordertype,
      price: trail
        ? trailTrigger(side, { ...trail, peak: this.prices.get(o.pair)! }, PAIRS[o.pair]!.tick_size)
        : o.close.price,
      price2: '0',
      vol_exec: '0',
      cost: '0',
      status: 'open',
      reason: null,
      opentm: this.clock() / 1000,
      closetm: undefined,
      misc: '',
      trail: trail ? { ...trail, peak: this.prices.get(o.pair)! } : null,
      close: null,
    };
    this.orders.set(c.txid, c);
    this.push({ exec_type: 'new', order_status: 'new', ...this.execOrder(c) });
  }

  /** The order description every execution report carries (WS v2 field names). */
  execOrder(o: FakeOrder): Record<string, unknown> {
    const pair = PAIRS[o.pair]!;
    const [b, q] = pair.wsname.split('/');
    const v2 = (a: string) => (a === 'XBT' ? 'BTC' : a === 'XDG' ? 'DOGE' : a);
    return {
      order_id: o.txid,
      ...(o.cl_ord_id ? { cl_ord_id: o.cl_ord_id } : {}),
      symbol: `${v2(b!)}/${v2(q!)}`,
      side: o.side,
      order_type: o.ordertype,
      order_qty: o.vol,
      ...(o.ordertype === 'limit' ? { limit_price: o.price } : {}),
      ...(o.trail
        ? {
            triggers: {
              reference: 'last',
              price: o.trail.offset,
              price_type: o.trail.percent ? 'pct' : 'quote',
              actual_price: o.price,
              peak_price: o.trail.peak,
              status: 'untriggered',
            },
          }
        : o.ordertype !== 'limit' && o.ordertype !== 'market'
          ? {
              triggers: {
                reference: 'last',
                price: o.price,
                price_type: 'static',
                actual_price: o.price,
                status: 'untriggered',
              },
            }
          : {}),
      cum_qty: o.vol_exec,
      timestamp: new Date(this.clock()).toISOString(),
    };
  }

  find(id: string | undefined, clOrdId?: string): FakeOrder {
    const o = id
      ? this.orders.get(id)
      : [...this.orders.values()].find((x) => x.cl_ord_id === clOrdId && x.status === 'open');
    return o ?? refuse('EOrder:Unknown order');
  }

  private open(o: FakeOrder): FakeOrder {
    return o.status === 'open' || o.status === 'pending' ? o : refuse('EOrder:Unknown order');
  }

  close(o: FakeOrder, status: 'closed' | 'canceled' | 'expired', reason: string | null): void {
    o.status = status;
    o.reason = reason;
    o.closetm = this.clock() / 1000;
    const exec = status === 'closed' ? 'filled' : status;
    this.push({
      exec_type: exec,
      order_status: exec,
      order_id: o.txid,
      cum_qty: o.vol_exec,
      reason,
      timestamp: new Date(this.clock()).toISOString(),
    });
  }

  cancel(id: string | undefined, clOrdId: string | undefined): void {
    if (!id && !clOrdId) refuse('EGeneral:Invalid arguments');
    const o = this.open(this.find(id, clOrdId));
    this.charge(o.pair, fakeAgePenalty('cancel', this.clock() - o.opentm * 1000));
    this.close(o, 'canceled', 'User requested');
  }

  cancelAll(): number {
    const open = [...this.orders.values()].filter((o) => o.status === 'open');
    for (const o of open) this.close(o, 'canceled', 'User requested');
    return open.length;
  }

  amend(p: Record<string, string>): void {
    if (!p.txid && !p.cl_ord_id) refuse('EGeneral:Invalid arguments');
    const o = this.open(this.find(p.txid, p.cl_ord_id));
    const pair = PAIRS[o.pair]!;
    this.charge(o.pair, 1 + fakeAgePenalty('amend', this.clock() - o.opentm * 1000));
    const qty = p.order_qty === undefined ? o.vol : dec(p.order_qty, 'order_qty');
    if (compareDecimal(qty, o.vol_exec) <= 0 || decimals(qty) > pair.lot_decimals) {
      refuse('EGeneral:Invalid arguments:order_qty');
    }
    if (compareDecimal(qty, pair.ordermin) < 0) refuse('EOrder:Order minimum not met');
    const price = p.limit_price === undefined ? o.price : dec(p.limit_price, 'limit_price');
    if (!multipleOf(price, pair.tick_size)) refuse('EOrder:Tick size check failed');
    o.vol = qty;
    o.price = price;
    o.misc = 'amended';
    this.push({ exec_type: 'amended', order_status: 'new', ...this.execOrder(o) });
  }

  /** Fills `qty` (default: all that is left) of an open order at its limit (or `at`). */
  fill(id: string, qty?: string, at?: string): void {
    const o = this.open(this.find(id));
    const pair = PAIRS[o.pair]!;
    const left = subDecimal(o.vol, o.vol_exec);
    const q = qty ?? left;
    if (compareDecimal(q, left) > 0 || compareDecimal(q, '0') <= 0) throw new Error('bad fill qty');
    const price = at ?? (o.price2 !== '0' ? o.price2 : o.price);
    const cost = mulDecimal(q, price);
    const fee = mulDecimal(cost, '0.0026');
    const [gain, lose] = o.side === 'buy' ? [pair.base, pair.quote] : [pair.quote, pair.base];
    this.balances.set(
      gain,
      addDecimal(this.balances.get(gain) ?? '0', o.side === 'buy' ? q : cost),
    );
    this.balances.set(
      lose,
      subDecimal(this.balances.get(lose) ?? '0', o.side === 'buy' ? cost : q),
    );
    o.vol_exec = addDecimal(o.vol_exec, q);
    o.cost = addDecimal(o.cost, cost);
    const t: FakeTrade = {
      id: `T${(++this.seq).toString(36).toUpperCase()}-FAKE-TRADE`,
      ordertxid: o.txid,
      pair: o.pair,
      time: this.clock() / 1000,
      side: o.side,
      ordertype: o.ordertype,
      price,
      vol: q,
      cost,
      fee,
    };
    this.trades.set(t.id, t);
    const done = compareDecimal(o.vol_exec, o.vol) === 0;
    this.push({
      exec_type: 'trade',
      order_status: done ? 'filled' : 'partially_filled',
      ...this.execOrder(o),
      exec_id: t.id,
      last_qty: q,
      last_price: price,
      cost,
      fees: [{ asset: pair.quote === 'ZUSD' ? 'USD' : pair.quote, qty: fee }],
      liquidity_ind: 'm',
    });
    if (done) {
      this.close(o, 'closed', null);
      this.placeClose(o);
    }
  }

  /** The order as OpenOrders/ClosedOrders/QueryOrders show it. */
  view(o: FakeOrder): Record<string, unknown> {
    const pair = PAIRS[o.pair]!;
    const avg =
      o.vol_exec === '0' ? '0' : divDecimal(o.cost, o.vol_exec, pair.pair_decimals, 'half_even');
    return {
      refid: null,
      userref: o.userref,
      cl_ord_id: o.cl_ord_id,
      status: o.status,
      opentm: o.opentm,
      starttm: 0,
      expiretm: 0,
      descr: {
        pair: pair.altname,
        type: o.side,
        ordertype: o.ordertype,
        price: o.trail ? trailText(o.trail, pair.pair_decimals) : o.price,
        price2: o.price2,
        leverage: 'none',
        order: `${o.side} ${o.vol} ${pair.altname} @ ${o.ordertype} ${o.trail ? trailText(o.trail, pair.pair_decimals) : o.price}`,
        // Kraken's words for the close; "" when the order has none, as in the spec's examples.
        close: o.close ? closeText(o.close, pair.pair_decimals) : '',
      },
      vol: o.vol,
      vol_exec: o.vol_exec,
      cost: o.cost,
      fee: '0',
      price: avg,
      // (unverified) the current trigger of a triggered type; Kraken documents the field only.
      stopprice: ['stop-loss', 'take-profit', 'trailing-stop'].includes(o.ordertype)
        ? o.price
        : '0',
      limitprice: '0',
      misc: o.misc,
      oflags: 'fciq',
      ...(o.closetm !== undefined ? { closetm: o.closetm, reason: o.reason } : {}),
    };
  }
}
