import { addDecimal, subDecimal } from '../../../src-shared/decimal';
import { BrokerError, isBrokerError } from '../broker/errors';
import type {
  BrokerAmendRequest,
  BrokerBalance,
  BrokerConnector,
  BrokerDeps,
  BrokerEvent,
  BrokerFill,
  BrokerInstrument,
  BrokerOrder,
  BrokerOrderRequest,
  BrokerPosition,
  ConnectionReport,
} from '../broker/port';
import { CloseMemory, closeOfRequest, listOf, readCloseText } from './conditional-close';
import { VENUE } from './errors';
import {
  addOrderParams,
  toBrokerFill,
  toBrokerOrder,
  type KrakenOrder,
  type KrakenTrade,
} from './orders';
import { normaliseAsset, PairIndex, toInstrument, type KrakenAssetPair } from './pairs';
import { probeConnection } from './probe';
import {
  realSleep,
  TRADING_LIMITS,
  TradingCounters,
  type KrakenTier,
  type Sleep,
} from './rate-limit';
import { KrakenRest, krakenKeyId } from './rest';
import { KrakenMarketStream, type BookDepth } from './market-stream';
import { KrakenStream } from './stream';

export interface KrakenSettings {
  baseUrl: string;
  wsUrl: string;
  /** Public WebSocket v2 (books, trades); default `wss://ws.kraken.com/v2`. */
  publicWsUrl?: string;
  tier: KrakenTier;
  /** Deadline of one REST call (ms). */
  timeoutMs: number;
  /** WebSocket ping period (ms). */
  pingMs: number;
}

export interface KrakenSecrets {
  apiKey: string;
  apiSecret: string;
  otp?: string;
}

/** One OHLC bar (`time` in epoch ms, prices and volumes as decimal strings). */
export interface KrakenCandle {
  time: number;
  open: string;
  high: string;
  low: string;
  close: string;
  vwap: string;
  volume: string;
  count: number;
}

type BalanceEx = Record<
  string,
  { balance: string; hold_trade?: string; credit?: string; credit_used?: string }
>;

/**
 * Bourse's Kraken Spot connector: REST for everything that asks or changes, the private
 * WebSocket v2 `executions` channel for pushes. Spot has no positions.
 */
export class KrakenConnector implements BrokerConnector {
  readonly venue = VENUE;
  /**
   * `trailing-stop` orders and conditional closes, by percent or by an amount in quote
   * currency (add.yaml: a relative price with `+`; `%` for a percentage, none for "an absolute
   * price difference").
   */
  readonly trailing = { entry: true, stopLoss: true, amount: true };
  readonly rest: KrakenRest;
  private pairs: PairIndex | null = null;
  private readonly trading: TradingCounters;
  private readonly streams = new Set<KrakenStream>();
  private readonly marketStreams = new Set<KrakenMarketStream>();
  private readonly sleep: Sleep;
  /** The conditional closes of orders: Kraken's reports, else what Bourse sent. */
  private readonly closes = new CloseMemory();

  constructor(
    readonly settings: KrakenSettings,
    private readonly secrets: KrakenSecrets,
    private readonly deps: BrokerDeps,
    opts: { sleep?: Sleep } = {},
  ) {
    this.sleep = opts.sleep ?? realSleep;
    const baseUrl = settings.baseUrl.replace(/\/+$/, '');
    this.trading = tradingCountersOf(deps, baseUrl, secrets.apiKey, settings.tier, this.sleep);
    this.rest = new KrakenRest({
      baseUrl,
      apiKey: secrets.apiKey,
      apiSecret: secrets.apiSecret,
      otp: secrets.otp,
      tier: settings.tier,
      timeoutMs: settings.timeoutMs,
      deps,
      sleep: this.sleep,
    });
  }

  async serverTime(): Promise<{ serverTime: number; skewMs: number }> {
    const sent = this.deps.now();
    const r = await this.rest.public<{ unixtime: number }>('Time');
    const local = (sent + this.deps.now()) / 2;
    const serverTime = r.unixtime * 1000;
    // Kraken's clock has one-second resolution: skew is only known to about ±1 s.
    return { serverTime, skewMs: Math.round(serverTime - local) };
  }

  async systemStatus(): Promise<{ status: string; timestamp: string }> {
    return this.rest.public('SystemStatus');
  }

  async assets(): Promise<Record<string, { altname: string; decimals: number; status?: string }>> {
    return this.rest.public('Assets');
  }

  testConnection(): Promise<ConnectionReport> {
    return probeConnection(this, this.secrets.apiKey, !!this.secrets.otp, this.deps.now);
  }

  async instruments(): Promise<BrokerInstrument[]> {
    const r = await this.rest.public<Record<string, KrakenAssetPair>>('AssetPairs');
    const list = Object.entries(r).map(([k, p]) => toInstrument(k, p));
    this.pairs = new PairIndex(list);
    return list;
  }

  private async instrument(symbol: string): Promise<BrokerInstrument> {
    const hit = this.pairs?.find(symbol) ?? (await this.instruments(), this.pairs?.find(symbol));
    if (!hit) throw new BrokerError('invalid', VENUE, `unknown instrument ${symbol}`);
    return hit;
  }

  private async index(): Promise<PairIndex> {
    if (!this.pairs) await this.instruments();
    return this.pairs!;
  }

  async balances(): Promise<BrokerBalance[]> {
    const r = await this.rest.private<BalanceEx>('BalanceEx');
    return Object.entries(r).map(([asset, b]) => ({
      asset: normaliseAsset(asset),
      total: addDecimal(b.balance),
      available: subDecimal(
        addDecimal(b.balance, b.credit ?? '0'),
        addDecimal(b.credit_used ?? '0', b.hold_trade ?? '0'),
      ),
    }));
  }

  /** `Balance`: plain totals per asset (Kraken's codes normalised). */
  async balanceTotals(): Promise<Record<string, string>> {
    const r = await this.rest.private<Record<string, string>>('Balance');
    return Object.fromEntries(Object.entries(r).map(([a, v]) => [normaliseAsset(a), v]));
  }

  /** `TradeBalance` in one asset (default `ZUSD`): equity, margin, free margin… as strings. */
  async tradeBalance(asset = 'ZUSD'): Promise<Record<string, string>> {
    return this.rest.private('TradeBalance', { asset });
  }

  positions(): Promise<BrokerPosition[]> {
    return Promise.resolve([]);
  }

  closePosition(symbol: string): Promise<BrokerOrder | null> {
    return Promise.reject(
      new BrokerError(
        'invalid',
        VENUE,
        `Kraken Spot has no positions to close (${symbol}): sell or buy the asset with an order`,
      ),
    );
  }

  async openOrders(): Promise<BrokerOrder[]> {
    const r = await this.rest.private<{ open: Record<string, KrakenOrder> }>('OpenOrders');
    const pairs = await this.index();
    return Object.entries(r.open).map(([id, o]) => this.toOrder(id, o, pairs));
  }

  /** One page (50) of closed orders, newest first; `ofs` pages further back. */
  async closedOrders(ofs = 0): Promise<BrokerOrder[]> {
    const r = await this.rest.private<{ closed: Record<string, KrakenOrder> }>('ClosedOrders', {
      ofs: String(ofs),
    });
    const pairs = await this.index();
    return Object.entries(r.closed).map(([id, o]) => this.toOrder(id, o, pairs));
  }

  /** Orders by Kraken id (up to 50). */
  async queryOrders(ids: string[]): Promise<BrokerOrder[]> {
    const r = await this.rest.private<Record<string, KrakenOrder>>('QueryOrders', {
      txid: ids.join(','),
    });
    const pairs = await this.index();
    return Object.entries(r).map(([id, o]) => this.toOrder(id, o, pairs));
  }

  /** The newest page of the account's trades (the session stores what its stream missed). */
  recentFills(): Promise<BrokerFill[]> {
    return this.trades(0);
  }

  /** One page (50) of the account's trades as fills. */
  async trades(ofs = 0): Promise<BrokerFill[]> {
    const r = await this.rest.private<{ trades: Record<string, KrakenTrade> }>('TradesHistory', {
      ofs: String(ofs),
    });
    const pairs = await this.index();
    return Object.entries(r.trades).map(([id, t]) => toBrokerFill(id, t, pairs));
  }

  /**
   * The order with this `cl_ord_id`: open ones first, then closed ones. This is how a place
   * whose answer was lost is resolved, before anything is sent again.
   */
  async findOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    const pairs = await this.index();
    const open = await this.rest.private<{ open: Record<string, KrakenOrder> }>('OpenOrders', {
      cl_ord_id: clientOrderId,
    });
    const closed = Object.keys(open.open).length
      ? { closed: {} }
      : await this.rest.private<{ closed: Record<string, KrakenOrder> }>('ClosedOrders', {
          cl_ord_id: clientOrderId,
        });
    const hit = Object.entries({ ...open.open, ...closed.closed }).find(
      ([, o]) => o.cl_ord_id === clientOrderId,
    );
    return hit ? this.toOrder(hit[0], hit[1], pairs) : null;
  }

  /**
   * An order Kraken reported, with its conditional close: Kraken's `descr.close` when it can be
   * read (and kept, so the stream's reports of the order carry it too). When the text is
   * missing or in a form not read, the fallback: what Kraken last reported for the order in a
   * readable form, else what Bourse sent when it placed it; absent when neither is known.
   */
  private toOrder(id: string, o: KrakenOrder, pairs: PairIndex): BrokerOrder {
    const order = toBrokerOrder(id, o, pairs);
    if (order.closes !== undefined) {
      this.closes.known(id, order.closes);
      return order;
    }
    const sent = this.closes.recall(id, order.clientOrderId);
    return sent === undefined ? order : { ...order, closes: sent };
  }

  async place(r: BrokerOrderRequest): Promise<BrokerOrder> {
    const i = await this.instrument(r.symbol);
    const params = addOrderParams(r, i);
    const sent = closeOfRequest(r);
    // Kept before sending: the stream may report the order before AddOrder's answer arrives.
    if (!r.validateOnly) this.closes.sending(r.clientOrderId, listOf(sent));
    await this.trading.beforeAdd(i.venueId);
    const res = await this.rest
      .private<{ txid?: string[]; descr?: { close?: string } }>('AddOrder', params, true)
      .catch((e: unknown) => {
        // Kraken's counter for this pair is the truth: align ours so the next place waits.
        if (isBrokerError(e, 'rate_limited') && e.brokerMessage?.startsWith('EOrder:')) {
          this.trading.refused(i.venueId);
        }
        throw e;
      });
    const orderId = res.txid?.[0] ?? '';
    if (orderId) this.trading.placed(orderId, i.venueId);
    // Kraken's own description of the close it attached ("close position @ trailing stop
    // +2.0000%"); Bourse's request when the answer has none or in a form not read.
    const reported = readCloseText(sent === null ? (res.descr?.close ?? '') : res.descr?.close);
    const closes = listOf(reported.ok ? reported.close : sent);
    this.closes.known(orderId, closes);
    return {
      orderId,
      clientOrderId: r.clientOrderId,
      symbol: i.symbol,
      side: r.side,
      type: r.type,
      qty: r.qty,
      filledQty: '0',
      price: r.type === 'limit' || r.type === 'stop_limit' ? (r.price ?? null) : null,
      // A trailing stop's trigger is Kraken's to compute (from its last price): read it back.
      stopPrice: r.stopPrice ?? null,
      ...(r.trailPercent !== undefined ? { trailPercent: r.trailPercent } : {}),
      ...(r.trailAmount !== undefined ? { trailAmount: r.trailAmount } : {}),
      closes,
      avgPrice: null,
      status: r.validateOnly || r.type === 'market' ? 'pending' : 'open',
      updatedAt: this.deps.now(),
    };
  }

  /** Waits for room on the pair's trading counter (looking the order up if Bourse did not place it). */
  private async orderCost(orderId: string, op: 'cancel' | 'amend'): Promise<void> {
    let known = this.trading.restingSince(orderId);
    if (!known) {
      const [o] = await this.queryOrders([orderId]);
      if (!o) throw new BrokerError('invalid', VENUE, `unknown order ${orderId}`);
      const i = await this.instrument(o.symbol);
      known = { pair: i.venueId, since: o.updatedAt ?? this.deps.now() };
    }
    await this.trading.beforeChange(op, known.pair, known.since);
  }

  /**
   * AmendOrder, not EditOrder: an amend keeps the order's txid, its `cl_ord_id` and (where it
   * can) its queue place, and costs less on the trading counter; EditOrder cancels and
   * replaces (a new txid) and does not support `cl_ord_id` at all.
   */
  async amend(r: BrokerAmendRequest): Promise<BrokerOrder> {
    await this.orderCost(r.orderId, 'amend');
    await this.rest.private(
      'AmendOrder',
      { txid: r.orderId, order_qty: r.qty, limit_price: r.price, trigger_price: r.stopPrice },
      true,
    );
    const [o] = await this.queryOrders([r.orderId]);
    return o!;
  }

  async cancel(orderId: string): Promise<void> {
    await this.orderCost(orderId, 'cancel');
    await this.rest.private('CancelOrder', { txid: orderId }, true);
    this.trading.forget(orderId);
  }

  async cancelAll(symbol?: string): Promise<number> {
    if (symbol === undefined) {
      const r = await this.rest.private<{ count: number }>('CancelAll', {}, true);
      this.trading.forget();
      return r.count;
    }
    const i = await this.instrument(symbol);
    const mine = (await this.openOrders()).filter((o) => o.symbol === i.symbol);
    for (const o of mine) await this.cancel(o.orderId);
    return mine.length;
  }

  /**
   * Kraken's dead-man switch: every open order is cancelled `timeoutSec` seconds from now
   * unless this is called again first; 0 disables it.
   */
  async cancelAllOrdersAfter(
    timeoutSec: number,
  ): Promise<{ currentTime: string; triggerTime: string }> {
    if (!Number.isInteger(timeoutSec) || timeoutSec < 0 || timeoutSec >= 86_400) {
      throw new BrokerError('invalid', VENUE, 'the timeout must be 0–86399 whole seconds');
    }
    return this.rest.private('CancelAllOrdersAfter', { timeout: String(timeoutSec) }, true);
  }

  /** Public OHLC bars (at most 720; the last one is still open). */
  async ohlc(symbol: string, interval = 1, since?: number): Promise<KrakenCandle[]> {
    const i = await this.instrument(symbol);
    const r = await this.rest.public<Record<string, unknown>>('OHLC', {
      pair: i.venueId,
      interval: String(interval),
      since: since === undefined ? undefined : String(since),
    });
    const rows = (Object.entries(r).find(([k]) => k !== 'last')?.[1] ?? []) as [
      number,
      string,
      string,
      string,
      string,
      string,
      string,
      number,
    ][];
    return rows.map(([t, open, high, low, close, vwap, volume, count]) => ({
      time: t * 1000,
      open,
      high,
      low,
      close,
      vwap,
      volume,
      count,
    }));
  }

  /** The port's bars: Kraken's OHLC (at most 720, the last one still open). */
  async candles(symbol: string, intervalMin: number, sinceMs?: number) {
    const rows = await this.ohlc(
      symbol,
      intervalMin,
      sinceMs === undefined ? undefined : Math.floor(sinceMs / 1000),
    );
    return rows.map(({ time, open, high, low, close, volume }) => ({
      time,
      open,
      high,
      low,
      close,
      volume,
    }));
  }

  subscribe(listener: (event: BrokerEvent) => void): () => void {
    const stream = new KrakenStream({
      wsUrl: this.settings.wsUrl,
      token: async () => (await this.rest.private<{ token: string }>('GetWebSocketsToken')).token,
      emit: listener,
      closeOf: (orderId, clientOrderId) => this.closes.recall(orderId, clientOrderId),
      deps: this.deps,
      pingMs: this.settings.pingMs,
    });
    this.streams.add(stream);
    stream.start();
    return () => {
      stream.stop();
      this.streams.delete(stream);
    };
  }

  /**
   * Public books (depth N, checksummed) and trades over `publicWsUrl` (beyond the port): call
   * `on(listener)`, then `start()`; `close()` stops it too. Symbols in the v2 form (`BTC/USD`).
   */
  marketStream(symbols: string[], depth: BookDepth): KrakenMarketStream {
    const stream = new KrakenMarketStream({
      url: this.settings.publicWsUrl ?? 'wss://ws.kraken.com/v2',
      symbols,
      depth,
      deps: this.deps,
      pingMs: this.settings.pingMs,
      precisions: async () => {
        const r = await this.rest.public<Record<string, KrakenAssetPair>>('AssetPairs');
        return new Map(
          Object.entries(r).map(([k, p]) => [
            toInstrument(k, p).symbol,
            { price: p.pair_decimals, qty: p.lot_decimals },
          ]),
        );
      },
    });
    this.marketStreams.add(stream);
    return stream;
  }

  close(): Promise<void> {
    for (const s of this.streams) s.stop();
    this.streams.clear();
    for (const s of this.marketStreams) s.stop();
    this.marketStreams.clear();
    return Promise.resolve();
  }
}

/**
 * The per-pair trading counters (and the orders' resting times) of an API key, shared like its
 * REST counter (`KrakenRest`): an order placed by the session and cancelled from another
 * connector on the same key costs what Kraken charges. By tier too: a changed tier starts them
 * afresh (they decay within a minute at any tier).
 */
function tradingCountersOf(
  deps: BrokerDeps,
  baseUrl: string,
  apiKey: string,
  tier: KrakenTier,
  sleep: Sleep,
): TradingCounters {
  const make = () => new TradingCounters(TRADING_LIMITS[tier], deps.now, sleep);
  if (!deps.shared) return make();
  const id = `kraken trading ${tier} ${krakenKeyId(baseUrl, apiKey)}`;
  let c = deps.shared.get(id) as TradingCounters | undefined;
  if (!c) deps.shared.set(id, (c = make()));
  return c;
}
